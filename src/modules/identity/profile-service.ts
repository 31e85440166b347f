/**
 * The profile: register details (read-only), contact details (a change needs the password
 * again and a code sent to the NEW phone or e-mail, and is told to the old one), live
 * sessions, and who looked at the person's data.
 */
import type { Kysely } from 'kysely';
import { listAuditForSubject, recordAuditInTrx, type AuditRecord } from '#modules/audit/index.ts';
import { auditActorOf, type AccountActor } from '#modules/authorisation/index.ts';
import { enqueueNotificationInTrx } from '#modules/notifications/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { findAccountById, updateContactInTrx, type AccountRow } from './account-repo.ts';
import { normaliseEmail, normalisePhone } from './account-rules.ts';
import { startChallengeInTrx, verifyCodeInTrx } from './challenge-service.ts';
import { identityDb, type IdentityDeps, type RequestSource } from './identity-deps.ts';
import type { IdentityErrorCode } from './identity-errors.ts';
import { personalDataReadsListedMax, sessionsListedMax } from './identity-limits.ts';
import type { IdentityTables } from './identity-tables.ts';
import { checkPasswordAtGate } from './password-hash-gate.ts';
import { passwordLengthMax } from './password-hashing.ts';
import { allowAttempt } from './rate-limits.ts';
import {
  endSessionInTrx,
  listLiveSessionsOfAccount,
  type SessionRow,
} from './session-repo.ts';
import { idleSince } from './session-service.ts';

export type Profile = Readonly<{
  account: AccountRow;
  sessions: readonly SessionRow[];
  personalDataReads: readonly AuditRecord[];
}>;

export async function loadProfile(deps: IdentityDeps, actor: AccountActor): Promise<Profile> {
  const db = identityDb(deps);
  const now = deps.clock.now();
  const account = await findAccountById(db, actor.accountId);
  if (account === undefined) throw new Error('a live session names an account that exists');
  const sessions = await listLiveSessionsOfAccount(db, actor.accountId, now, idleSince(now),
    sessionsListedMax);
  const personalDataReads = await listAuditForSubject(deps.db,
    { type: 'account', id: actor.accountId },
    { limit: personalDataReadsListedMax, personalDataReadsOnly: true });
  return { account, sessions, personalDataReads };
}

export type ContactKind = 'phone' | 'email';

/**
 * Sends a code to the new phone or e-mail, once the holder has typed their password again:
 * a session alone (a borrowed phone, a stolen cookie) must not be enough to take the account
 * over by moving where its codes go. Wrong passwords count against the account's sign-in
 * limit.
 * @returns err IDENTITY_FORM_INVALID, IDENTITY_TOO_MANY_ATTEMPTS, IDENTITY_SIGN_IN_BUSY.
 */
export async function startContactChange(
  deps: IdentityDeps,
  actor: AccountActor,
  input: Readonly<{ kind: string; value: string; password: string; language: 'en' | 'sw' }>,
  source: RequestSource,
): Promise<Result<{ challengeToken: string; sentTo: string }, Failure<IdentityErrorCode>>> {
  const now = deps.clock.now();
  const db = identityDb(deps);
  const kind: ContactKind = input.kind === 'email' ? 'email' : 'phone';
  const value = kind === 'phone' ? normalisePhone(input.value) : normaliseEmail(input.value);
  if (value === undefined) {
    return err(failure('IDENTITY_FORM_INVALID', undefined, {
      value: kind === 'phone' ? 'identity.field.phoneInvalid' : 'identity.field.emailInvalid',
    }));
  }
  const reauthenticated = await checkOwnPassword(deps, actor, input.password, source);
  if (!reauthenticated.ok) return reauthenticated;
  if (!await allowAttempt(db, deps.secrets.addressKey, 'code-send',
    { principal: `account:${actor.accountId}`, address: source.address }, now)) {
    return err(failure('IDENTITY_TOO_MANY_ATTEMPTS'));
  }
  const challengeToken = await db.transaction().execute((trx) => startChallengeInTrx(trx, {
    purpose: 'contact-change', accountId: actor.accountId,
    channel: kind === 'phone' ? 'sms' : 'email', destination: value, language: input.language,
  }, now));
  return ok({ challengeToken, sentTo: value });
}

/** The holder's password again, limited and gated as a sign-in is. */
async function checkOwnPassword(
  deps: IdentityDeps,
  actor: AccountActor,
  password: string,
  source: RequestSource,
): Promise<Result<null, Failure<IdentityErrorCode>>> {
  const now = deps.clock.now();
  const db = identityDb(deps);
  const wrong = err(failure('IDENTITY_FORM_INVALID', undefined,
    { password: 'identity.field.passwordNotRight' }));
  if (password === '' || password.length > passwordLengthMax) return wrong;
  if (!await allowAttempt(db, deps.secrets.addressKey, 'sign-in',
    { principal: `account:${actor.accountId}`, address: source.address }, now)) {
    return err(failure('IDENTITY_TOO_MANY_ATTEMPTS'));
  }
  const account = await findAccountById(db, actor.accountId);
  const verdict = await checkPasswordAtGate(deps.passwordGate, password,
    account?.password_hash ?? null);
  if (verdict === 'busy') return err(failure('IDENTITY_SIGN_IN_BUSY'));
  return verdict.matches ? ok(null) : wrong;
}

/**
 * Checks the code and saves the new contact detail, and tells the old one (or, if there was
 * none of that kind, the other contact) that it changed, so an owner whose session was
 * misused hears of it where the one misusing it cannot hide it.
 * @returns err IDENTITY_CODE_NOT_RIGHT, IDENTITY_CODE_EXPIRED, IDENTITY_CHALLENGE_LOCKED,
 *   IDENTITY_CHALLENGE_NOT_FOUND (also when the challenge is another account's).
 */
export async function completeContactChange(
  deps: IdentityDeps,
  actor: AccountActor,
  input: Readonly<{ challengeToken: string; code: string }>,
  source: RequestSource,
): Promise<Result<{ kind: ContactKind }, Failure<IdentityErrorCode> & { attemptsLeft?: number }>> {
  const now = deps.clock.now();
  return identityDb(deps).transaction().execute(async (trx) => {
    const verified = await verifyCodeInTrx(trx, 'contact-change', input.challengeToken,
      input.code, now, actor.accountId);
    if (!verified.ok) {
      const { accountId: _accountId, ...rest } = verified.error;
      return err(rest);
    }
    const before = await findAccountById(trx, actor.accountId);
    if (before === undefined) throw new Error('a live session names an account that exists');
    const kind: ContactKind = verified.value.channel === 'sms' ? 'phone' : 'email';
    const destination = verified.value.destination;
    await updateContactInTrx(trx, actor.accountId,
      kind === 'phone' ? { phone: destination } : { email: destination }, now);
    await tellOldContactInTrx(trx, before, kind, destination, now);
    await recordAuditInTrx(trx, {
      action: 'ACCOUNT_CONTACT_CHANGED',
      actor: auditActorOf(actor),
      subject: { type: 'account', id: actor.accountId },
      detail: { contact: kind },
      sourceAddress: source.address,
    }, now);
    return ok({ kind });
  });
}

async function tellOldContactInTrx(
  trx: Kysely<IdentityTables>,
  before: AccountRow,
  kind: ContactKind,
  destination: string,
  now: Date,
): Promise<void> {
  const old = kind === 'phone' ? before.phone : before.email;
  const other = kind === 'phone' ? before.email : before.phone;
  const to = old !== null && old !== destination ? { channel: kind, to: old }
    : other === null ? undefined : { channel: kind === 'phone' ? 'email' : 'phone', to: other };
  if (to === undefined) return;
  await enqueueNotificationInTrx(trx, {
    channel: to.channel === 'phone' ? 'sms' : 'email', to: to.to,
    template: 'identity.contact-changed', language: before.language, params: {},
    accountId: before.id,
  }, now);
}

/**
 * Ends one of the holder's own sessions (say, a phone left signed in elsewhere).
 * @returns err IDENTITY_SESSION_NOT_FOUND (also for another account's session).
 */
export async function endOwnSession(
  deps: IdentityDeps,
  actor: AccountActor,
  sessionId: string,
  source: RequestSource,
): Promise<Result<null, Failure<IdentityErrorCode>>> {
  const now = deps.clock.now();
  return identityDb(deps).transaction().execute(async (trx) => {
    const ended = await endSessionInTrx(trx, { sessionId, accountId: actor.accountId },
      'ended-by-holder', now);
    if (!ended) return err(failure('IDENTITY_SESSION_NOT_FOUND'));
    await recordAuditInTrx(trx, {
      action: 'ACCOUNT_SESSION_ENDED',
      actor: auditActorOf(actor),
      subject: { type: 'account', id: actor.accountId },
      detail: { sessionId },
      sourceAddress: source.address,
    }, now);
    return ok(null);
  });
}
