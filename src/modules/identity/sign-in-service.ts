/**
 * Sign-in of account holders: the password, then a one-time code sent to their phone or
 * e-mail, then a new session. Every sign-in and every failed attempt is audited; attempts are
 * rate-limited per account and per source address.
 */
import type { Kysely } from 'kysely';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { findAccountByDocument, updatePasswordHashInTrx } from './account-repo.ts';
import { checkDocumentNumber } from './account-rules.ts';
import { startChallengeInTrx, verifyCodeInTrx } from './challenge-service.ts';
import { identityDb, type IdentityDeps, type RequestSource } from './identity-deps.ts';
import type { IdentityErrorCode } from './identity-errors.ts';
import type { IdentityTables } from './identity-tables.ts';
import {
  hashPassword,
  needsRehash,
  passwordLengthMax,
  verifyAgainstNothing,
  verifyPassword,
} from './password-hashing.ts';
import { allowAttempt } from './rate-limits.ts';
import { isSignInDocumentType } from './register/index.ts';
import { startSessionInTrx, type StartedSession } from './session-service.ts';

export type SignInForm = Readonly<{
  documentType: string;
  documentNumber: string;
  password: string;
}>;

type SignInFailure = Failure<IdentityErrorCode>;

export async function recordSignInFailureInTrx(
  trx: Kysely<IdentityTables>,
  accountId: string | null,
  reason: string,
  source: RequestSource,
  now: Date,
): Promise<void> {
  await recordAuditInTrx(trx, {
    action: 'ACCOUNT_SIGN_IN_FAILED',
    actor: { kind: 'account', id: accountId, role: 'account-holder' },
    subject: { type: 'account', id: accountId },
    detail: { reason },
    sourceAddress: source.address,
  }, now);
}

export type CodeSent = Readonly<{ challengeToken: string; sentTo: string }>;

/**
 * Step 1: checks the password and sends a code.
 * @returns err IDENTITY_FORM_INVALID, IDENTITY_TOO_MANY_ATTEMPTS,
 *   IDENTITY_CREDENTIALS_NOT_RIGHT (unknown document and wrong password look the same).
 */
export async function startAccountSignIn(
  deps: IdentityDeps,
  form: SignInForm,
  source: RequestSource,
): Promise<Result<CodeSent, SignInFailure>> {
  const now = deps.clock.now();
  const db = identityDb(deps);
  const documentNumber = isSignInDocumentType(form.documentType)
    ? checkDocumentNumber(form.documentType, form.documentNumber) : undefined;
  if (documentNumber === undefined || form.password === '' ||
    form.password.length > passwordLengthMax) {
    return err(failure('IDENTITY_CREDENTIALS_NOT_RIGHT'));
  }
  const account = await findAccountByDocument(db, form.documentType as 'national_id',
    documentNumber);
  const accountId = account?.id ?? null;
  const principal = accountId === null ? undefined : `account:${accountId}`;
  const audited = (reason: string) => db.transaction().execute((trx) =>
    recordSignInFailureInTrx(trx, accountId, reason, source, now));
  if (!await allowAttempt(db, deps.secrets.addressKey, 'sign-in',
    { principal, address: source.address }, now)) {
    await audited('rate-limited');
    return err(failure('IDENTITY_TOO_MANY_ATTEMPTS'));
  }
  if (account === undefined || account.password_hash === null) {
    await verifyAgainstNothing(form.password);
    await audited('unknown-account');
    return err(failure('IDENTITY_CREDENTIALS_NOT_RIGHT'));
  }
  if (!await verifyPassword(form.password, account.password_hash)) {
    await audited('wrong-password');
    return err(failure('IDENTITY_CREDENTIALS_NOT_RIGHT'));
  }
  if (!await allowAttempt(db, deps.secrets.addressKey, 'code-send',
    { principal, address: source.address }, now)) {
    await audited('too-many-codes');
    return err(failure('IDENTITY_TOO_MANY_ATTEMPTS'));
  }
  const rehash = needsRehash(account.password_hash) ? await hashPassword(form.password) : null;
  const channel = account.code_channel;
  const destination = channel === 'sms' ? account.phone : account.email;
  if (destination === null) throw new Error('account_sign_in_contact_check guarantees this');
  const challengeToken = await db.transaction().execute(async (trx) => {
    if (rehash !== null) await updatePasswordHashInTrx(trx, account.id, rehash, now);
    return startChallengeInTrx(trx, {
      purpose: 'sign-in', accountId: account.id, channel, destination,
      language: account.language,
    }, now);
  });
  return ok({ challengeToken, sentTo: destination });
}

export type SignedIn = StartedSession & Readonly<{ accountId: string }>;

/**
 * Step 2: checks the code and starts a session (ending the browser's previous one).
 * @returns err IDENTITY_CODE_NOT_RIGHT, IDENTITY_CODE_EXPIRED, IDENTITY_CHALLENGE_LOCKED,
 *   IDENTITY_CHALLENGE_NOT_FOUND.
 */
export async function completeAccountSignIn(
  deps: IdentityDeps,
  input: Readonly<{ challengeToken: string; code: string; previousSessionToken?: string }>,
  source: RequestSource,
): Promise<Result<SignedIn, SignInFailure & { attemptsLeft?: number }>> {
  const now = deps.clock.now();
  return identityDb(deps).transaction().execute(async (trx) => {
    const verified = await verifyCodeInTrx(trx, 'sign-in', input.challengeToken, input.code, now);
    if (!verified.ok) {
      const { accountId, ...problem } = verified.error;
      if (accountId !== null) {
        await recordSignInFailureInTrx(trx, accountId, problem.code === 'IDENTITY_CODE_NOT_RIGHT'
          ? 'wrong-code' : problem.code.toLowerCase(), source, now);
      }
      return err(problem);
    }
    const accountId = verified.value.account_id;
    if (accountId === null) throw new Error('a sign-in challenge always has an account');
    const session = await startSessionInTrx(trx, { kind: 'account', id: accountId }, {
      deviceLabel: source.deviceLabel, previousToken: input.previousSessionToken,
    }, now);
    await recordAuditInTrx(trx, {
      action: 'ACCOUNT_SIGNED_IN',
      actor: { kind: 'account', id: accountId, role: 'account-holder' },
      subject: { type: 'account', id: accountId },
      detail: { sessionId: session.sessionId, channel: verified.value.channel },
      sourceAddress: source.address,
    }, now);
    return ok({ ...session, accountId });
  });
}
