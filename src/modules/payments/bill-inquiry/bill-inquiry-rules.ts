/**
 * Bill inquiry rules, pure: which references are routed to an agency (by prefix and length),
 * what a lookup address and timeout may be, how the agency's answer reads, and what we answer
 * M-Pesa for it. No I/O.
 *
 * A platform reference is 10 symbols (bill-reference.ts). A routed reference is the agency's
 * prefix of 2 or 3 symbols, 8 more and the check symbol: 11 or 12 symbols. So the length says
 * whether a reference is routed and how long its prefix is: a platform reference is never
 * routed, and a 2-symbol prefix (KP) never takes a reference of a 3-symbol one (KPX), because
 * those are 12 symbols long and KP's are 11.
 */
import { outboundUrlAccepted } from '#platform/http/index.ts';
import { isCurrency, money, type Currency, type Money } from '#platform/money/index.ts';
import {
  agencyPrefixLengthMax,
  agencyPrefixLengthMin,
  billReferenceRandomLength,
  isAgencyPrefix,
  normaliseBillReferenceInput,
  type BillReference,
} from '../bill-reference.ts';
import { c2bRejectionCodes, type C2bRejectionCode } from '../mpesa/index.ts';
import type { BillInquiryFallback, BillLookupDecision, BillLookupOutcome } from
  './bill-inquiry-tables.ts';

/** A lookup must end well inside the 8 s M-Pesa waits for our validation answer. */
export const lookupTimeoutMsMax = 5_000;
export const lookupTimeoutMsMin = 100;
export const lookupTimeoutMsDefault = 3_000;
export const lookupUrlLengthMax = 2_000;
/** The agency's answer is a small JSON document; more is refused unread. */
export const lookupAnswerBytesMax = 16 * 1024;
const routedSuffixLength = billReferenceRandomLength;

/** The prefix a reference is routed by, or undefined for a platform reference. */
export function routedPrefixOf(reference: BillReference): string | undefined {
  const prefixLength = reference.length - routedSuffixLength;
  if (prefixLength < agencyPrefixLengthMin || prefixLength > agencyPrefixLengthMax) {
    return undefined;
  }
  return reference.slice(0, prefixLength);
}

/** A prefix as typed, normalised like a reference; undefined unless 2-3 alphabet symbols. */
export function parseAgencyPrefix(text: string): string | undefined {
  const prefix = normaliseBillReferenceInput(text);
  return isAgencyPrefix(prefix) ? prefix : undefined;
}


/**
 * In production: https only, never this machine or a private network (an address literal or
 * a plainly local name; no DNS lookup). Elsewhere also http, but only to this machine (a
 * sample agency system in development and tests).
 */
export function lookupUrlAccepted(url: string, production: boolean): boolean {
  return outboundUrlAccepted(url, { production, lengthMax: lookupUrlLengthMax,
    refuseFragment: true, httpOutsideProduction: 'loopback' });
}

export function timeoutAccepted(timeoutMs: number): boolean {
  return Number.isInteger(timeoutMs) && timeoutMs >= lookupTimeoutMsMin &&
    timeoutMs <= lookupTimeoutMsMax;
}

/** What the agency's endpoint said, read strictly (docs/bill-inquiry.md). */
export type BillLookupAnswer =
  | Readonly<{ found: false }>
  | Readonly<{ found: true; amountDue: Money }>;

/**
 * The answer body: {"found": false} or {"found": true, "amountDueMinor": "<digits>",
 * "currency": "KES"}. Amounts are decimal strings (JSON numbers cannot hold every bigint).
 * Anything else is undefined (an invalid answer, which the fallback handles).
 */
export function parseLookupAnswer(body: unknown): BillLookupAnswer | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { found, amountDueMinor, currency } = body as Record<string, unknown>;
  if (found === false) return { found: false };
  if (found !== true || typeof amountDueMinor !== 'string' ||
    !/^[0-9]{1,15}$/.test(amountDueMinor) || typeof currency !== 'string' ||
    !isCurrency(currency)) return undefined;
  return { found: true, amountDue: money(BigInt(amountDueMinor), currency) };
}

export type RoutedDecision = Readonly<{
  accepted: boolean;
  code: C2bRejectionCode | undefined;
  /** Why, for metrics and logs: never payer details. */
  reason: string;
  decision: BillLookupDecision;
}>;

const rejected = (code: C2bRejectionCode, reason: string): RoutedDecision =>
  ({ accepted: false, code, reason, decision: 'rejected' });

/**
 * Our answer for a payment the agency found or not: refused when not found, already paid, in
 * another currency, above the amount due, or below it when the agency takes no part payments.
 */
export function decideOnAnswer(answer: BillLookupAnswer, amount: Money,
  allowsPartPayment: boolean): RoutedDecision {
  if (!answer.found) return rejected(c2bRejectionCodes.invalidAccountNumber, 'bill_not_found');
  const due = answer.amountDue;
  if (due.amountMinor === 0n) {
    return rejected(c2bRejectionCodes.invalidAccountNumber, 'bill_already_paid');
  }
  if (due.currency !== amount.currency) {
    return rejected(c2bRejectionCodes.invalidAmount, 'bill_currency_differs');
  }
  if (amount.amountMinor > due.amountMinor) {
    return rejected(c2bRejectionCodes.invalidAmount, 'bill_amount_above_due');
  }
  if (amount.amountMinor < due.amountMinor && !allowsPartPayment) {
    return rejected(c2bRejectionCodes.invalidAmount, 'bill_amount_below_due');
  }
  return { accepted: true, code: undefined, reason: 'bill_found', decision: 'accepted' };
}

/** The lookup gave no usable answer (timeout, error, invalid answer): the route's fallback. */
export function decideOnFallback(fallback: BillInquiryFallback, outcome: BillLookupOutcome):
  RoutedDecision {
  if (fallback === 'accept') {
    return { accepted: true, code: undefined, reason: `bill_${outcome}_accepted`,
      decision: 'fallback_accepted' };
  }
  return { accepted: false, code: c2bRejectionCodes.otherError,
    reason: `bill_${outcome}_rejected`, decision: 'fallback_rejected' };
}

/** The money an answer says is due, for the invoice a confirmation makes. */
export function dueOf(
  row: Readonly<{ amount_due_minor: bigint | null; currency: Currency | null }>,
): Money | undefined {
  if (row.amount_due_minor === null || row.currency === null) return undefined;
  return money(row.amount_due_minor, row.currency);
}
