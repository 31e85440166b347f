import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { money } from '#platform/money/index.ts';
import {
  accessFeeFromTiers,
  kenyanDate,
  scheduleInForce,
  type AccessFeeSchedule,
  type AccessFeeTier,
} from './access-fee-rules.ts';

const tiers: readonly AccessFeeTier[] = [
  { currency: 'KES', fromMinor: 0n, belowMinor: 100_00n, feeMinor: 1_00n },
  { currency: 'KES', fromMinor: 100_00n, belowMinor: null, feeMinor: 2_00n },
];

function schedule(
  version: number,
  effectiveFrom: string,
  effectiveTo: string | null,
): AccessFeeSchedule {
  return { id: `s${version}`, version, effectiveFrom, effectiveTo, gazetteReference: 'g', tiers };
}

describe('access fee rules', () => {
  it('picks the tier whose range holds the amount, upper bound excluded', () => {
    assert.deepEqual(accessFeeFromTiers(tiers, money(99_99n, 'KES')), money(1_00n, 'KES'));
    assert.deepEqual(accessFeeFromTiers(tiers, money(100_00n, 'KES')), money(2_00n, 'KES'));
    assert.deepEqual(accessFeeFromTiers(tiers, money(10n ** 15n, 'KES')), money(2_00n, 'KES'));
  });

  it('charges nothing on a free service and knows no fee for an unpriced currency', () => {
    assert.deepEqual(accessFeeFromTiers(tiers, money(0n, 'KES')), money(0n, 'KES'));
    assert.equal(accessFeeFromTiers(tiers, money(5_00n, 'USD')), undefined);
  });

  it('finds the schedule in force: started, not ended, highest version on overlap', () => {
    const schedules = [
      schedule(1, '2023-07-01', '2025-01-01'),
      schedule(2, '2025-01-01', null),
      schedule(3, '2025-06-01', '2025-07-01'),
    ];
    assert.equal(scheduleInForce(schedules, '2023-06-30'), undefined);
    assert.equal(scheduleInForce(schedules, '2023-07-01')?.version, 1);
    assert.equal(scheduleInForce(schedules, '2024-12-31')?.version, 1);
    assert.equal(scheduleInForce(schedules, '2025-01-01')?.version, 2);
    assert.equal(scheduleInForce(schedules, '2025-06-15')?.version, 3);
    assert.equal(scheduleInForce(schedules, '2025-07-01')?.version, 2);
  });

  it('uses the Kenyan calendar date (UTC+3) for an instant', () => {
    assert.equal(kenyanDate(new Date('2025-06-30T20:59:59Z')), '2025-06-30');
    assert.equal(kenyanDate(new Date('2025-06-30T21:00:00Z')), '2025-07-01');
  });

  it('is monotone: a larger service fee never pays a smaller access fee', () => {
    fc.assert(fc.property(
      fc.bigInt({ min: 0n, max: 10n ** 12n }),
      fc.bigInt({ min: 0n, max: 10n ** 12n }),
      (first, second) => {
        const [low, high] = first <= second ? [first, second] : [second, first];
        const lowFee = accessFeeFromTiers(tiers, money(low, 'KES'));
        const highFee = accessFeeFromTiers(tiers, money(high, 'KES'));
        assert.ok(lowFee !== undefined && highFee !== undefined);
        assert.ok(lowFee.amountMinor <= highFee.amountMinor);
      },
    ));
  });
});
