/** SQL for staff members. Agency-scoped reads filter by agency in the query. */
import type { Kysely, Selectable } from 'kysely';
import {
  restrictToAgencyScope,
  type AgencyScope,
  type StaffRole,
} from '#modules/authorisation/index.ts';
import type { IdentityTables, StaffMemberTable, StaffStatus } from './identity-tables.ts';

export type StaffRow = Selectable<StaffMemberTable>;

/** A staff member as lists and pages show them: no secrets. */
export type StaffSummary = Readonly<{
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  agencyId: string | null;
  agencyName: string | null;
  status: StaffStatus;
  createdAt: Date;
}>;

export type NewStaff = Readonly<{
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  agencyId: string | null;
  /** Both null when the person will enrol through a link (then `enrolment` is set). */
  passwordHash: string | null;
  totpSecret: string | null;
  enrolment: Readonly<{ tokenHash: string; expiresAt: Date }> | null;
  createdByStaffId: string | null;
}>;

/** @idempotent with (email): returns false when a member of staff has the e-mail already. */
export async function insertStaffInTrx(
  trx: Kysely<IdentityTables>,
  staff: NewStaff,
  now: Date,
): Promise<boolean> {
  const row = await trx.insertInto('staff_member').values({
    id: staff.id,
    email: staff.email,
    display_name: staff.displayName,
    role: staff.role,
    agency_id: staff.agencyId,
    password_hash: staff.passwordHash,
    totp_secret: staff.totpSecret,
    totp_last_step: null,
    enrolment_token_hash: staff.enrolment?.tokenHash ?? null,
    enrolment_expires_at: staff.enrolment?.expiresAt ?? null,
    created_by_staff_id: staff.createdByStaffId,
    created_at: now,
    updated_at: now,
  }).onConflict((conflict) => conflict.constraint('staff_member_email_key').doNothing())
    .returning('id').executeTakeFirst();
  return row !== undefined;
}

export async function findActiveStaffByEmail(
  db: Kysely<IdentityTables>,
  email: string,
): Promise<StaffRow | undefined> {
  return db.selectFrom('staff_member').selectAll()
    .where('email', '=', email).where('status', '=', 'active')
    .where('password_hash', 'is not', null).executeTakeFirst();
}

export async function findStaffForUpdateInTrx(
  trx: Kysely<IdentityTables>,
  staffId: string,
): Promise<StaffRow | undefined> {
  return trx.selectFrom('staff_member').selectAll().where('id', '=', staffId)
    .forUpdate().executeTakeFirst();
}

export async function recordTotpStepInTrx(
  trx: Kysely<IdentityTables>,
  staffId: string,
  step: bigint,
  now: Date,
): Promise<void> {
  await trx.updateTable('staff_member').set({ totp_last_step: step, updated_at: now })
    .where('id', '=', staffId).execute();
}

function summaries(db: Kysely<IdentityTables>) {
  return db.selectFrom('staff_member')
    .leftJoin('agency', 'agency.id', 'staff_member.agency_id')
    .select([
      'staff_member.id', 'staff_member.email', 'staff_member.display_name',
      'staff_member.role', 'staff_member.agency_id', 'agency.name_en as agency_name',
      'staff_member.status', 'staff_member.created_at',
    ]);
}

type SummaryRow = Readonly<{
  id: string; email: string; display_name: string; role: StaffRole; agency_id: string | null;
  agency_name: string | null; status: StaffStatus; created_at: Date;
}>;

function toSummary(row: SummaryRow): StaffSummary {
  return {
    id: row.id, email: row.email, displayName: row.display_name, role: row.role,
    agencyId: row.agency_id, agencyName: row.agency_name, status: row.status,
    createdAt: row.created_at,
  };
}

/** Staff in the caller's agency scope, by name. */
export async function listStaffInScope(
  db: Kysely<IdentityTables>,
  scope: AgencyScope,
  page: Readonly<{ limit: number; offset: number }>,
): Promise<StaffSummary[]> {
  const query = restrictToAgencyScope(summaries(db), 'staff_member.agency_id', scope);
  const rows = await query.orderBy('staff_member.display_name').orderBy('staff_member.id')
    .limit(page.limit).offset(page.offset).execute();
  return rows.map(toSummary);
}

/** One member of staff, only if in the caller's scope (else undefined: a 404, not a 403). */
export async function findStaffInScope(
  db: Kysely<IdentityTables>,
  scope: AgencyScope,
  staffId: string,
): Promise<StaffSummary | undefined> {
  const query = restrictToAgencyScope(summaries(db), 'staff_member.agency_id', scope);
  const row = await query.where('staff_member.id', '=', staffId).executeTakeFirst();
  return row === undefined ? undefined : toSummary(row);
}

export async function updateStaffRoleInTrx(
  trx: Kysely<IdentityTables>,
  staffId: string,
  change: Readonly<{ role: StaffRole; agencyId: string | null }>,
  now: Date,
): Promise<void> {
  await trx.updateTable('staff_member')
    .set({ role: change.role, agency_id: change.agencyId, updated_at: now })
    .where('id', '=', staffId).execute();
}

export async function updateStaffStatusInTrx(
  trx: Kysely<IdentityTables>,
  staffId: string,
  status: StaffStatus,
  now: Date,
): Promise<void> {
  await trx.updateTable('staff_member').set({ status, updated_at: now })
    .where('id', '=', staffId).execute();
}

export type AgencyChoice = Readonly<{ id: string; name: string }>;

/** Agencies in scope, for the "new member of staff" form. */
export async function listAgenciesInScope(
  db: Kysely<IdentityTables>,
  scope: AgencyScope,
  limit: number,
): Promise<AgencyChoice[]> {
  const query = restrictToAgencyScope(
    db.selectFrom('agency').select(['agency.id', 'agency.name_en']), 'agency.id', scope);
  const rows = await query.orderBy('agency.name_en').limit(limit).execute();
  return rows.map((row) => ({ id: row.id, name: row.name_en }));
}

export async function agencyExistsInScope(
  db: Kysely<IdentityTables>,
  scope: AgencyScope,
  agencyId: string,
): Promise<boolean> {
  const query = restrictToAgencyScope(db.selectFrom('agency').select('agency.id'),
    'agency.id', scope);
  return await query.where('agency.id', '=', agencyId).executeTakeFirst() !== undefined;
}

/** Agency names by id (English names: the catalogue's own language of record). */
export async function agencyNamesOf(
  db: Kysely<IdentityTables>,
  agencyIds: readonly string[],
): Promise<Map<string, string>> {
  if (agencyIds.length === 0) return new Map();
  const rows = await db.selectFrom('agency').select(['id', 'name_en'])
    .where('id', 'in', [...new Set(agencyIds)]).execute();
  return new Map(rows.map((row) => [row.id, row.name_en]));
}

export async function findStaffById(
  db: Kysely<IdentityTables>,
  staffId: string,
): Promise<StaffSummary | undefined> {
  return findStaffInScope(db, 'all', staffId);
}

export async function findAgencyIdBySlug(
  db: Kysely<IdentityTables>,
  slug: string,
): Promise<string | undefined> {
  const row = await db.selectFrom('agency').select('id').where('slug', '=', slug)
    .executeTakeFirst();
  return row?.id;
}

/** A member of staff still to enrol, by their link's token hash, if the link is still good. */
export async function findEnrollingStaffInTrx(
  trx: Kysely<IdentityTables>,
  tokenHash: string,
  now: Date,
): Promise<StaffRow | undefined> {
  return trx.selectFrom('staff_member').selectAll()
    .where('enrolment_token_hash', '=', tokenHash)
    .where('enrolment_expires_at', '>', now)
    .where('password_hash', 'is', null)
    .where('status', '=', 'active')
    .forUpdate().executeTakeFirst();
}

export async function setPendingTotpSecretInTrx(
  trx: Kysely<IdentityTables>,
  staffId: string,
  secret: string,
  now: Date,
): Promise<void> {
  await trx.updateTable('staff_member').set({ totp_secret: secret, updated_at: now })
    .where('id', '=', staffId).execute();
}

export async function completeEnrolmentInTrx(
  trx: Kysely<IdentityTables>,
  staffId: string,
  change: Readonly<{ passwordHash: string; totpStep: bigint }>,
  now: Date,
): Promise<void> {
  await trx.updateTable('staff_member').set({
    password_hash: change.passwordHash, totp_last_step: change.totpStep,
    enrolment_token_hash: null, enrolment_expires_at: null, updated_at: now,
  }).where('id', '=', staffId).execute();
}

/** A stronger hash of the same password (made at sign-in when the parameters were raised). */
export async function updateStaffPasswordHashInTrx(
  trx: Kysely<IdentityTables>,
  staffId: string,
  passwordHash: string,
  now: Date,
): Promise<void> {
  await trx.updateTable('staff_member').set({ password_hash: passwordHash, updated_at: now })
    .where('id', '=', staffId).execute();
}
