/**
 * Signed-in callers for route tests: an account holder or a member of staff of any role, with
 * a live session (made directly in the database: no password hashing, no codes), the cookie
 * header to send, and the CSRF token forms must post as `_csrf`.
 *
 *   const officer = await signInAs(database(), 'agency-officer', { agencyId });
 *   await app.inject({ url, headers: officer.headers });
 *   await app.inject({ method: 'POST', url, headers: officer.headers,
 *     payload: { ...form, _csrf: officer.csrfToken } });
 */
import type { Kysely } from 'kysely';
import type { Role } from '#modules/authorisation/index.ts';
import {
  csrfTokenForSession,
  identityCookieNames,
  loadSecretBox,
  startSessionInTrx,
  type IdentityTables,
} from '#modules/identity/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';

/** The box the app seals with in this test process (one key per process in tests). */
const testSecretBox = await loadSecretBox({
  environment: 'test', dataDirectory: '', secretsKey: undefined,
});

export type TestCaller = Readonly<{
  role: Role;
  /** The account or staff id. */
  id: string;
  sessionId: string;
  agencyId: string | null;
  headers: Readonly<Record<string, string>>;
  csrfToken: string;
}>;

/** Not a real scrypt hash: nobody can sign in with a password as these callers. */
const unusablePasswordHash = '$scrypt$ln=1,r=1,p=1$AAAA$AAAA';
const agencyRoles = new Set<Role>(['agency-officer', 'agency-supervisor', 'agency-admin']);
let documentCounter = 0;

/** A ministry and an agency to scope staff to; returns the agency id. */
export async function createTestAgency(database: DatabaseHandle, name: string): Promise<string> {
  const db = database.db.withTables<IdentityTables & {
    ministry: { id: string; slug: string; name_en: string; origin: string };
  }>();
  const ministryId = uuidv7();
  const agencyId = uuidv7();
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${agencyId.slice(-8)}`;
  await db.insertInto('ministry')
    .values({ id: ministryId, slug: `ministry-${slug}`, name_en: `Ministry of ${name}`,
      origin: 'synthetic' }).execute();
  await db.insertInto('agency').values({
    id: agencyId, ministry_id: ministryId, slug, name_en: name, origin: 'synthetic',
  } as never).execute();
  return agencyId;
}

export async function signInAs(
  database: DatabaseHandle,
  role: Role,
  options: Readonly<{ agencyId?: string; accountId?: string; now?: Date }> = {},
): Promise<TestCaller> {
  if (role === 'agency-api-client') throw new Error('API clients have no session');
  const db: Kysely<IdentityTables> = database.db.withTables<IdentityTables>();
  // Give the app's clock when it is not the system's, or the session looks long idle.
  const now = options.now ?? new Date();
  const agencyId = agencyRoles.has(role) ? options.agencyId ?? null : null;
  if (agencyRoles.has(role) && agencyId === null) throw new Error(`${role} needs an agencyId`);
  const id = options.accountId ?? uuidv7();
  const session = await db.transaction().execute(async (trx) => {
    if (role === 'account-holder' && options.accountId === undefined) {
      documentCounter += 1;
      await trx.insertInto('account').values({
        id, kind: 'citizen', document_type: 'national_id',
        document_number: `9${String(process.pid).slice(-3)}${String(documentCounter)
          .padStart(5, '0')}`,
        first_name: 'Test', middle_name: null, last_name: 'Person', birth_date: '1990-01-01',
        business_name: null, password_hash: unusablePasswordHash, phone: '+254700000000',
        email: null, created_at: now, updated_at: now,
      }).execute();
    } else if (role !== 'account-holder') {
      await trx.insertInto('staff_member').values({
        id, email: `${role}.${id}@staff.test`, display_name: `Test ${role}`, role,
        agency_id: agencyId, password_hash: unusablePasswordHash,
        totp_secret: testSecretBox.seal('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', id),
        totp_last_step: null,
        created_by_staff_id: null, created_at: now, updated_at: now,
      }).execute();
    }
    return startSessionInTrx(trx, {
      kind: role === 'account-holder' ? 'account' : 'staff', id,
    }, { deviceLabel: 'Test' }, now);
  });
  const cookie = `${identityCookieNames(false).session}=${session.token}`;
  return {
    role, id, sessionId: session.sessionId, agencyId,
    headers: { cookie },
    csrfToken: await csrfTokenForSession(database.db, session.sessionId, now),
  };
}
