/** SQL for sessions. A session is valid while not ended, not expired and not idle. */
import type { Kysely, Selectable } from 'kysely';
import type { StaffRole } from '#modules/authorisation/index.ts';
import type {
  AccountKind,
  IdentityTables,
  SessionEndReason,
  SessionTable,
} from './identity-tables.ts';

export type SessionRow = Selectable<SessionTable>;

export type NewSession = Readonly<{
  id: string;
  tokenHash: string;
  principal: Readonly<{ kind: 'account' | 'staff'; id: string }>;
  deviceLabel: string;
  expiresAt: Date;
}>;

export async function insertSessionInTrx(
  trx: Kysely<IdentityTables>,
  session: NewSession,
  now: Date,
): Promise<void> {
  await trx.insertInto('session').values({
    id: session.id,
    token_hash: session.tokenHash,
    account_id: session.principal.kind === 'account' ? session.principal.id : null,
    staff_id: session.principal.kind === 'staff' ? session.principal.id : null,
    device_label: session.deviceLabel,
    created_at: now,
    last_seen_at: now,
    expires_at: session.expiresAt,
  }).execute();
}

/** The parts of a name the header shows (never a document number). */
export type NameParts = Readonly<{
  firstName: string | null;
  lastName: string | null;
  businessName: string | null;
}>;

/**
 * A live session and who holds it, as the access-control hook needs it, with the names the
 * page header shows (read in the same statement: no second query per request).
 */
export type LiveSession = Readonly<{
  id: string;
  lastSeenAt: Date;
  accountId: string | null;
  holderName: NameParts | null;
  onBehalfOf: Readonly<{ accountId: string; kind: AccountKind; name: NameParts }> | null;
  staff: Readonly<{ id: string; role: StaffRole; agencyId: string | null; displayName: string;
    agencyName: Readonly<{ en: string; sw: string | null }> | null }> | null;
}>;

export async function findLiveSession(
  db: Kysely<IdentityTables>,
  tokenHash: string,
  now: Date,
  idleSince: Date,
): Promise<LiveSession | undefined> {
  const row = await db.selectFrom('session')
    .leftJoin('staff_member', 'staff_member.id', 'session.staff_id')
    .leftJoin('agency', 'agency.id', 'staff_member.agency_id')
    .leftJoin('account as holder', 'holder.id', 'session.account_id')
    .leftJoin('account as behalf', 'behalf.id', 'session.on_behalf_of_account_id')
    .select([
      'session.id', 'session.last_seen_at', 'session.account_id', 'session.staff_id',
      'session.on_behalf_of_account_id', 'behalf.kind as behalf_kind',
      'staff_member.role', 'staff_member.agency_id', 'staff_member.status',
      'staff_member.display_name', 'agency.name_en as agency_name_en',
      'agency.name_sw as agency_name_sw',
      'holder.first_name', 'holder.last_name', 'holder.business_name',
      'behalf.first_name as behalf_first_name', 'behalf.last_name as behalf_last_name',
      'behalf.business_name as behalf_business_name',
    ])
    .where('session.token_hash', '=', tokenHash)
    .where('session.ended_at', 'is', null)
    .where('session.expires_at', '>', now)
    .where('session.last_seen_at', '>', idleSince)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  if (row.staff_id !== null && (row.status !== 'active' || row.role === null)) return undefined;
  return {
    id: row.id,
    lastSeenAt: row.last_seen_at,
    accountId: row.account_id,
    holderName: row.account_id === null ? null : {
      firstName: row.first_name, lastName: row.last_name, businessName: row.business_name,
    },
    onBehalfOf: row.on_behalf_of_account_id === null || row.behalf_kind === null ? null : {
      accountId: row.on_behalf_of_account_id, kind: row.behalf_kind,
      name: { firstName: row.behalf_first_name, lastName: row.behalf_last_name,
        businessName: row.behalf_business_name },
    },
    staff: row.staff_id === null || row.role === null ? null : {
      id: row.staff_id, role: row.role, agencyId: row.agency_id,
      displayName: row.display_name ?? '',
      agencyName: row.agency_name_en === null ? null
        : { en: row.agency_name_en, sw: row.agency_name_sw },
    },
  };
}

export async function touchSession(
  db: Kysely<IdentityTables>,
  sessionId: string,
  now: Date,
): Promise<void> {
  await db.updateTable('session').set({ last_seen_at: now })
    .where('id', '=', sessionId).where('ended_at', 'is', null).execute();
}

export async function endSessionInTrx(
  trx: Kysely<IdentityTables>,
  where: Readonly<{ sessionId: string; accountId?: string }>,
  reason: SessionEndReason,
  now: Date,
): Promise<boolean> {
  let query = trx.updateTable('session').set({ ended_at: now, end_reason: reason })
    .where('id', '=', where.sessionId).where('ended_at', 'is', null);
  if (where.accountId !== undefined) query = query.where('account_id', '=', where.accountId);
  const result = await query.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Ends every live session of an account or staff member (after a reset or role change). */
export async function endAllSessionsInTrx(
  trx: Kysely<IdentityTables>,
  principal: Readonly<{ kind: 'account' | 'staff'; id: string }>,
  reason: SessionEndReason,
  now: Date,
): Promise<number> {
  const column = principal.kind === 'account' ? 'account_id' : 'staff_id';
  const result = await trx.updateTable('session').set({ ended_at: now, end_reason: reason })
    .where(column, '=', principal.id).where('ended_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function setOnBehalfOfInTrx(
  trx: Kysely<IdentityTables>,
  sessionId: string,
  accountId: string | null,
): Promise<void> {
  await trx.updateTable('session').set({ on_behalf_of_account_id: accountId })
    .where('id', '=', sessionId).execute();
}

export async function listLiveSessionsOfAccount(
  db: Kysely<IdentityTables>,
  accountId: string,
  now: Date,
  idleSince: Date,
  limit: number,
): Promise<SessionRow[]> {
  return db.selectFrom('session').selectAll()
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .where('last_seen_at', '>', idleSince)
    .orderBy('last_seen_at', 'desc').limit(limit).execute();
}
