/**
 * Password reset by a one-time code. Whether or not the document has an account, the answer
 * and the behaviour are the same (an unknown document gets a decoy challenge that never
 * succeeds), so the reset page cannot be used to find out who has an account.
 */
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { enqueueNotificationInTrx } from '#modules/notifications/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import {
  findAccountByDocument,
  findAccountById,
  updatePasswordHashInTrx,
} from './account-repo.ts';
import { checkDocumentNumber, checkNewPassword } from './account-rules.ts';
import { startChallengeInTrx, verifyCodeInTrx } from './challenge-service.ts';
import { identityDb, type IdentityDeps, type RequestSource } from './identity-deps.ts';
import type { IdentityErrorCode } from './identity-errors.ts';
import { hashPasswordAtGate } from './password-hash-gate.ts';
import { containsDocumentNumber } from './password-policy.ts';
import { allowAttempt, documentPrincipal } from './rate-limits.ts';
import { isSignInDocumentType } from './register/index.ts';
import { endAllSessionsInTrx } from './session-repo.ts';
import { provenDevice } from './trusted-device.ts';

/**
 * Step 1: sends a code to the account's phone or e-mail, if there is an account.
 * @returns err IDENTITY_FORM_INVALID, IDENTITY_TOO_MANY_ATTEMPTS.
 */
export async function startPasswordReset(
  deps: IdentityDeps,
  form: Readonly<{ documentType: string; documentNumber: string; language: 'en' | 'sw' }>,
  source: RequestSource,
): Promise<Result<{ challengeToken: string }, Failure<IdentityErrorCode>>> {
  const now = deps.clock.now();
  const db = identityDb(deps);
  const documentNumber = isSignInDocumentType(form.documentType)
    ? checkDocumentNumber(form.documentType, form.documentNumber) : undefined;
  if (documentNumber === undefined) {
    return err(failure('IDENTITY_FORM_INVALID', undefined,
      { documentNumber: 'identity.field.documentNumberInvalid' }));
  }
  const account = await findAccountByDocument(db, form.documentType as 'national_id',
    documentNumber);
  const canReset = account !== undefined && account.password_hash !== null;
  // Counted per document, known or not: the limit must not tell who has an account; a
  // browser the person signed in on counts apart, so strangers cannot stop their reset.
  const key = deps.secrets.addressKey;
  const principal = documentPrincipal(key, form.documentType, documentNumber);
  if (!await allowAttempt(db, key, 'code-send', { principal, address: source.address,
    device: provenDevice(key, principal, source.deviceTokens, now) }, now)) {
    return err(failure('IDENTITY_TOO_MANY_ATTEMPTS'));
  }
  const channel = account?.code_channel ?? 'sms';
  const destination = (channel === 'sms' ? account?.phone : account?.email) ?? '';
  const challengeToken = await db.transaction().execute((trx) => startChallengeInTrx(trx, {
    purpose: 'password-reset',
    accountId: canReset ? account.id : null,
    channel,
    destination,
    language: account?.language ?? form.language,
  }, now));
  return ok({ challengeToken });
}

/** Thrown to roll back a proven code, so the person can try another password with it. */
class PasswordHoldsDocumentNumber extends Error {}

/**
 * Step 2: checks the code and sets the new password; every session of the account ends and
 * every contact on the account is told (the phone and the e-mail). The
 * ID number rule is checked only once the code is proven (a decoy must not answer otherwise),
 * and then the code stays unused.
 * @returns err IDENTITY_FORM_INVALID, IDENTITY_CODE_NOT_RIGHT, IDENTITY_CODE_EXPIRED,
 *   IDENTITY_CHALLENGE_LOCKED, IDENTITY_CHALLENGE_NOT_FOUND.
 */
export async function completePasswordReset(
  deps: IdentityDeps,
  input: Readonly<{ challengeToken: string; code: string; password: string }>,
  source: RequestSource,
): Promise<Result<{ accountId: string }, Failure<IdentityErrorCode> & { attemptsLeft?: number }>> {
  const now = deps.clock.now();
  const db = identityDb(deps);
  const problem = checkNewPassword(input.password, '');
  if (problem !== undefined) {
    return err(failure('IDENTITY_FORM_INVALID', undefined, { password: problem }));
  }
  const passwordHash = await hashPasswordAtGate(deps.passwordGate, input.password);
  if (passwordHash === 'busy') return err(failure('IDENTITY_SIGN_IN_BUSY'));
  try {
    return await db.transaction().execute(async (trx) => {
      const verified = await verifyCodeInTrx(trx, 'password-reset', input.challengeToken,
        input.code, now);
      if (!verified.ok) {
        const { accountId: _accountId, ...rest } = verified.error;
        return err(rest);
      }
      const accountId = verified.value.account_id;
      // A decoy's code hash matches no code, so only a real account gets here.
      if (accountId === null) throw new Error('a decoy challenge was accepted');
      const account = await findAccountById(trx, accountId);
      if (containsDocumentNumber(input.password, account?.document_number ?? '')) {
        throw new PasswordHoldsDocumentNumber();
      }
      await updatePasswordHashInTrx(trx, accountId, passwordHash, now);
      // Every contact hears of it: the code went to one, and that one may be newly changed.
      for (const [channel, to] of [['sms', account?.phone], ['email', account?.email]] as const) {
        if (to === null || to === undefined) continue;
        await enqueueNotificationInTrx(trx, { channel, to, template: 'identity.password-changed',
          language: account?.language ?? 'en', params: {}, accountId }, now);
      }
      const ended = await endAllSessionsInTrx(trx, { kind: 'account', id: accountId },
        'password-reset', now);
      await recordAuditInTrx(trx, {
        action: 'ACCOUNT_PASSWORD_RESET',
        actor: { kind: 'account', id: accountId, role: 'account-holder' },
        subject: { type: 'account', id: accountId },
        detail: { sessionsEnded: ended },
        sourceAddress: source.address,
      }, now);
      return ok({ accountId });
    });
  } catch (error) {
    if (!(error instanceof PasswordHoldsDocumentNumber)) throw error;
    return err(failure('IDENTITY_FORM_INVALID', undefined,
      { password: 'identity.field.passwordHasDocument' }));
  }
}
