/**
 * The latest M-Pesa payments made from one phone, for that phone's own channel (USSD "my last
 * payments"): the STK prompts sent to the number that were paid. Paybill (C2B) payments are not
 * matched: payments keeps no payer number for them, and Daraja masks (v2) or hashes (v1) the
 * MSISDN it sends. Each item carries only the bill reference, the amount, the M-Pesa receipt
 * and the paid time: no name, no account, nothing of whoever owns the bill.
 */
import { money, type Money } from '#platform/money/index.ts';
import { paymentsDb } from './invoice-repo.ts';
import { normalisePhoneNumber } from './mpesa/index.ts';
import type { PaymentsDeps } from './payments-deps.ts';

export type PhonePayment = Readonly<{
  /** The bill the prompt was for (the invoice's reference). */
  billReference: string;
  amount: Money;
  /** The M-Pesa receipt; null while a status query confirmed it and no receipt came yet. */
  receiptNumber: string | null;
  paidAt: Date;
  /** The prompt this payment answered (stk_push.id). */
  stkPushId: string;
}>;

export type PhonePaymentsQuery = Readonly<{
  /** 07XX..., 01XX..., +2547..., 2547...; anything else finds nothing. */
  phone: string;
  /** Only prompts sent at or after this time (a number passed on to someone else forgets). */
  since: Date;
  /** 1 to 20. */
  limit: number;
}>;

export const phonePaymentsLimitMax = 20;

/** Paid STK prompts sent to the phone since `since`, newest payment first, at most `limit`. */
export async function listPaymentsFromPhone(deps: PaymentsDeps, query: PhonePaymentsQuery):
  Promise<PhonePayment[]> {
  const phone = normalisePhoneNumber(query.phone);
  if (phone === undefined) return [];
  const limit = Math.min(Math.max(Math.trunc(query.limit), 1), phonePaymentsLimitMax);
  // stk_push_phone_idx (phone_number, created_at desc) finds the phone's prompts; each meets
  // its payment by the unique checkout request id.
  const rows = await paymentsDb(deps.db).selectFrom('stk_push')
    .innerJoin('payment', 'payment.checkout_request_id', 'stk_push.checkout_request_id')
    .innerJoin('invoice', 'invoice.id', 'stk_push.invoice_id')
    .select(['stk_push.id', 'invoice.reference', 'payment.amount_minor', 'payment.currency',
      'payment.provider_reference', 'payment.paid_at'])
    .where('stk_push.phone_number', '=', phone)
    .where('stk_push.created_at', '>=', query.since)
    .orderBy('payment.paid_at', 'desc').orderBy('payment.id', 'desc')
    .limit(limit).execute();
  return rows.map((row) => ({
    billReference: row.reference, amount: money(row.amount_minor, row.currency),
    receiptNumber: row.provider_reference, paidAt: row.paid_at, stkPushId: row.id,
  }));
}
