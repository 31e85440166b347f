/**
 * Managing staff: list and view (agency-scoped in the query), appoint, change roles,
 * deactivate and reactivate. Staff appointed on the web enrol through a one-time link; the
 * command line prints secrets once. Every change is audited; a role change or deactivation
 * ends the person's sessions.
 */
import { recordAuditInTrx } from '#modules/audit/index.ts';
import type { Kysely } from 'kysely';
import {
  agencyScopeOf,
  auditActorOf,
  type StaffActor,
  type StaffRole,
} from '#modules/authorisation/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import { normaliseEmail } from './account-rules.ts';
import { identityDb, type IdentityDeps } from './identity-deps.ts';
import type { IdentityErrorCode } from './identity-errors.ts';
import { staffEnrolmentLifetimeMs } from './identity-limits.ts';
import { identityPaths } from './identity-paths.ts';
import type { IdentityTables } from './identity-tables.ts';
import { hashPassword } from './password-hashing.ts';
import { generateToken, hashToken } from './secret-tokens.ts';
import { endAllSessionsInTrx } from './session-repo.ts';
import {
  agencyExistsInScope,
  findAgencyIdBySlug,
  findStaffInScope,
  insertStaffInTrx,
  updateStaffRoleInTrx,
  updateStaffStatusInTrx,
  type NewStaff,
  type StaffSummary,
} from './staff-repo.ts';
import {
  decideAppointment,
  decideRoleChange,
  decideStatusChange,
  type Appointer,
} from './staff-rules.ts';
import { generateTotpSecret, otpauthUri } from './totp.ts';

type StaffFailure = Failure<IdentityErrorCode>;

const temporaryPasswordLength = 16;
const displayNameLengthMax = 120;
const totpIssuer = 'Huduma';

export type NewStaffForm = Readonly<{
  email: string;
  displayName: string;
  role: string;
  agencyId: string | null;
}>;

/** Made on the command line: the secrets, printed once to whoever ran it. */
export type CreatedStaff = Readonly<{
  staffId: string;
  email: string;
  temporaryPassword: string;
  totpSecret: string;
  otpauthUri: string;
}>;

/** Appointed on the web: a one-time link for the person to set their own secrets. */
export type AppointedStaff = Readonly<{
  staffId: string;
  email: string;
  enrolmentUrl: string;
  expiresAt: Date;
}>;

type Appointed = Readonly<{
  email: string; displayName: string; role: StaffRole; agencyId: string | null;
}>;

async function checkAppointment(
  deps: IdentityDeps,
  appointer: Appointer,
  form: NewStaffForm,
): Promise<Result<Appointed, StaffFailure>> {
  const email = normaliseEmail(form.email);
  const displayName = form.displayName.trim();
  const fields: Record<string, string> = {};
  if (email === undefined) fields.email = 'identity.field.emailInvalid';
  if (displayName === '' || displayName.length > displayNameLengthMax) {
    fields.displayName = 'identity.field.displayNameMissing';
  }
  if (email === undefined || Object.keys(fields).length > 0) {
    return err(failure('IDENTITY_FORM_INVALID', undefined, fields));
  }
  const decided = decideAppointment(appointer, form);
  if (!decided.ok) return decided;
  const { role, agencyId } = decided.value;
  if (agencyId !== null) {
    const scope = appointer === 'command-line' ? 'all' : agencyScopeOf(appointer);
    if (!isUuid(agencyId) || !await agencyExistsInScope(identityDb(deps), scope, agencyId)) {
      return err(failure('IDENTITY_AGENCY_NOT_FOUND'));
    }
  }
  return ok({ email, displayName, role, agencyId });
}

async function insertAppointedInTrx(
  trx: Kysely<IdentityTables>,
  appointer: Appointer,
  staff: NewStaff,
  source: Readonly<{ address: string | null }>,
  now: Date,
): Promise<boolean> {
  if (!await insertStaffInTrx(trx, staff, now)) return false;
  await recordAuditInTrx(trx, {
    action: 'STAFF_APPOINTED',
    actor: appointer === 'command-line' ? { kind: 'system', id: null } : auditActorOf(appointer),
    subject: { type: 'staff', id: staff.id },
    agencyId: staff.agencyId,
    detail: { role: staff.role, via: appointer === 'command-line' ? 'command-line' : 'web' },
    sourceAddress: source.address,
  }, now);
  return true;
}

/**
 * Appoints a member of staff from the web. They get a one-time enrolment link (the appointer
 * hands it over) and set their own password and authenticator: nobody else ever sees them.
 * @returns err IDENTITY_FORM_INVALID, IDENTITY_ROLE_NOT_GRANTABLE, IDENTITY_AGENCY_NOT_FOUND,
 *   IDENTITY_STAFF_EMAIL_TAKEN.
 */
export async function appointStaff(
  deps: IdentityDeps,
  appointer: StaffActor,
  form: NewStaffForm,
  source: Readonly<{ address: string }>,
): Promise<Result<AppointedStaff, StaffFailure>> {
  const now = deps.clock.now();
  const checked = await checkAppointment(deps, appointer, form);
  if (!checked.ok) return checked;
  const token = generateToken();
  const expiresAt = new Date(now.getTime() + staffEnrolmentLifetimeMs);
  const staffId = uuidv7(now.getTime());
  const inserted = await identityDb(deps).transaction().execute((trx) =>
    insertAppointedInTrx(trx, appointer, {
      id: staffId, ...checked.value, passwordHash: null, totpSecret: null,
      enrolment: { tokenHash: hashToken(token), expiresAt }, createdByStaffId: appointer.staffId,
    }, source, now));
  if (!inserted) return err(failure('IDENTITY_STAFF_EMAIL_TAKEN'));
  return ok({
    staffId, email: checked.value.email, expiresAt,
    enrolmentUrl: `${deps.config.publicBaseUrl}${identityPaths.staffEnrol(token)}`,
  });
}

/**
 * Appoints a member of staff from the command line (the first platform administrator), with
 * a temporary password and authenticator secret printed once to whoever runs it.
 * @returns err as appointStaff.
 */
export async function createStaff(
  deps: IdentityDeps,
  appointer: Appointer,
  form: NewStaffForm,
  source: Readonly<{ address: string | null }>,
): Promise<Result<CreatedStaff, StaffFailure>> {
  const now = deps.clock.now();
  const checked = await checkAppointment(deps, appointer, form);
  if (!checked.ok) return checked;
  const temporaryPassword = generateToken().slice(0, temporaryPasswordLength);
  const totpSecret = generateTotpSecret();
  const passwordHash = await hashPassword(temporaryPassword);
  const staffId = uuidv7(now.getTime());
  const inserted = await identityDb(deps).transaction().execute((trx) =>
    insertAppointedInTrx(trx, appointer, {
      id: staffId, ...checked.value, passwordHash,
      totpSecret: deps.secretBox.seal(totpSecret, staffId), enrolment: null,
      createdByStaffId: appointer === 'command-line' ? null : appointer.staffId,
    }, source, now));
  if (!inserted) return err(failure('IDENTITY_STAFF_EMAIL_TAKEN'));
  return ok({
    staffId, email: checked.value.email, temporaryPassword, totpSecret,
    otpauthUri: otpauthUri(totpSecret, checked.value.email, totpIssuer),
  });
}

/** A member of staff the actor may see, or IDENTITY_STAFF_NOT_FOUND (never a 403). */
export async function findStaffForActor(
  deps: IdentityDeps,
  actor: StaffActor,
  staffId: string,
): Promise<Result<StaffSummary, StaffFailure>> {
  if (!isUuid(staffId)) return err(failure('IDENTITY_STAFF_NOT_FOUND'));
  const found = await findStaffInScope(identityDb(deps), agencyScopeOf(actor), staffId);
  return found === undefined ? err(failure('IDENTITY_STAFF_NOT_FOUND')) : ok(found);
}

/**
 * Changes a role. The person's sessions end, so the new role applies at once.
 * @returns err IDENTITY_STAFF_NOT_FOUND (also outside the actor's agency),
 *   IDENTITY_ROLE_NOT_GRANTABLE, IDENTITY_FORM_INVALID.
 */
export async function changeStaffRole(
  deps: IdentityDeps,
  actor: StaffActor,
  staffId: string,
  wantedRole: string,
  source: Readonly<{ address: string }>,
): Promise<Result<StaffSummary, StaffFailure>> {
  const now = deps.clock.now();
  const target = await findStaffForActor(deps, actor, staffId);
  if (!target.ok) return target;
  const decided = decideRoleChange(actor, target.value, wantedRole);
  if (!decided.ok) return decided;
  await identityDb(deps).transaction().execute(async (trx) => {
    await updateStaffRoleInTrx(trx, staffId, decided.value, now);
    await endAllSessionsInTrx(trx, { kind: 'staff', id: staffId }, 'role-changed', now);
    await recordAuditInTrx(trx, {
      action: 'STAFF_ROLE_CHANGED',
      actor: auditActorOf(actor),
      subject: { type: 'staff', id: staffId },
      agencyId: decided.value.agencyId ?? target.value.agencyId,
      detail: { from: target.value.role, to: decided.value.role },
      sourceAddress: source.address,
    }, now);
  });
  return ok({ ...target.value, ...decided.value });
}

/**
 * Deactivates a member of staff (their sessions end at once and they can no longer sign in or
 * enrol) or reactivates one. Setting the status they already have changes and records nothing.
 * @returns err IDENTITY_STAFF_NOT_FOUND (also outside the actor's agency),
 *   IDENTITY_STAFF_NOT_MANAGEABLE, IDENTITY_FORM_INVALID.
 */
export async function changeStaffStatus(
  deps: IdentityDeps,
  actor: StaffActor,
  staffId: string,
  wanted: string,
  source: Readonly<{ address: string }>,
): Promise<Result<StaffSummary, StaffFailure>> {
  const now = deps.clock.now();
  const target = await findStaffForActor(deps, actor, staffId);
  if (!target.ok) return target;
  const decided = decideStatusChange(actor, target.value, wanted);
  if (!decided.ok) return decided;
  const status = decided.value;
  if (status === target.value.status) return ok(target.value);
  await identityDb(deps).transaction().execute(async (trx) => {
    await updateStaffStatusInTrx(trx, staffId, status, now);
    if (status === 'deactivated') {
      await endAllSessionsInTrx(trx, { kind: 'staff', id: staffId }, 'deactivated', now);
    }
    await recordAuditInTrx(trx, {
      action: status === 'deactivated' ? 'STAFF_DEACTIVATED' : 'STAFF_REACTIVATED',
      actor: auditActorOf(actor),
      subject: { type: 'staff', id: staffId },
      agencyId: target.value.agencyId,
      detail: { role: target.value.role },
      sourceAddress: source.address,
    }, now);
  });
  return ok({ ...target.value, status });
}

/**
 * `huduma staff create`: appoints from the command line (the first platform administrator),
 * naming the agency by its slug.
 * @returns err as createStaff, and IDENTITY_AGENCY_NOT_FOUND for an unknown slug.
 */
export async function createStaffFromCommandLine(
  deps: IdentityDeps,
  input: Readonly<{ email: string; displayName: string; role: string;
    agencySlug: string | undefined }>,
): Promise<Result<CreatedStaff, StaffFailure>> {
  let agencyId: string | null = null;
  if (input.agencySlug !== undefined) {
    const found = await findAgencyIdBySlug(identityDb(deps), input.agencySlug);
    if (found === undefined) return err(failure('IDENTITY_AGENCY_NOT_FOUND'));
    agencyId = found;
  }
  return createStaff(deps, 'command-line', {
    email: input.email, displayName: input.displayName, role: input.role, agencyId,
  }, { address: null });
}
