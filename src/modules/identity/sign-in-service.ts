/**
 * Sign-in of account holders: the password, then a one-time code sent to their phone or
 * e-mail, then a new session. Every sign-in and every failed attempt is audited; attempts are
 * rate-limited per document (whether or not it has an account: an unknown one answers exactly
 * as a known one) and per source address, and a browser the person signed in on before counts
 * on its own, so strangers cannot lock them out of it. Password checks wait for a slot of the
 * password-hash gate, or are refused at once as busy.
 */
import type { Kysely } from 'kysely';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import {
  findAccountByDocument,
  findAccountById,
  updatePasswordHashInTrx,
  type AccountRow,
} from './account-repo.ts';
import { checkDocumentNumber } from './account-rules.ts';
import { startChallengeInTrx, verifyCodeInTrx } from './challenge-service.ts';
import { identityDb, type IdentityDeps, type RequestSource } from './identity-deps.ts';
import type { IdentityErrorCode } from './identity-errors.ts';
import type { IdentityTables } from './identity-tables.ts';
import { checkPasswordAtGate } from './password-hash-gate.ts';
import { passwordLengthMax } from './password-hashing.ts';
import { allowAttempt, documentPrincipal } from './rate-limits.ts';
import { isSignInDocumentType } from './register/index.ts';
import { startSessionInTrx, type StartedSession } from './session-service.ts';
import { issueDeviceToken, provenDevice } from './trusted-device.ts';

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
 * @returns err IDENTITY_CREDENTIALS_NOT_RIGHT (unknown document and wrong password look the
 *   same), IDENTITY_TOO_MANY_ATTEMPTS, IDENTITY_SIGN_IN_BUSY (no password-hash slot).
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
  // Shed before any database work: a flood must cost us as little as possible.
  if (deps.passwordGate.full()) return err(failure('IDENTITY_SIGN_IN_BUSY'));
  const key = deps.secrets.addressKey;
  const principal = documentPrincipal(key, form.documentType, documentNumber);
  const device = provenDevice(key, principal, source.deviceTokens, now);
  const account = await findAccountByDocument(db, form.documentType as 'national_id',
    documentNumber);
  const audited = (reason: string) => db.transaction().execute((trx) =>
    recordSignInFailureInTrx(trx, account?.id ?? null, reason, source, now));
  if (!await allowAttempt(db, key, 'sign-in', { principal, address: source.address, device },
    now)) {
    await audited('rate-limited');
    return err(failure('IDENTITY_TOO_MANY_ATTEMPTS'));
  }
  const verdict = await checkPasswordAtGate(deps.passwordGate, form.password,
    account?.password_hash ?? null);
  if (verdict === 'busy') return err(failure('IDENTITY_SIGN_IN_BUSY'));
  if (account === undefined || account.password_hash === null || !verdict.matches) {
    await audited(account === undefined ? 'unknown-account' : 'wrong-password');
    return err(failure('IDENTITY_CREDENTIALS_NOT_RIGHT'));
  }
  if (!await allowAttempt(db, key, 'code-send', { principal, address: source.address, device },
    now)) {
    await audited('too-many-codes');
    return err(failure('IDENTITY_TOO_MANY_ATTEMPTS'));
  }
  return ok(await sendSignInCode(deps, account, verdict.rehash, now));
}

async function sendSignInCode(
  deps: IdentityDeps,
  account: AccountRow,
  rehash: string | null,
  now: Date,
): Promise<CodeSent> {
  const channel = account.code_channel;
  const destination = channel === 'sms' ? account.phone : account.email;
  if (destination === null) throw new Error('account_sign_in_contact_check guarantees this');
  const challengeToken = await identityDb(deps).transaction().execute(async (trx) => {
    if (rehash !== null) await updatePasswordHashInTrx(trx, account.id, rehash, now);
    return startChallengeInTrx(trx, {
      purpose: 'sign-in', accountId: account.id, channel, destination,
      language: account.language,
    }, now);
  });
  return { challengeToken, sentTo: destination };
}

export type SignedIn = StartedSession & Readonly<{
  accountId: string;
  /** The browser's device tokens cookie, with one for this account first. */
  deviceTokens: string;
}>;

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
    const account = accountId === null ? undefined : await findAccountById(trx, accountId);
    if (account === undefined) throw new Error('a sign-in challenge always has an account');
    const session = await startSessionInTrx(trx, { kind: 'account', id: account.id }, {
      deviceLabel: source.deviceLabel, previousToken: input.previousSessionToken,
    }, now);
    await recordAuditInTrx(trx, {
      action: 'ACCOUNT_SIGNED_IN',
      actor: { kind: 'account', id: account.id, role: 'account-holder' },
      subject: { type: 'account', id: account.id },
      detail: { sessionId: session.sessionId, channel: verified.value.channel },
      sourceAddress: source.address,
    }, now);
    const principal = documentPrincipal(deps.secrets.addressKey, account.document_type,
      account.document_number);
    const deviceTokens = issueDeviceToken(deps.secrets.addressKey, principal,
      source.deviceTokens, now);
    return ok({ ...session, accountId: account.id, deviceTokens });
  });
}
