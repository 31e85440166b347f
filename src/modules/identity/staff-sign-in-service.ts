/**
 * Staff sign-in: e-mail, password and a TOTP code from an authenticator app, in one step. A
 * TOTP code is accepted once only (the step is recorded). Every sign-in and failure is
 * audited; attempts are rate-limited per staff member and per source address.
 */
import type { Kysely } from 'kysely';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { normaliseEmail } from './account-rules.ts';
import { identityDb, type IdentityDeps, type RequestSource } from './identity-deps.ts';
import type { IdentityErrorCode } from './identity-errors.ts';
import type { IdentityTables } from './identity-tables.ts';
import { passwordLengthMax, verifyAgainstNothing, verifyPassword } from './password-hashing.ts';
import { allowAttempt } from './rate-limits.ts';
import { startSessionInTrx, type StartedSession } from './session-service.ts';
import {
  findActiveStaffByEmail,
  findStaffForUpdateInTrx,
  recordTotpStepInTrx,
} from './staff-repo.ts';
import { openTotpSecret } from './staff-secrets.ts';
import { checkTotp } from './totp.ts';

export type StaffSignInForm = Readonly<{ email: string; password: string; totpCode: string }>;

async function recordStaffSignInFailureInTrx(
  trx: Kysely<IdentityTables>,
  staff: Readonly<{ id: string; agencyId: string | null }> | undefined,
  reason: string,
  source: RequestSource,
  now: Date,
): Promise<void> {
  await recordAuditInTrx(trx, {
    action: 'STAFF_SIGN_IN_FAILED',
    actor: { kind: 'staff', id: staff?.id ?? null },
    subject: { type: 'staff', id: staff?.id ?? null },
    agencyId: staff?.agencyId ?? null,
    detail: { reason },
    sourceAddress: source.address,
  }, now);
}

export type StaffSignedIn = StartedSession & Readonly<{ staffId: string }>;

/**
 * @returns err IDENTITY_STAFF_CREDENTIALS_NOT_RIGHT (unknown e-mail, wrong password, wrong or
 *   replayed code all look the same), IDENTITY_TOO_MANY_ATTEMPTS.
 */
export async function signInStaff(
  deps: IdentityDeps,
  form: StaffSignInForm,
  source: RequestSource & Readonly<{ previousSessionToken?: string }>,
): Promise<Result<StaffSignedIn, Failure<IdentityErrorCode>>> {
  const now = deps.clock.now();
  const db = identityDb(deps);
  const email = normaliseEmail(form.email);
  if (email === undefined || form.password === '' || form.password.length > passwordLengthMax) {
    return err(failure('IDENTITY_STAFF_CREDENTIALS_NOT_RIGHT'));
  }
  const staff = await findActiveStaffByEmail(db, email);
  const known = staff === undefined ? undefined : { id: staff.id, agencyId: staff.agency_id };
  const audited = (reason: string) => db.transaction().execute((trx) =>
    recordStaffSignInFailureInTrx(trx, known, reason, source, now));
  if (!await allowAttempt(db, deps.secrets.addressKey, 'sign-in',
    { principal: known === undefined ? undefined : `staff:${known.id}`,
      address: source.address }, now)) {
    await audited('rate-limited');
    return err(failure('IDENTITY_TOO_MANY_ATTEMPTS'));
  }
  if (staff === undefined || staff.password_hash === null) {
    await verifyAgainstNothing(form.password);
    await audited('unknown-staff');
    return err(failure('IDENTITY_STAFF_CREDENTIALS_NOT_RIGHT'));
  }
  if (!await verifyPassword(form.password, staff.password_hash)) {
    await audited('wrong-password');
    return err(failure('IDENTITY_STAFF_CREDENTIALS_NOT_RIGHT'));
  }
  return db.transaction().execute(async (trx) => {
    // Locked, so two requests with the same code cannot both be first to use it.
    const locked = await findStaffForUpdateInTrx(trx, staff.id);
    if (locked === undefined || locked.status !== 'active' || locked.totp_secret === null) {
      throw new Error('an enrolled member of staff vanished or lost their secret');
    }
    const secret = openTotpSecret(deps.secretBox, locked.totp_secret, staff.id);
    const totp = checkTotp(secret, form.totpCode.replace(/\s/g, ''), now,
      locked.totp_last_step);
    if (!totp.ok) {
      await recordStaffSignInFailureInTrx(trx, known, `totp-${totp.reason}`, source, now);
      return err(failure('IDENTITY_STAFF_CREDENTIALS_NOT_RIGHT'));
    }
    await recordTotpStepInTrx(trx, staff.id, totp.step, now);
    const session = await startSessionInTrx(trx, { kind: 'staff', id: staff.id }, {
      deviceLabel: source.deviceLabel, previousToken: source.previousSessionToken,
    }, now);
    await recordAuditInTrx(trx, {
      action: 'STAFF_SIGNED_IN',
      actor: { kind: 'staff', id: staff.id, role: locked.role },
      subject: { type: 'staff', id: staff.id },
      agencyId: locked.agency_id,
      detail: { sessionId: session.sessionId },
      sourceAddress: source.address,
    }, now);
    return ok({ ...session, staffId: staff.id });
  });
}
