/**
 * The pure rules of the assisted service: consent codes (six digits, hashed per request,
 * judged right, wrong, expired or locked), live sessions, what the agent is shown of the
 * citizen, what the agent typed to find them, and the agent-fee caps (which is in force, and
 * that a fee passes exactly when it is at most the cap).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { money } from '#platform/money/index.ts';
import { consentCodeAttemptsMax } from './assisted-limits.ts';
import {
  generateConsentCode,
  hashConsentCode,
  isSessionLive,
  judgeConsentCode,
  maskDocumentNumber,
  parseCitizenQuery,
  sameHash,
  shortName,
} from './consent-rules.ts';
import {
  capInForce,
  capsInForce,
  isWithinCap,
  kenyanDateOf,
  parseShillings,
  type FeeCap,
} from './fee-rules.ts';

const now = new Date('2026-12-05T10:00:00Z');
const later = new Date(now.getTime() + 60_000);

describe('consent codes', () => {
  it('are six digits, and a hash matches only its own request and code', () => {
    const code = generateConsentCode();
    assert.match(code, /^\d{6}$/);
    const hash = hashConsentCode('request-a', code);
    assert.ok(sameHash(hash, hashConsentCode('request-a', code)));
    assert.ok(!sameHash(hash, hashConsentCode('request-b', code)));
    const other = code === '000000' ? '000001' : '000000';
    assert.ok(!sameHash(hash, hashConsentCode('request-a', other)));
    assert.ok(!sameHash(hash, 'short'));
  });

  it('consents with the right code in time, counts a wrong one, refuses when expired', () => {
    const state = { attempts: 0, codeExpiresAt: later, consentedAt: null };
    assert.deepEqual(judgeConsentCode(state, true, now), { kind: 'consented' });
    assert.deepEqual(judgeConsentCode(state, false, now),
      { kind: 'wrong', attemptsLeft: consentCodeAttemptsMax - 1 });
    assert.deepEqual(judgeConsentCode(state, true, later), { kind: 'expired' });
    assert.deepEqual(judgeConsentCode({ ...state, consentedAt: now }, true, now),
      { kind: 'expired' }, 'a used code does not open a second session');
    assert.deepEqual(judgeConsentCode({ ...state, attempts: consentCodeAttemptsMax }, true, now),
      { kind: 'expired' }, 'locked after too many wrong codes, even with the right one');
  });

  it('a session is live only once consented, before its end, and not ended', () => {
    const live = { consentedAt: now, sessionExpiresAt: later, endedAt: null };
    assert.ok(isSessionLive(live, now));
    assert.ok(!isSessionLive(live, later));
    assert.ok(!isSessionLive({ ...live, endedAt: now }, now));
    assert.ok(!isSessionLive({ consentedAt: null, sessionExpiresAt: null, endedAt: null }, now));
  });
});

describe('what the agent sees and types', () => {
  it('masks the ID number but its last three characters, and shortens the name', () => {
    assert.equal(maskDocumentNumber('12345678'), '*****678');
    assert.equal(maskDocumentNumber('1234'), '***234');
    assert.equal(shortName({ firstName: 'Wanjiru', lastName: 'otieno', businessName: null }),
      'Wanjiru O.');
    assert.equal(shortName({ firstName: 'Wanjiru', lastName: null, businessName: null }),
      'Wanjiru');
    assert.equal(shortName({ firstName: null, lastName: null, businessName: 'Duka Ltd' }),
      'Duka Ltd');
  });

  it('reads a phone number in any usual form, or an ID number, and nothing else', () => {
    for (const typed of ['0712 345 678', '+254712345678', '254712345678', '0112-345-678']) {
      assert.equal(parseCitizenQuery(typed)?.kind, 'phone', typed);
    }
    assert.deepEqual(parseCitizenQuery('0712345678'), { kind: 'phone', phone: '+254712345678' });
    assert.deepEqual(parseCitizenQuery('+447911123456'), { kind: 'phone', phone: '+447911123456' });
    assert.deepEqual(parseCitizenQuery(' 12345678 '),
      { kind: 'document', documentNumber: '12345678' });
    assert.deepEqual(parseCitizenQuery('ak123456'),
      { kind: 'document', documentNumber: 'AK123456' });
    for (const typed of ['', '12', 'drop table', '1234567890123']) {
      assert.equal(parseCitizenQuery(typed), undefined, typed);
    }
  });
});

describe('agent-fee caps', () => {
  const kes = (minor: bigint) => money(minor, 'KES');
  const caps: FeeCap[] = [
    { id: 'flat-1', serviceId: null, cap: kes(10_000n), effectiveFrom: '2026-01-01' },
    { id: 'flat-2', serviceId: null, cap: kes(15_000n), effectiveFrom: '2026-12-10' },
    { id: 'search-1', serviceId: 'search', cap: kes(5_000n), effectiveFrom: '2026-06-01' },
  ];

  it('takes the service\'s own latest cap in force, else the flat one', () => {
    assert.equal(capInForce(caps, 'search', '2026-12-05')?.id, 'search-1');
    assert.equal(capInForce(caps, 'search', '2026-05-31')?.id, 'flat-1');
    assert.equal(capInForce(caps, 'other', '2026-12-05')?.id, 'flat-1');
    assert.equal(capInForce(caps, 'other', '2026-12-10')?.id, 'flat-2');
    assert.equal(capInForce(caps, 'other', '2025-12-31'), undefined);
    assert.deepEqual(capsInForce(caps, '2026-12-05').map((cap) => cap.id).sort(),
      ['flat-1', 'search-1']);
  });

  it('dates by the Kenyan calendar (UTC+3)', () => {
    assert.equal(kenyanDateOf(new Date('2026-12-04T20:59:59Z')), '2026-12-04');
    assert.equal(kenyanDateOf(new Date('2026-12-04T21:00:00Z')), '2026-12-05');
  });

  it('reads shillings as typed, and refuses what is not an amount or absurdly large', () => {
    assert.deepEqual(parseShillings('50'), kes(5_000n));
    assert.deepEqual(parseShillings('1,000.5'), kes(100_050n));
    for (const typed of ['', '-5', '5.001', 'fifty', '100001']) {
      assert.equal(parseShillings(typed), undefined, typed);
    }
  });

  it('a fee passes exactly when it is at most the cap (any amounts)', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 9n }),
      fc.bigInt({ min: 0n, max: 10n ** 9n }), (fee, cap) =>
        isWithinCap(kes(fee), kes(cap)) === (fee <= cap)));
  });

  it('the cap in force is never one from after the date, and the latest before it', () => {
    const capArb = fc.record({
      id: fc.uuid(), serviceId: fc.constantFrom(null, 's'), cap: fc.constant(kes(1n)),
      effectiveFrom: fc.integer({ min: 1, max: 28 })
        .map((day) => `2026-02-${String(day).padStart(2, '0')}`),
    });
    fc.assert(fc.property(fc.array(capArb, { maxLength: 8 }), fc.integer({ min: 1, max: 28 }),
      (list, day) => {
        const date = `2026-02-${String(day).padStart(2, '0')}`;
        const found = capInForce(list, 's', date);
        const own = list.filter((cap) => cap.serviceId === 's' && cap.effectiveFrom <= date);
        const flat = list.filter((cap) => cap.serviceId === null && cap.effectiveFrom <= date);
        const pool = own.length > 0 ? own : flat;
        if (pool.length === 0) return found === undefined;
        return found !== undefined && found.effectiveFrom <= date &&
          pool.every((cap) => cap.effectiveFrom <= found.effectiveFrom);
      }));
  });
});
