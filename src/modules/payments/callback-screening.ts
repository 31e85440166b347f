/**
 * Screening what M-Pesa posts before any of it is processed (pure, no I/O). Some callbacks
 * can never be processed however often they are tried (a body that is not text, an amount the
 * ledger cannot hold, a NUL in a field we store): they are quarantined at once, with the
 * reason, instead of failing in every sweep. Others are readable but say what only a broken
 * or forged sender would say (not our paybill, a time far off, a fraction of a shilling, more
 * than M-Pesa moves in one transaction): the money is not dropped but held in suspense with a
 * flag, never credited to an invoice on its word. Reasons name fields, never their values
 * where those could be personal data.
 */
import { amountMinorMax } from '#modules/ledger/index.ts';
import { format, money, type Money } from '#platform/money/index.ts';
import type { C2bPayment, StkCallback } from './mpesa/index.ts';

/**
 * Safaricom's limit on one C2B (paybill) transaction: KES 250,000. A confirmation above it
 * is not one M-Pesa payment.
 */
export const mpesaTransactionMinorMax = 250_000_00n;
/**
 * TransTime is M-Pesa's clock when the money moved, in Kenya time. A day ahead of ours covers
 * any clock or time-zone slip; more is not a real payment.
 */
export const transactionTimeAheadMsMax = 24 * 60 * 60 * 1000;
/**
 * M-Pesa retries a confirmation for hours, not weeks; a payment older than 30 days that
 * arrives now is a replay or a forgery, and statements reconcile anything that old.
 */
export const transactionTimeBehindMsMax = 30 * 24 * 60 * 60 * 1000;

/** Why a stored body cannot be read at all (it is kept as bytes). */
export const bodyNotTextReason = 'the body is not UTF-8 text (NUL bytes or invalid UTF-8)';

export type Screening =
  | Readonly<{ verdict: 'process' }>
  | Readonly<{ verdict: 'quarantine'; reason: string }>
  | Readonly<{ verdict: 'hold_in_suspense'; reason: string }>;

const process: Screening = { verdict: 'process' };

/** An amount any ledger line can hold; above it no posting can ever succeed. */
export function amountUnpostable(amount: Money): string | undefined {
  return amount.amountMinor > amountMinorMax
    ? 'the amount is above the ledger\'s maximum' : undefined;
}

/** PostgreSQL text cannot hold NUL: a field we store that holds one can never be written. */
function holdsNul(text: string): boolean {
  return text.includes('\u0000');
}

/** The reasons a C2B confirmation is out of what only Safaricom should send, joined. */
function outOfBounds(
  payment: C2bPayment,
  expected: Readonly<{ shortcode: string; now: Date }>,
): string[] {
  const reasons: string[] = [];
  if (payment.businessShortCode !== expected.shortcode) {
    reasons.push(`BusinessShortCode ${payment.businessShortCode} is not our paybill`);
  }
  const aheadMs = payment.transactionTime.getTime() - expected.now.getTime();
  if (aheadMs > transactionTimeAheadMsMax) reasons.push('TransTime is more than a day ahead');
  if (-aheadMs > transactionTimeBehindMsMax) reasons.push('TransTime is more than 30 days old');
  if (payment.amount.amountMinor % 100n !== 0n) {
    reasons.push('TransAmount has a fraction of a shilling');
  }
  if (payment.amount.amountMinor > mpesaTransactionMinorMax) {
    reasons.push(`TransAmount is above M-Pesa's limit of ${
      format(money(mpesaTransactionMinorMax, 'KES'), 'en')}`);
  }
  return reasons;
}

/** The provider's time when it is within bounds; else when the callback reached us. */
export function boundedPaidAt(transactionTime: Date, now: Date): Date {
  const aheadMs = transactionTime.getTime() - now.getTime();
  return aheadMs > transactionTimeAheadMsMax || -aheadMs > transactionTimeBehindMsMax
    ? now : transactionTime;
}

/** What to do with a C2B confirmation that parsed. */
export function screenC2bConfirmation(
  payment: C2bPayment,
  expected: Readonly<{ shortcode: string; now: Date }>,
): Screening {
  const unpostable = amountUnpostable(payment.amount);
  if (unpostable !== undefined) return { verdict: 'quarantine', reason: unpostable };
  if (holdsNul(payment.billReference)) {
    return { verdict: 'quarantine', reason: 'BillRefNumber holds a NUL character' };
  }
  const reasons = outOfBounds(payment, expected);
  return reasons.length === 0 ? process
    : { verdict: 'hold_in_suspense', reason: reasons.join('; ') };
}

/** Why an STK callback that parsed can never be processed, if it cannot. */
export function screenStkCallback(callback: StkCallback): string | undefined {
  if (holdsNul(callback.checkoutRequestId) || holdsNul(callback.merchantRequestId)) {
    return 'CheckoutRequestID or MerchantRequestID holds a NUL character';
  }
  return callback.payment === undefined ? undefined : amountUnpostable(callback.payment.amount);
}
