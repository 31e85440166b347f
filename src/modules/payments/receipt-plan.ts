/**
 * Planning a batch of payment notices, in memory, after the batch has read what it needs
 * (the payments already recorded under its keys, its invoices locked with their allocations):
 * for each notice, in order, either "a repeat of payment P" (same receipt or same STK checkout
 * request; learning any key P lacked) or "a new payment" with where its money goes. Notices
 * earlier in the batch count as recorded for later ones, so duplicates inside one batch, C2B and
 * STK of the same money, and split payments of one invoice are planned exactly as if they came
 * one transaction at a time.
 * Pure apart from new ids.
 */
import { uuidv7 } from '#platform/ids/index.ts';
import type { Money } from '#platform/money/index.ts';
import { parseBillReference } from './bill-reference.ts';
import type { LockedInvoice } from './invoice-repo.ts';
import { decideReceipt, type ReceiptDecision } from './invoice-rules.ts';
import { channelOf, providerOf, type PaymentNotice } from './payment-notices.ts';
import type { NewPayment, PaymentRow } from './payment-repo.ts';
import type { PaymentChannel, PaymentDisposition } from './payments-tables.ts';

export type NoticeItem = Readonly<{
  notice: PaymentNotice;
  /** The invoice an STK push was for (STK notices); else the typed reference decides. */
  stkInvoiceId?: string;
  /**
   * Why this confirmation is out of bounds (callback-screening.ts): its money goes to
   * suspense whatever reference it names, and an alert is raised.
   */
  holdInSuspense?: string;
}>;

/** What the planner knows of a recorded (or planned) payment. */
type Known = {
  id: string;
  provider: string;
  receiptNumber: string | null;
  checkoutRequestId: string | null;
  channel: PaymentChannel;
  amount: Money;
  invoiceId: string | null;
  disposition: PaymentDisposition;
  paidAt: Date;
};

export type ItemPlan =
  | Readonly<{
    kind: 'repeat';
    paymentId: string;
    disposition: PaymentDisposition;
    invoiceId: string | null;
    learnReceipt: string | undefined;
    learnCheckout: string | undefined;
    disagreed: boolean;
  }>
  | Readonly<{
    kind: 'new';
    payment: NewPayment;
    invoice: LockedInvoice | undefined;
    decision: ReceiptDecision | undefined;
    allocatedBeforeMinor: bigint;
  }>;

/** The invoice a notice is for: the STK push's, or the one its typed reference names. */
export function invoiceKeyOf(item: NoticeItem): Readonly<{ id: string } | { reference: string }>
  | undefined {
  if (item.holdInSuspense !== undefined) return undefined;
  if (item.stkInvoiceId !== undefined) return { id: item.stkInvoiceId };
  const reference = parseBillReference(item.notice.accountReference);
  return reference === undefined ? undefined : { reference };
}

export function planReceipts(input: Readonly<{
  items: readonly NoticeItem[];
  recorded: readonly PaymentRow[];
  invoices: readonly LockedInvoice[];
  now: Date;
}>): ItemPlan[] {
  const known: Known[] = input.recorded.map((row) => ({ ...row }));
  const allocated = new Map(input.invoices.map((invoice) => [invoice.id, invoice.allocatedMinor]));
  const byId = new Map(input.invoices.map((invoice) => [invoice.id, invoice]));
  const byReference = new Map(input.invoices.map((invoice) => [invoice.reference, invoice]));
  const keyTaken = (receipt: string | undefined, checkout: string | undefined) =>
    known.some((payment) => (receipt !== undefined && payment.receiptNumber === receipt) ||
      (checkout !== undefined && payment.checkoutRequestId === checkout));
  return input.items.map((item): ItemPlan => {
    const { notice } = item;
    const key = invoiceKeyOf(item);
    const invoice = key === undefined ? undefined
      : 'id' in key ? byId.get(key.id) : byReference.get(key.reference);
    // The same money only by a provider identifier: the M-Pesa receipt, or the STK push's
    // CheckoutRequestID. Never by amount, invoice and time: two real payments of one invoice
    // can agree on all three (an STK push confirmed by a status query, which names no receipt,
    // and a paybill payment of the same sum).
    const twin = known.find((payment) =>
      (notice.receiptNumber !== undefined && payment.receiptNumber === notice.receiptNumber &&
        payment.provider === providerOf(notice)) ||
      (notice.checkoutRequestId !== undefined &&
        payment.checkoutRequestId === notice.checkoutRequestId));
    if (twin !== undefined) return planRepeat(twin, notice, keyTaken);
    const allocatedBeforeMinor = invoice === undefined ? 0n : allocated.get(invoice.id) ?? 0n;
    const decision = invoice === undefined ? undefined : decideReceipt(
      { ...invoice, totalMinor: invoice.total.amountMinor, allocatedMinor: allocatedBeforeMinor },
      notice.amount, notice.paidAt);
    if (invoice !== undefined && (decision?.kind === 'allocate' ||
      (decision?.kind === 'credit_payer' && decision.recordAllocation))) {
      allocated.set(invoice.id, allocatedBeforeMinor + notice.amount.amountMinor);
    }
    const payment = newPayment(notice, invoice, decision, input.now);
    known.push({ ...payment });
    return { kind: 'new', payment, invoice, decision, allocatedBeforeMinor };
  });
}

function planRepeat(
  twin: Known,
  notice: PaymentNotice,
  keyTaken: (receipt: string | undefined, checkout: string | undefined) => boolean,
): ItemPlan {
  const learnReceipt = twin.receiptNumber === null && notice.receiptNumber !== undefined &&
    !keyTaken(notice.receiptNumber, undefined) ? notice.receiptNumber : undefined;
  const learnCheckout = twin.checkoutRequestId === null &&
    notice.checkoutRequestId !== undefined && !keyTaken(undefined, notice.checkoutRequestId)
    ? notice.checkoutRequestId : undefined;
  // Later notices of this batch see what this one taught.
  if (learnReceipt !== undefined) twin.receiptNumber = learnReceipt;
  if (learnCheckout !== undefined) twin.checkoutRequestId = learnCheckout;
  return {
    kind: 'repeat', paymentId: twin.id, disposition: twin.disposition, invoiceId: twin.invoiceId,
    learnReceipt, learnCheckout,
    disagreed: twin.amount.amountMinor !== notice.amount.amountMinor ||
      twin.amount.currency !== notice.amount.currency,
  };
}

function newPayment(
  notice: PaymentNotice,
  invoice: LockedInvoice | undefined,
  decision: ReceiptDecision | undefined,
  now: Date,
): NewPayment {
  const disposition: PaymentDisposition = decision === undefined ? 'suspense'
    : decision.kind === 'allocate' ? 'allocated' : 'credited';
  return {
    id: uuidv7(now.getTime()),
    provider: providerOf(notice),
    receiptNumber: notice.receiptNumber ?? null,
    checkoutRequestId: notice.checkoutRequestId ?? null,
    channel: channelOf(notice),
    shortcode: notice.shortcode,
    amount: notice.amount,
    accountReference: notice.accountReference,
    invoiceId: invoice?.id ?? null,
    payerAccountId: invoice?.payerAccountId ?? null,
    disposition,
    paidAt: notice.paidAt,
    recordedAt: now,
  };
}
