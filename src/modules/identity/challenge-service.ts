/**
 * One-time-code challenges: a code is sent to a phone or e-mail, the browser holds a random
 * challenge token (cookie), and the code is checked against the challenge that token names.
 * Codes expire, are single use and lock after too many wrong tries.
 */
import type { Kysely } from 'kysely';
import { enqueueNotificationInTrx } from '#modules/notifications/index.ts';
import { err, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import {
  consumeChallengeInTrx,
  findChallengeForUpdateInTrx,
  insertChallengeInTrx,
  recordWrongCodeInTrx,
  type ChallengeRow,
} from './challenge-repo.ts';
import { judgeCode } from './challenge-rules.ts';
import type { IdentityErrorCode } from './identity-errors.ts';
import { oneTimeCodeLifetimeMs } from './identity-limits.ts';
import type { ChallengePurpose, CodeChannel, IdentityTables } from './identity-tables.ts';
import {
  generateOneTimeCode,
  generateToken,
  hashOneTimeCode,
  hashToken,
  sameSecret,
} from './secret-tokens.ts';

const templates = {
  'sign-in': 'identity.sign-in-code',
  'password-reset': 'identity.password-reset-code',
  'contact-change': 'identity.contact-change-code',
} as const satisfies Readonly<Record<ChallengePurpose, string>>;

export type ChallengeRequest = Readonly<{
  purpose: ChallengePurpose;
  /** Null only for a password-reset decoy (unknown document): nothing is sent. */
  accountId: string | null;
  channel: CodeChannel;
  destination: string;
  language: 'en' | 'sw';
}>;

/** Creates a challenge and queues its code; returns the token for the browser's cookie. */
export async function startChallengeInTrx(
  trx: Kysely<IdentityTables>,
  request: ChallengeRequest,
  now: Date,
): Promise<string> {
  const token = generateToken();
  const code = generateOneTimeCode();
  await insertChallengeInTrx(trx, {
    id: uuidv7(now.getTime()),
    tokenHash: hashToken(token),
    purpose: request.purpose,
    accountId: request.accountId,
    // A decoy stores a random value where the hash goes: no code can ever match it.
    codeHash: request.accountId === null ? generateToken() : hashOneTimeCode(code, token),
    channel: request.channel,
    destination: request.destination,
    expiresAt: new Date(now.getTime() + oneTimeCodeLifetimeMs),
  }, now);
  if (request.accountId !== null) {
    await enqueueNotificationInTrx(trx, {
      channel: request.channel,
      to: request.destination,
      template: templates[request.purpose],
      language: request.language,
      params: { code, minutes: String(oneTimeCodeLifetimeMs / 60_000) },
      accountId: request.accountId,
    }, now);
  }
  return token;
}

export type CodeFailure = Failure<IdentityErrorCode> & Readonly<{
  /** The account the challenge was for, to audit the failure against. */
  accountId: string | null;
  attemptsLeft?: number;
}>;

/**
 * Checks `code` against the challenge named by `token`, in the caller's transaction. A wrong
 * code is counted (and may lock the challenge) even though the result is a failure, so the
 * caller must COMMIT on failure too. On success the challenge is consumed. With `accountId`,
 * another account's challenge is not found, and neither counted nor consumed.
 */
export async function verifyCodeInTrx(
  trx: Kysely<IdentityTables>,
  purpose: ChallengePurpose,
  token: string,
  code: string,
  now: Date,
  accountId?: string,
): Promise<Result<ChallengeRow, CodeFailure>> {
  const challenge = await findChallengeForUpdateInTrx(trx, hashToken(token), purpose);
  if (challenge === undefined ||
    (accountId !== undefined && challenge.account_id !== accountId)) {
    return err({ code: 'IDENTITY_CHALLENGE_NOT_FOUND', accountId: null });
  }
  const cleaned = code.replace(/\s/g, '');
  const matches = /^\d{6}$/.test(cleaned) &&
    sameSecret(hashOneTimeCode(cleaned, token), challenge.code_hash);
  const verdict = judgeCode({
    attempts: challenge.attempts,
    expiresAt: challenge.expires_at,
    consumedAt: challenge.consumed_at,
    lockedAt: challenge.locked_at,
  }, matches, now);
  const challengeAccountId = challenge.account_id;
  switch (verdict.kind) {
    case 'accept':
      await consumeChallengeInTrx(trx, challenge.id, now);
      return ok(challenge);
    case 'already-used':
      return err({ code: 'IDENTITY_CHALLENGE_NOT_FOUND', accountId: challengeAccountId });
    case 'locked':
      return err({ code: 'IDENTITY_CHALLENGE_LOCKED', accountId: challengeAccountId });
    case 'expired':
      return err({ code: 'IDENTITY_CODE_EXPIRED', accountId: challengeAccountId });
    case 'wrong':
      await recordWrongCodeInTrx(trx, challenge.id, verdict.attempts,
        verdict.locks ? now : null);
      return err(verdict.locks
        ? { code: 'IDENTITY_CHALLENGE_LOCKED', accountId: challengeAccountId }
        : { code: 'IDENTITY_CODE_NOT_RIGHT', accountId: challengeAccountId,
          attemptsLeft: verdict.attemptsLeft });
  }
}
