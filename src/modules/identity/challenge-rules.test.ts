import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeCode, type ChallengeState } from './challenge-rules.ts';

const now = new Date('2026-11-28T10:00:00Z');
const fresh: ChallengeState = {
  attempts: 0, expiresAt: new Date(now.getTime() + 60_000), consumedAt: null, lockedAt: null,
};

describe('judging a one-time code (rules in precedence order)', () => {
  const table: readonly [string, ChallengeState, boolean, string][] = [
    ['a used challenge refuses even the right code', { ...fresh, consumedAt: now }, true,
      'already-used'],
    ['a locked challenge refuses even the right code', { ...fresh, lockedAt: now }, true,
      'locked'],
    ['five wrong tries lock it even without locked_at', { ...fresh, attempts: 5 }, true,
      'locked'],
    ['used wins over locked', { ...fresh, consumedAt: now, lockedAt: now }, true, 'already-used'],
    ['an expired challenge refuses the right code', { ...fresh, expiresAt: now }, true,
      'expired'],
    ['locked wins over expired', { ...fresh, lockedAt: now, expiresAt: now }, false, 'locked'],
    ['the right code in time is accepted', fresh, true, 'accept'],
    ['a wrong code counts a try', fresh, false, 'wrong'],
  ];
  for (const [title, state, matches, expected] of table) {
    it(title, () => assert.equal(judgeCode(state, matches, now).kind, expected));
  }

  it('the fifth wrong try locks; the fourth leaves one', () => {
    assert.deepEqual(judgeCode({ ...fresh, attempts: 3 }, false, now),
      { kind: 'wrong', attempts: 4, attemptsLeft: 1, locks: false });
    assert.deepEqual(judgeCode({ ...fresh, attempts: 4 }, false, now),
      { kind: 'wrong', attempts: 5, attemptsLeft: 0, locks: true });
  });
});
