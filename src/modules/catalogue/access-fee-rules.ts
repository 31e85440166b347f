/**
 * The access (convenience) fee: a pure function over the gazetted tier table. The tiers are
 * data (table access_fee_tier, one set per gazetted schedule version), never code, so a new
 * gazette notice is a new schedule row, not a release.
 */
import { money, zero, type Currency, type Money } from '#platform/money/index.ts';
import type { CalendarDate } from './catalogue-types.ts';

export type AccessFeeTier = Readonly<{
  currency: Currency;
  fromMinor: bigint;
  /** Exclusive upper bound; null means "and above". */
  belowMinor: bigint | null;
  feeMinor: bigint;
}>;

export type AccessFeeSchedule = Readonly<{
  id: string;
  version: number;
  effectiveFrom: CalendarDate;
  effectiveTo: CalendarDate | null;
  gazetteReference: string;
  tiers: readonly AccessFeeTier[];
}>;

/**
 * The access fee on a service fee, or undefined when no tier of the schedule covers it (a
 * currency the schedule does not price). A free service raises no invoice, so it carries no
 * access fee either.
 */
export function accessFeeFromTiers(
  tiers: readonly AccessFeeTier[],
  serviceFee: Money,
): Money | undefined {
  if (serviceFee.amountMinor === 0n) return zero(serviceFee.currency);
  const tier = tiers.find((candidate) => candidate.currency === serviceFee.currency &&
    candidate.fromMinor <= serviceFee.amountMinor &&
    (candidate.belowMinor === null || serviceFee.amountMinor < candidate.belowMinor));
  return tier === undefined ? undefined : money(tier.feeMinor, serviceFee.currency);
}

/**
 * The schedule in force on a date: effective on or before it, not yet ended; where two
 * overlap (a correction gazetted later), the highest version wins.
 */
export function scheduleInForce(
  schedules: readonly AccessFeeSchedule[],
  date: CalendarDate,
): AccessFeeSchedule | undefined {
  let found: AccessFeeSchedule | undefined;
  for (const schedule of schedules) {
    const started = schedule.effectiveFrom <= date;
    const ended = schedule.effectiveTo !== null && schedule.effectiveTo <= date;
    if (started && !ended && (found === undefined || schedule.version > found.version)) {
      found = schedule;
    }
  }
  return found;
}

/** Kenya keeps East Africa Time (UTC+3) all year, with no daylight saving. */
const eastAfricaOffsetMs = 3 * 60 * 60 * 1000;

/** The calendar date in Kenya at an instant: fees change at midnight in Nairobi, not in UTC. */
export function kenyanDate(instant: Date): CalendarDate {
  return new Date(instant.getTime() + eastAfricaOffsetMs).toISOString().slice(0, 10);
}
