/**
 * C2B validation: M-Pesa asks, before the money moves, whether we take a payment to an
 * account number. One indexed read (the invoice by its unique reference, with the sum of its
 * allocations), no ledger work, so the answer is back in milliseconds, far inside the 8 s
 * M-Pesa waits. Refusing here is what keeps unknown and mistyped references out of suspense.
 */
import { sql } from 'kysely';
import type { Money } from '#platform/money/index.ts';
import { parseBillReference } from './bill-reference.ts';
import { validateRoutedPayment } from './bill-inquiry/bill-inquiry-validation.ts';
import { mpesaTransactionMinorMax } from './callback-screening.ts';
import { paymentsDb } from './invoice-repo.ts';
import { paymentRefusal, type PaymentRefusal } from './invoice-rules.ts';
import { c2bRejectionCodes, type C2bPayment, type C2bRejectionCode } from './mpesa/index.ts';
import type { PaymentsDeps } from './payments-deps.ts';

/** Set when the reference was routed to an agency's bill lookup (bill-inquiry/). */
type BillInquiryFacts = Readonly<{ billInquiry?: Readonly<{ outcome: string; decision: string }> }>;

/** thirdPartyTransId: the invoice's id, or the bill lookup's for a routed reference. */
export type C2bValidationDecision = BillInquiryFacts & (
  | Readonly<{ accepted: true; thirdPartyTransId: string }>
  | Readonly<{ accepted: false; code: C2bRejectionCode; reason: string }>);

const refusalCodes: Readonly<Record<PaymentRefusal, C2bRejectionCode>> = {
  invoice_cancelled: c2bRejectionCodes.invalidAccountNumber,
  invoice_paid: c2bRejectionCodes.invalidAccountNumber,
  invoice_expired: c2bRejectionCodes.invalidAccountNumber,
  currency_not_accepted: c2bRejectionCodes.invalidAmount,
  amount_not_positive: c2bRejectionCodes.invalidAmount,
  amount_above_balance_due: c2bRejectionCodes.invalidAmount,
  amount_below_balance_due: c2bRejectionCodes.invalidAmount,
};

/** Whether we take this payment: C2B00012 for the account number, C2B00013 for the amount. */
export async function validateC2bPayment(
  deps: PaymentsDeps,
  payment: Readonly<Pick<C2bPayment, 'billReference' | 'businessShortCode'>> &
    Readonly<{ amount: Money }>,
  expected: Readonly<{ shortcode: string; now: Date }>,
): Promise<C2bValidationDecision> {
  if (payment.businessShortCode !== expected.shortcode) {
    return { accepted: false, code: c2bRejectionCodes.invalidShortcode, reason: 'shortcode' };
  }
  // What M-Pesa cannot move in one payment is refused before it moves, rather than held in
  // suspense after (callback-screening.ts).
  if (payment.amount.amountMinor % 100n !== 0n ||
    payment.amount.amountMinor > mpesaTransactionMinorMax) {
    return { accepted: false, code: c2bRejectionCodes.invalidAmount,
      reason: 'amount_out_of_bounds' };
  }
  const reference = parseBillReference(payment.billReference);
  if (reference === undefined) {
    return { accepted: false, code: c2bRejectionCodes.invalidAccountNumber,
      reason: 'not_a_reference' };
  }
  // A reference of an agency that keeps its own billing is the agency's to answer.
  const routed = await validateRoutedPayment(deps, reference, payment.amount, expected.now);
  if (routed !== undefined) {
    const billInquiry = { outcome: routed.outcome, decision: routed.decision };
    return routed.accepted ? { accepted: true, thirdPartyTransId: routed.lookupId, billInquiry }
      : { accepted: false, code: routed.code ?? c2bRejectionCodes.otherError,
        reason: routed.reason, billInquiry };
  }
  const row = await paymentsDb(deps.db).selectFrom('invoice')
    .select(['id', 'currency', 'total_minor', 'allows_part_payment', 'expires_at',
      'cancelled_at',
      sql<string>`(select coalesce(sum(a.amount_minor), 0)::text from payment_allocation a
        where a.invoice_id = invoice.id)`.as('allocated_minor')])
    .where('reference', '=', reference).executeTakeFirst();
  if (row === undefined) {
    return { accepted: false, code: c2bRejectionCodes.invalidAccountNumber,
      reason: 'unknown_reference' };
  }
  const refusal = paymentRefusal({
    currency: row.currency, totalMinor: row.total_minor,
    allocatedMinor: BigInt(row.allocated_minor),
    expiresAt: row.expires_at, cancelledAt: row.cancelled_at,
    allowsPartPayment: row.allows_part_payment,
  }, payment.amount, expected.now);
  return refusal === undefined ? { accepted: true, thirdPartyTransId: row.id }
    : { accepted: false, code: refusalCodes[refusal], reason: refusal };
}
