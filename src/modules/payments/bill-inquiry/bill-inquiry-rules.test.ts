/**
 * The pure bill inquiry rules: routing by prefix and length (a platform reference is never
 * routed; a 2-symbol prefix never takes a 3-symbol one's references), the agency's answer read
 * strictly, our answer to M-Pesa in its order of precedence, the fallback, and which lookup
 * addresses and timeouts are accepted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { money } from '#platform/money/index.ts';
import { generateBillReference } from '../bill-reference.ts';
import { c2bRejectionCodes } from '../mpesa/index.ts';
import {
  decideOnAnswer,
  decideOnFallback,
  lookupUrlAccepted,
  parseAgencyPrefix,
  parseLookupAnswer,
  routedPrefixOf,
  timeoutAccepted,
} from './bill-inquiry-rules.ts';

const randomBytes = (count: number) => crypto.getRandomValues(new Uint8Array(count));
const kes = (shillings: bigint) => money(shillings * 100n, 'KES');

describe('bill inquiry rules', () => {
  it('routes by prefix and length: never a platform reference, never the wrong prefix', () => {
    for (let index = 0; index < 500; index += 1) {
      const platform = generateBillReference(randomBytes);
      assert.equal(routedPrefixOf(platform), undefined, platform);
      const two = generateBillReference(randomBytes, 'KP');
      assert.equal(routedPrefixOf(two), 'KP');
      const three = generateBillReference(randomBytes, 'KPX');
      assert.equal(routedPrefixOf(three), 'KPX', 'a 3-symbol prefix starting like KP');
    }
  });

  it('reads prefixes like references (case, look-alikes) and refuses the rest', () => {
    assert.equal(parseAgencyPrefix('kp'), 'KP');
    assert.equal(parseAgencyPrefix('io'), '10');
    for (const bad of ['', 'K', 'KPLC', 'U1', 'K*']) {
      assert.equal(parseAgencyPrefix(bad), undefined, bad);
    }
  });

  it('reads the agency\'s answer strictly', () => {
    assert.deepEqual(parseLookupAnswer({ found: false }), { found: false });
    assert.deepEqual(parseLookupAnswer({ found: true, amountDueMinor: '150000',
      currency: 'KES' }), { found: true, amountDue: kes(1_500n) });
    for (const bad of [null, 'yes', {}, { found: 'true' },
      { found: true, amountDueMinor: 150000, currency: 'KES' },
      { found: true, amountDueMinor: '-1', currency: 'KES' },
      { found: true, amountDueMinor: '1.5', currency: 'KES' },
      { found: true, amountDueMinor: '100', currency: 'EUR' },
      { found: true, amountDueMinor: '1000000000000000', currency: 'KES' }]) {
      assert.equal(parseLookupAnswer(bad), undefined, JSON.stringify(bad));
    }
  });

  it('answers M-Pesa in order: not found, already paid, currency, above, below due', () => {
    const due = { found: true, amountDue: kes(1_000n) } as const;
    const table = [
      [{ found: false } as const, kes(1n), true, 'bill_not_found', 'C2B00012'],
      [{ found: true, amountDue: kes(0n) } as const, kes(1n), true, 'bill_already_paid',
        'C2B00012'],
      [{ found: true, amountDue: money(10_00n, 'USD') } as const, kes(10n), true,
        'bill_currency_differs', 'C2B00013'],
      [due, kes(1_001n), true, 'bill_amount_above_due', 'C2B00013'],
      [due, kes(999n), false, 'bill_amount_below_due', 'C2B00013'],
      [due, kes(999n), true, 'bill_found', undefined],
      [due, kes(1_000n), false, 'bill_found', undefined],
    ] as const;
    for (const [answer, amount, part, reason, code] of table) {
      const decision = decideOnAnswer(answer, amount, part);
      assert.equal(decision.reason, reason);
      assert.equal(decision.code, code);
      assert.equal(decision.accepted, code === undefined);
    }
  });

  it('applies the fallback: reject with "other error", or accept as unverified', () => {
    const rejected = decideOnFallback('reject', 'timeout');
    assert.deepEqual([rejected.accepted, rejected.code, rejected.decision],
      [false, c2bRejectionCodes.otherError, 'fallback_rejected']);
    const accepted = decideOnFallback('accept', 'unavailable');
    assert.deepEqual([accepted.accepted, accepted.decision, accepted.reason],
      [true, 'fallback_accepted', 'bill_unavailable_accepted']);
  });

  it('accepts https addresses; http only to this machine, and never in production', () => {
    const table: readonly (readonly [string, boolean, boolean])[] = [
      ['https://bills.kplc.example/lookup', true, true],
      ['http://127.0.0.1:4100/bill-lookup', true, false],
      ['http://localhost:4100/bill-lookup', true, false],
      ['http://bills.example.test/lookup', false, false],
      ['https://10.0.0.5/lookup', true, false],
      ['https://192.168.1.1/lookup', true, false],
      ['https://[::1]/lookup', true, false],
      ['https://localhost/lookup', true, false],
      ['https://billing.internal/lookup', true, false],
      ['https://[fd00::1]/lookup', true, false],
      ['https://user:pass@bills.example/lookup', false, false],
      ['ftp://bills.example/lookup', false, false],
      ['not a url', false, false],
      [`https://bills.example/${'x'.repeat(2_000)}`, false, false],
    ];
    for (const [url, development, production] of table) {
      assert.equal(lookupUrlAccepted(url, false), development, `${url} outside production`);
      assert.equal(lookupUrlAccepted(url, true), production, `${url} in production`);
    }
  });

  it('keeps the timeout well inside the 8 s M-Pesa waits', () => {
    for (const ok of [100, 3_000, 5_000]) assert.ok(timeoutAccepted(ok), String(ok));
    for (const bad of [99, 5_001, 8_000, 1.5, Number.NaN]) {
      assert.ok(!timeoutAccepted(bad), String(bad));
    }
  });
});
