/**
 * What a code entered against a challenge means, checked in a fixed order (the first broken
 * rule wins): used, locked, expired, then right or wrong; the last wrong try allowed locks it.
 */
import { oneTimeCodeAttemptsMax } from './identity-limits.ts';

export type ChallengeState = Readonly<{
  attempts: number;
  expiresAt: Date;
  consumedAt: Date | null;
  lockedAt: Date | null;
}>;

export type CodeVerdict =
  | Readonly<{ kind: 'accept' }>
  | Readonly<{ kind: 'already-used' }>
  | Readonly<{ kind: 'locked' }>
  | Readonly<{ kind: 'expired' }>
  | Readonly<{ kind: 'wrong'; attempts: number; attemptsLeft: number; locks: boolean }>;

export function judgeCode(state: ChallengeState, codeMatches: boolean, now: Date): CodeVerdict {
  if (state.consumedAt !== null) return { kind: 'already-used' };
  if (state.lockedAt !== null || state.attempts >= oneTimeCodeAttemptsMax) {
    return { kind: 'locked' };
  }
  if (now.getTime() >= state.expiresAt.getTime()) return { kind: 'expired' };
  if (codeMatches) return { kind: 'accept' };
  const attempts = state.attempts + 1;
  return {
    kind: 'wrong',
    attempts,
    attemptsLeft: oneTimeCodeAttemptsMax - attempts,
    locks: attempts >= oneTimeCodeAttemptsMax,
  };
}
