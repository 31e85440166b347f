/**
 * Keys made once and shared by every app process through the database: the first process to
 * start creates each one (insert ... on conflict do nothing), the others read it.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '#platform/db/index.ts';
import { sign } from './secret-tokens.ts';
import type { IdentityTables } from './identity-tables.ts';

const keyLengthBytes = 32;

export type IdentitySecrets = Readonly<{
  /** Keys CSRF tokens (HMAC of the session or pre-session id). */
  csrfKey: Buffer;
  /** Keys the hash of source addresses in rate-limit buckets (no raw address is stored). */
  addressKey: Buffer;
}>;

async function ensureSecret(db: Database, name: string, now: Date): Promise<Buffer> {
  const identity = db.withTables<IdentityTables>();
  await identity.insertInto('identity_secret')
    .values({ name, secret: randomBytes(keyLengthBytes).toString('base64'), created_at: now })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
  const row = await identity.selectFrom('identity_secret').select('secret')
    .where('name', '=', name).executeTakeFirstOrThrow();
  return Buffer.from(row.secret, 'base64');
}

const loaded = new WeakMap<Database, Promise<IdentitySecrets>>();

/** The keys, made on first use; read once per database handle. */
export function loadIdentitySecrets(db: Database, now: Date): Promise<IdentitySecrets> {
  let secrets = loaded.get(db);
  if (secrets === undefined) {
    secrets = (async () => ({
      csrfKey: await ensureSecret(db, 'csrf', now),
      addressKey: await ensureSecret(db, 'source-address', now),
    }))();
    loaded.set(db, secrets);
    secrets.catch(() => loaded.delete(db));
  }
  return secrets;
}

/** The CSRF token forms of a session carry (tests and tools that post as a signed-in user). */
export async function csrfTokenForSession(
  db: Database,
  sessionId: string,
  now: Date,
): Promise<string> {
  const secrets = await loadIdentitySecrets(db, now);
  return sign(secrets.csrfKey, `session:${sessionId}`);
}
