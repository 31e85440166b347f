/**
 * Enrolment of a newly appointed member of staff, through the one-time link their appointer
 * handed over: the page shows a new authenticator secret; the person sets a password and
 * proves the app works with a first code. The link then stops working.
 */
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { checkNewPassword } from './account-rules.ts';
import { identityDb, type IdentityDeps, type RequestSource } from './identity-deps.ts';
import type { IdentityErrorCode } from './identity-errors.ts';
import { hashPasswordAtGate } from './password-hash-gate.ts';
import { hashToken } from './secret-tokens.ts';
import {
  completeEnrolmentInTrx,
  findEnrollingStaffInTrx,
  setPendingTotpSecretInTrx,
} from './staff-repo.ts';
import { openTotpSecret } from './staff-secrets.ts';
import { checkTotp, generateTotpSecret, otpauthUri } from './totp.ts';

export type Enrolment = Readonly<{
  email: string;
  displayName: string;
  totpSecret: string;
  otpauthUri: string;
}>;

type EnrolmentFailure = Failure<IdentityErrorCode>;

/**
 * What the enrolment page shows: the person and their (pending) authenticator secret, made on
 * the first visit and kept until enrolment completes.
 * @returns err IDENTITY_ENROLMENT_NOT_FOUND (used, expired or unknown link).
 */
export async function openEnrolment(
  deps: IdentityDeps,
  token: string,
): Promise<Result<Enrolment, EnrolmentFailure>> {
  const now = deps.clock.now();
  return identityDb(deps).transaction().execute(async (trx) => {
    const staff = await findEnrollingStaffInTrx(trx, hashToken(token), now);
    if (staff === undefined) return err(failure('IDENTITY_ENROLMENT_NOT_FOUND'));
    let secret = staff.totp_secret === null ? null
      : openTotpSecret(deps.secretBox, staff.totp_secret, staff.id);
    if (secret === null) {
      secret = generateTotpSecret();
      await setPendingTotpSecretInTrx(trx, staff.id, deps.secretBox.seal(secret, staff.id), now);
    }
    return ok({
      email: staff.email, displayName: staff.display_name, totpSecret: secret,
      otpauthUri: otpauthUri(secret, staff.email, 'Huduma'),
    });
  });
}

/**
 * Sets the password and confirms the authenticator with a first code.
 * @returns err IDENTITY_ENROLMENT_NOT_FOUND, IDENTITY_FORM_INVALID (password rules, or a code
 *   that does not match the secret shown).
 */
export async function completeEnrolment(
  deps: IdentityDeps,
  token: string,
  form: Readonly<{ password: string; totpCode: string }>,
  source: RequestSource,
): Promise<Result<{ staffId: string }, EnrolmentFailure>> {
  const now = deps.clock.now();
  const problem = checkNewPassword(form.password, '');
  if (problem !== undefined) {
    return err(failure('IDENTITY_FORM_INVALID', undefined, { password: problem }));
  }
  const passwordHash = await hashPasswordAtGate(deps.passwordGate, form.password);
  if (passwordHash === 'busy') return err(failure('IDENTITY_SIGN_IN_BUSY'));
  return identityDb(deps).transaction().execute(async (trx) => {
    const staff = await findEnrollingStaffInTrx(trx, hashToken(token), now);
    if (staff === undefined || staff.totp_secret === null) {
      return err(failure('IDENTITY_ENROLMENT_NOT_FOUND'));
    }
    const secret = openTotpSecret(deps.secretBox, staff.totp_secret, staff.id);
    const totp = checkTotp(secret, form.totpCode.replace(/\s/g, ''), now, null);
    if (!totp.ok) {
      return err(failure('IDENTITY_FORM_INVALID', undefined,
        { totpCode: 'identity.field.totpCodeWrong' }));
    }
    await completeEnrolmentInTrx(trx, staff.id, { passwordHash, totpStep: totp.step }, now);
    await recordAuditInTrx(trx, {
      action: 'STAFF_ENROLLED',
      actor: { kind: 'staff', id: staff.id, role: staff.role },
      subject: { type: 'staff', id: staff.id },
      agencyId: staff.agency_id,
      sourceAddress: source.address,
    }, now);
    return ok({ staffId: staff.id });
  });
}
