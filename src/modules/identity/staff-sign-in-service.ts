/**
 * Staff sign-in: e-mail, password and a TOTP code from an authenticator app, in one step. A
 * TOTP code is accepted once only (the step is recorded). Every sign-in and failure is
 * audited; attempts are rate-limited per e-mail (an unknown one exactly as a known one) and
 * per source address, a browser they signed in on before counting on its own.
 */
import type { Kysely } from 'kysely';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { normaliseEmail } from './account-rules.ts';
import { identityDb, type IdentityDeps, type RequestSource } from './identity-deps.ts';
import type { IdentityErrorCode } from './identity-errors.ts';
import type { IdentityTables } from './identity-tables.ts';
import { checkPasswordAtGate } from './password-hash-gate.ts';
import { passwordLengthMax } from './password-hashing.ts';
import { allowAttempt, staffEmailPrincipal } from './rate-limits.ts';
import { startSessionInTrx, type StartedSession } from './session-service.ts';
import {
  findActiveStaffByEmail,
  findStaffForUpdateInTrx,
  recordTotpStepInTrx,
  updateStaffPasswordHashInTrx,
} from './staff-repo.ts';
import { openTotpSecret } from './staff-secrets.ts';
import { checkTotp } from './totp.ts';
import { issueDeviceToken, provenDevice } from './trusted-device.ts';

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

export type StaffSignedIn = StartedSession & Readonly<{
  staffId: string;
  /** The browser's device tokens cookie, with one for this member of staff first. */
  deviceTokens: string;
}>;

type StaffSource = RequestSource & Readonly<{ previousSessionToken?: string }>;

/**
 * E-mail and password first (limited per e-mail, known or not, and per address; a browser
 * they signed in on before counts on its own), then the authenticator code.
 * @returns err IDENTITY_STAFF_CREDENTIALS_NOT_RIGHT (unknown e-mail, wrong password, wrong or
 *   replayed code all look the same), IDENTITY_TOO_MANY_ATTEMPTS, IDENTITY_SIGN_IN_BUSY.
 */
export async function signInStaff(
  deps: IdentityDeps,
  form: StaffSignInForm,
  source: StaffSource,
): Promise<Result<StaffSignedIn, Failure<IdentityErrorCode>>> {
  const now = deps.clock.now();
  const db = identityDb(deps);
  const email = normaliseEmail(form.email);
  if (email === undefined || form.password === '' || form.password.length > passwordLengthMax) {
    return err(failure('IDENTITY_STAFF_CREDENTIALS_NOT_RIGHT'));
  }
  if (deps.passwordGate.full()) return err(failure('IDENTITY_SIGN_IN_BUSY'));
  const key = deps.secrets.addressKey;
  const principal = staffEmailPrincipal(key, email);
  const device = provenDevice(key, principal, source.deviceTokens, now);
  const staff = await findActiveStaffByEmail(db, email);
  const known = staff === undefined ? undefined : { id: staff.id, agencyId: staff.agency_id };
  const audited = (reason: string) => db.transaction().execute((trx) =>
    recordStaffSignInFailureInTrx(trx, known, reason, source, now));
  if (!await allowAttempt(db, key, 'sign-in', { principal, address: source.address, device },
    now)) {
    await audited('rate-limited');
    return err(failure('IDENTITY_TOO_MANY_ATTEMPTS'));
  }
  const verdict = await checkPasswordAtGate(deps.passwordGate, form.password,
    staff?.password_hash ?? null);
  if (verdict === 'busy') return err(failure('IDENTITY_SIGN_IN_BUSY'));
  if (staff === undefined || !verdict.matches) {
    await audited(staff === undefined ? 'unknown-staff' : 'wrong-password');
    return err(failure('IDENTITY_STAFF_CREDENTIALS_NOT_RIGHT'));
  }
  const signedIn = await checkStaffCodeAndStart(deps, staff.id, form.totpCode, verdict.rehash,
    source);
  if (!signedIn.ok) return signedIn;
  return ok({ ...signedIn.value,
    deviceTokens: issueDeviceToken(key, principal, source.deviceTokens, now) });
}

async function checkStaffCodeAndStart(
  deps: IdentityDeps,
  staffId: string,
  totpCode: string,
  rehash: string | null,
  source: StaffSource,
): Promise<Result<Omit<StaffSignedIn, 'deviceTokens'>, Failure<IdentityErrorCode>>> {
  const now = deps.clock.now();
  return identityDb(deps).transaction().execute(async (trx) => {
    // Locked, so two requests with the same code cannot both be first to use it.
    const locked = await findStaffForUpdateInTrx(trx, staffId);
    if (locked === undefined || locked.status !== 'active' || locked.totp_secret === null) {
      throw new Error('an enrolled member of staff vanished or lost their secret');
    }
    const known = { id: staffId, agencyId: locked.agency_id };
    const secret = openTotpSecret(deps.secretBox, locked.totp_secret, staffId);
    const totp = checkTotp(secret, totpCode.replace(/\s/g, ''), now, locked.totp_last_step);
    if (!totp.ok) {
      await recordStaffSignInFailureInTrx(trx, known, `totp-${totp.reason}`, source, now);
      return err(failure('IDENTITY_STAFF_CREDENTIALS_NOT_RIGHT'));
    }
    await recordTotpStepInTrx(trx, staffId, totp.step, now);
    if (rehash !== null) await updateStaffPasswordHashInTrx(trx, staffId, rehash, now);
    const session = await startSessionInTrx(trx, { kind: 'staff', id: staffId }, {
      deviceLabel: source.deviceLabel, previousToken: source.previousSessionToken,
    }, now);
    await recordAuditInTrx(trx, {
      action: 'STAFF_SIGNED_IN',
      actor: { kind: 'staff', id: staffId, role: locked.role },
      subject: { type: 'staff', id: staffId },
      agencyId: locked.agency_id,
      detail: { sessionId: session.sessionId },
      sourceAddress: source.address,
    }, now);
    return ok({ ...session, staffId });
  });
}
