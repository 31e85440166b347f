/**
 * The money rules of invoices, pure: the lines an invoice is made of, what a payment to it may
 * be (C2B validation), and where a received payment goes (the allocation decision the ledger
 * postings follow). No I/O; the service reads the facts and applies the decision.
 */
import { money, type Currency, type Money } from '#platform/money/index.ts';
import type { InvoiceLineKind } from './payments-tables.ts';

/** How long an invoice stays payable when nothing is paid. */
export const invoiceLifetimeMsDefault = 30 * 24 * 60 * 60 * 1000;
export const invoiceLinesMax = 32;

export type InvoiceLineDraft = Readonly<{
  kind: InvoiceLineKind;
  description: string;
  amount: Money;
  feeScheduleVersionId: string | null;
  feeScheduleVersion: number | null;
  accessFeeScheduleId: string | null;
  gazetteReference: string | null;
}>;

export type PenaltyDraft = Readonly<{ description: string; amount: Money }>;

export type QuoteForInvoice = Readonly<{
  serviceName: string;
  serviceFee: Money;
  accessFee: Money;
  feeVersion: Readonly<{ id: string; version: number; gazetteReference: string | null }>;
  /** The gazetted access-fee schedule that priced the access fee. */
  accessFeeSchedule: Readonly<{ id: string; gazetteReference: string }>;
}>;

/**
 * The lines of a service's invoice: the service fee from the fee version in force, the
 * gazetted access fee (when not zero), then any penalties. All in the service fee's currency.
 */
export function invoiceLinesFor(
  quote: QuoteForInvoice,
  penalties: readonly PenaltyDraft[] = [],
): InvoiceLineDraft[] {
  const lines: InvoiceLineDraft[] = [{
    kind: 'service_fee',
    description: quote.serviceName.slice(0, 200),
    amount: quote.serviceFee,
    feeScheduleVersionId: quote.feeVersion.id,
    feeScheduleVersion: quote.feeVersion.version,
    accessFeeScheduleId: null,
    gazetteReference: quote.feeVersion.gazetteReference,
  }];
  if (quote.accessFee.amountMinor > 0n) {
    lines.push({
      kind: 'access_fee',
      description: 'Access fee',
      amount: quote.accessFee,
      feeScheduleVersionId: null,
      feeScheduleVersion: null,
      accessFeeScheduleId: quote.accessFeeSchedule.id,
      gazetteReference: quote.accessFeeSchedule.gazetteReference,
    });
  }
  for (const penalty of penalties) {
    lines.push({
      kind: 'penalty',
      description: penalty.description.slice(0, 200),
      amount: penalty.amount,
      feeScheduleVersionId: null,
      feeScheduleVersion: null,
      accessFeeScheduleId: null,
      gazetteReference: null,
    });
  }
  return lines;
}

/** Sums the lines by who is owed: the agency (service fee, penalties) or Treasury (access). */
export function splitByPayee(
  lines: readonly Readonly<{ kind: InvoiceLineKind; amount: Money }>[],
  currency: Currency,
): { agencyMinor: bigint; accessFeeMinor: bigint; total: Money } {
  let agencyMinor = 0n;
  let accessFeeMinor = 0n;
  for (const line of lines) {
    if (line.amount.currency !== currency) throw new Error('invoice lines in two currencies');
    if (line.kind === 'access_fee') accessFeeMinor += line.amount.amountMinor;
    else agencyMinor += line.amount.amountMinor;
  }
  return { agencyMinor, accessFeeMinor, total: money(agencyMinor + accessFeeMinor, currency) };
}

/** The facts of an invoice that decide what a payment to it does. */
export type InvoiceMoneyFacts = Readonly<{
  currency: Currency;
  totalMinor: bigint;
  /** Allocated so far (payments and credit). */
  allocatedMinor: bigint;
  expiresAt: Date;
  cancelledAt: Date | null;
  allowsPartPayment: boolean;
}>;

export function balanceDueMinor(invoice: InvoiceMoneyFacts): bigint {
  const due = invoice.totalMinor - invoice.allocatedMinor;
  return due > 0n ? due : 0n;
}

/** Why a payment to an invoice is refused at validation, in the order the rules are checked. */
export type PaymentRefusal =
  | 'invoice_cancelled'
  | 'invoice_paid'
  | 'invoice_expired'
  | 'currency_not_accepted'
  | 'amount_not_positive'
  | 'amount_above_balance_due'
  | 'amount_below_balance_due';

/**
 * Whether an invoice can take a payment of `amount` at `now` (C2B validation, STK push): it
 * must be open (not cancelled, not fully paid, not expired with nothing paid), in the
 * invoice's currency, positive, not above the balance due (an overpayment is refused before the
 * money moves rather than turned into a credit after), and the whole balance unless the
 * invoice takes part payments.
 */
export function paymentRefusal(
  invoice: InvoiceMoneyFacts,
  amount: Money,
  now: Date,
): PaymentRefusal | undefined {
  const due = balanceDueMinor(invoice);
  if (invoice.cancelledAt !== null && invoice.allocatedMinor === 0n) return 'invoice_cancelled';
  if (due === 0n) return 'invoice_paid';
  if (invoice.allocatedMinor === 0n && invoice.expiresAt <= now) return 'invoice_expired';
  if (amount.currency !== invoice.currency) return 'currency_not_accepted';
  if (amount.amountMinor <= 0n) return 'amount_not_positive';
  if (amount.amountMinor > due) return 'amount_above_balance_due';
  if (amount.amountMinor < due && !invoice.allowsPartPayment) return 'amount_below_balance_due';
  return undefined;
}

/**
 * Where money received for an invoice goes (LEDGER posting rules):
 * - `allocate`: the invoice is open; the money is its deposit, and when it brings the
 *   allocations to the total the invoice is covered (excess, if any, to the payer's credit).
 * - `credit_payer`: the invoice is closed; the money becomes the payer's credit. A payment of
 *   an already paid invoice is still recorded against it (it shows as overpaid).
 */
export type ReceiptDecision =
  | Readonly<{ kind: 'allocate'; coversInvoice: boolean; excessMinor: bigint }>
  | Readonly<{
    kind: 'credit_payer';
    reason: 'invoice_paid' | 'invoice_cancelled' | 'invoice_expired' | 'currency_not_accepted';
    recordAllocation: boolean;
  }>;

/**
 * The decision for a payment of `amount` made at `paidAt`. Expiry is judged at the time the
 * payer paid, not when the confirmation reached us, so a late confirmation of a payment made in
 * time still pays the invoice, and the decision is the same whatever the order of delivery.
 */
export function decideReceipt(
  invoice: InvoiceMoneyFacts,
  amount: Money,
  paidAt: Date,
): ReceiptDecision {
  if (amount.currency !== invoice.currency) {
    return { kind: 'credit_payer', reason: 'currency_not_accepted', recordAllocation: false };
  }
  if (invoice.cancelledAt !== null && invoice.allocatedMinor === 0n) {
    return { kind: 'credit_payer', reason: 'invoice_cancelled', recordAllocation: false };
  }
  if (invoice.allocatedMinor >= invoice.totalMinor) {
    return { kind: 'credit_payer', reason: 'invoice_paid', recordAllocation: true };
  }
  if (invoice.allocatedMinor === 0n && invoice.expiresAt <= paidAt) {
    return { kind: 'credit_payer', reason: 'invoice_expired', recordAllocation: false };
  }
  const after = invoice.allocatedMinor + amount.amountMinor;
  return after >= invoice.totalMinor
    ? { kind: 'allocate', coversInvoice: true, excessMinor: after - invoice.totalMinor }
    : { kind: 'allocate', coversInvoice: false, excessMinor: 0n };
}
