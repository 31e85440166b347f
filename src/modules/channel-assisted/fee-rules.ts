/**
 * The pure rules of the agent-fee table: which cap is in force for a service on a date (its
 * own latest cap from on or before that date, else the flat cap), and whether a fee is within
 * it. Fees are Money in KES; the agent fee is never added to the government's invoice.
 */
import { compare, money, parseMajor, type Money } from '#platform/money/index.ts';

export type FeeCap = Readonly<{
  id: string;
  /** Null: the flat cap for every service without one of its own. */
  serviceId: string | null;
  cap: Money;
  /** YYYY-MM-DD, Kenyan calendar. */
  effectiveFrom: string;
}>;

const kenyaOffsetMs = 3 * 60 * 60 * 1000;

/** The Kenyan calendar date (UTC+3, no daylight saving) of an instant, YYYY-MM-DD. */
export function kenyanDateOf(at: Date): string {
  return new Date(at.getTime() + kenyaOffsetMs).toISOString().slice(0, 10);
}

function latestInForce(caps: readonly FeeCap[], date: string): FeeCap | undefined {
  let best: FeeCap | undefined;
  for (const cap of caps) {
    const later = best === undefined || cap.effectiveFrom > best.effectiveFrom;
    if (cap.effectiveFrom <= date && later) {
      best = cap;
    }
  }
  return best;
}

/** The cap in force for `serviceId` on `date`: the service's own, else the flat one. */
export function capInForce(caps: readonly FeeCap[], serviceId: string, date: string):
  FeeCap | undefined {
  return latestInForce(caps.filter((cap) => cap.serviceId === serviceId), date) ??
    latestInForce(caps.filter((cap) => cap.serviceId === null), date);
}

/** Every cap in force on `date` (the published table): per service, and the flat one. */
export function capsInForce(caps: readonly FeeCap[], date: string): FeeCap[] {
  const keys = [...new Set(caps.map((cap) => cap.serviceId))];
  return keys.flatMap((key) => {
    const found = latestInForce(caps.filter((cap) => cap.serviceId === key), date);
    return found === undefined ? [] : [found];
  });
}

/** Shillings typed by a person ("50", "1,000.50"), as KES; undefined when not an amount. */
export function parseShillings(raw: string): Money | undefined {
  const parsed = parseMajor(raw, 'KES');
  return parsed !== undefined && parsed.amountMinor <= 10_000_000n ? parsed : undefined;
}

export function isWithinCap(fee: Money, cap: Money): boolean {
  return compare(fee, cap) <= 0;
}

export const noFee: Money = money(0n, 'KES');
