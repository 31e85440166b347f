/**
 * A payment notice: what any delivery tells us about money received (a C2B confirmation, an
 * STK callback, an STK status query), in one shape, so one code path records them all. And the
 * payment's state, derived from its event log. Pure, no I/O.
 */
import type { Money } from '#platform/money/index.ts';
import type { C2bPayment, StkCallback } from './mpesa/index.ts';
import type { PaymentChannel, PaymentEventKind, PaymentEventTable } from './payments-tables.ts';

export type NoticeSource = 'c2b_confirmation' | 'stk_callback' | 'stk_query' | 'statement'
  | 'card_notification' | 'card_query';

export type PaymentNotice = Readonly<{
  source: NoticeSource;
  /** The M-Pesa receipt; unknown only when an STK status query confirmed the payment. */
  receiptNumber: string | undefined;
  /** The STK CheckoutRequestID, for STK callbacks and queries. */
  checkoutRequestId: string | undefined;
  amount: Money;
  /** The account number the payer typed (C2B) or we sent (STK). */
  accountReference: string;
  /** When the money moved, by the provider's clock. */
  paidAt: Date;
  shortcode: string;
  /** The stored raw callback this notice was read from. */
  rawId: string | null;
  /** The card acquirer (card notices only); M-Pesa when absent. */
  cardProvider?: string;
}>;

export function channelOf(notice: PaymentNotice): PaymentChannel {
  if (notice.cardProvider !== undefined) return 'card';
  return notice.source === 'c2b_confirmation' || notice.source === 'statement'
    ? 'mpesa_c2b' : 'mpesa_stk';
}

/** Who the money came through: 'mpesa' or the card acquirer. */
export function providerOf(notice: PaymentNotice): string {
  return notice.cardProvider ?? 'mpesa';
}

export function eventKindOf(notice: PaymentNotice): PaymentEventKind {
  switch (notice.source) {
    case 'c2b_confirmation': return 'CONFIRMED_BY_C2B_CONFIRMATION';
    case 'stk_callback': return 'CONFIRMED_BY_STK_CALLBACK';
    case 'stk_query': return 'CONFIRMED_BY_STK_QUERY';
    case 'statement': return 'CONFIRMED_BY_STATEMENT';
    case 'card_notification': return 'CONFIRMED_BY_CARD_NOTIFICATION';
    case 'card_query': return 'CONFIRMED_BY_CARD_QUERY';
  }
}

/** Account references longer than the column are cut: they are free text typed by payers. */
const accountReferenceLengthMax = 100;

export function c2bNotice(payment: C2bPayment, rawId: string | null): PaymentNotice {
  return {
    source: 'c2b_confirmation',
    receiptNumber: payment.transactionId,
    checkoutRequestId: undefined,
    amount: payment.amount,
    accountReference: payment.billReference.slice(0, accountReferenceLengthMax),
    paidAt: payment.transactionTime,
    shortcode: payment.businessShortCode,
    rawId,
  };
}

/** The notice in a successful STK callback; undefined when the push did not pay. */
export function stkCallbackNotice(
  callback: StkCallback,
  push: Readonly<{ accountReference: string }>,
  shortcode: string,
  rawId: string | null,
): PaymentNotice | undefined {
  if (callback.payment === undefined) return undefined;
  return {
    source: 'stk_callback',
    receiptNumber: callback.payment.mpesaReceiptNumber,
    checkoutRequestId: callback.checkoutRequestId,
    amount: callback.payment.amount,
    accountReference: push.accountReference,
    paidAt: callback.payment.transactionTime,
    shortcode,
    rawId,
  };
}

/**
 * The notice of an STK push a status query says succeeded. The query tells neither the
 * receipt nor the time, so the payment is dated when the push was made.
 */
export function stkQueryNotice(
  push: Readonly<{ checkoutRequestId: string; amount: Money; accountReference: string;
    createdAt: Date }>,
  shortcode: string,
  rawId: string | null,
): PaymentNotice {
  return {
    source: 'stk_query',
    receiptNumber: undefined,
    checkoutRequestId: push.checkoutRequestId,
    amount: push.amount,
    accountReference: push.accountReference,
    paidAt: push.createdAt,
    shortcode,
    rawId,
  };
}

/** A card payment the acquirer says succeeded (by its signed notification or our query). */
export type CardPaymentFact = Readonly<{
  source: 'card_notification' | 'card_query';
  /** The acquirer, e.g. 'demo-acquirer'. */
  provider: string;
  /** The acquirer's payment id: one payment per (provider, paymentId). */
  paymentId: string;
  /** Our merchant id at the acquirer (kept where M-Pesa keeps the paybill). */
  merchantId: string;
  /** The bill reference the session was made for. */
  merchantReference: string;
  amount: Money;
  paidAt: Date;
}>;

export function cardNotice(fact: CardPaymentFact, rawId: string | null): PaymentNotice {
  return {
    source: fact.source,
    receiptNumber: fact.paymentId,
    checkoutRequestId: undefined,
    amount: fact.amount,
    accountReference: fact.merchantReference.slice(0, accountReferenceLengthMax),
    paidAt: fact.paidAt,
    shortcode: fact.merchantId,
    rawId,
    cardProvider: fact.provider,
  };
}

export type PaymentState = Readonly<{
  /** Which kinds of delivery confirmed the payment, in order of first arrival. */
  confirmedBy: readonly NoticeSource[];
  deliveries: number;
  /** True when two deliveries disagreed on the amount: an operator must look. */
  disputed: boolean;
}>;

const sourceOfEvent: Partial<Record<PaymentEventKind, NoticeSource>> = {
  CONFIRMED_BY_C2B_CONFIRMATION: 'c2b_confirmation',
  CONFIRMED_BY_STK_CALLBACK: 'stk_callback',
  CONFIRMED_BY_STK_QUERY: 'stk_query',
  CONFIRMED_BY_STATEMENT: 'statement',
  CONFIRMED_BY_CARD_NOTIFICATION: 'card_notification',
  CONFIRMED_BY_CARD_QUERY: 'card_query',
};

/**
 * The payment's state from its event log, in recorded order. Duplicates add deliveries and
 * change nothing else, so any order of the same deliveries gives the same state, apart from
 * the order of first arrival.
 */
export function derivePaymentState(
  events: readonly Readonly<Pick<PaymentEventTable, 'kind'>>[],
): PaymentState {
  const confirmedBy: NoticeSource[] = [];
  let deliveries = 0;
  let disputed = false;
  for (const event of events) {
    const source = sourceOfEvent[event.kind];
    if (source !== undefined) {
      deliveries += 1;
      if (!confirmedBy.includes(source)) confirmedBy.push(source);
    }
    if (event.kind === 'DELIVERY_DISAGREED') disputed = true;
  }
  return { confirmedBy, deliveries, disputed };
}
