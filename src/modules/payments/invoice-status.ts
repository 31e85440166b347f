/**
 * An invoice's status is a function of its facts (total, expiry, cancellation) and its
 * allocations, never a stored field that could drift: `deriveInvoiceStatus`. The transitions it
 * can make are declared below, and a test checks that no other transition ever happens.
 */
import { sum, type Money } from '#platform/money/index.ts';

export const invoiceStatuses = [
  'unpaid', 'partially_paid', 'paid', 'overpaid', 'cancelled', 'expired', 'withdrawn',
] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

/** What the status depends on, besides allocations. */
export type InvoiceStatusFacts = Readonly<{
  total: Money;
  expiresAt: Date;
  cancelledAt: Date | null;
  /**
   * When a paid invoice was taken back for a refund (the wrong service; invoice_withdrawal):
   * from then on it is 'withdrawn', no longer paid. Undefined or null: never.
   */
  withdrawnAt?: Date | null | undefined;
}>;

export type AllocationFact = Readonly<{ amount: Money; allocatedAt: Date }>;

/**
 * Why an invoice moves from one status to another. Expiry and cancellation apply only while
 * nothing is paid: once money is allocated the invoice stays open until it is paid, so a
 * citizen never loses a part payment to the calendar.
 */
export type InvoiceTransitionCause =
  | 'PAYMENT_ALLOCATED_IN_PART'
  | 'PAYMENT_ALLOCATED_IN_FULL'
  | 'PAYMENT_ALLOCATED_ABOVE_TOTAL'
  | 'INVOICE_CANCELLED'
  | 'EXPIRY_PASSED'
  | 'PAYMENT_MADE_BEFORE_EXPIRY_CONFIRMED_AFTER_IT'
  | 'INVOICE_WITHDRAWN_FOR_REFUND';

export type InvoiceTransition = Readonly<{
  from: InvoiceStatus;
  to: InvoiceStatus;
  cause: InvoiceTransitionCause;
}>;

/** Every transition there is. Anything else is a bug (invoice-status.test.ts). */
export const invoiceTransitions: readonly InvoiceTransition[] = [
  { from: 'unpaid', to: 'partially_paid', cause: 'PAYMENT_ALLOCATED_IN_PART' },
  { from: 'unpaid', to: 'paid', cause: 'PAYMENT_ALLOCATED_IN_FULL' },
  { from: 'unpaid', to: 'overpaid', cause: 'PAYMENT_ALLOCATED_ABOVE_TOTAL' },
  { from: 'unpaid', to: 'cancelled', cause: 'INVOICE_CANCELLED' },
  { from: 'unpaid', to: 'expired', cause: 'EXPIRY_PASSED' },
  { from: 'partially_paid', to: 'paid', cause: 'PAYMENT_ALLOCATED_IN_FULL' },
  { from: 'partially_paid', to: 'overpaid', cause: 'PAYMENT_ALLOCATED_ABOVE_TOTAL' },
  { from: 'paid', to: 'overpaid', cause: 'PAYMENT_ALLOCATED_ABOVE_TOTAL' },
  { from: 'expired', to: 'partially_paid', cause: 'PAYMENT_MADE_BEFORE_EXPIRY_CONFIRMED_AFTER_IT' },
  { from: 'expired', to: 'paid', cause: 'PAYMENT_MADE_BEFORE_EXPIRY_CONFIRMED_AFTER_IT' },
  { from: 'expired', to: 'overpaid', cause: 'PAYMENT_MADE_BEFORE_EXPIRY_CONFIRMED_AFTER_IT' },
  { from: 'paid', to: 'withdrawn', cause: 'INVOICE_WITHDRAWN_FOR_REFUND' },
  { from: 'overpaid', to: 'withdrawn', cause: 'INVOICE_WITHDRAWN_FOR_REFUND' },
];

/** Statuses in which the invoice takes money towards itself. */
export const openInvoiceStatuses: readonly InvoiceStatus[] = ['unpaid', 'partially_paid'];

/** The sum of the allocations made up to `now`. */
export function allocatedBy(
  facts: InvoiceStatusFacts,
  allocations: readonly AllocationFact[],
  now: Date,
): Money {
  const counted = allocations.filter((allocation) => allocation.allocatedAt <= now);
  return sum(counted.map((allocation) => allocation.amount), facts.total.currency);
}

/** The status of an invoice at `now`, from its facts and its allocations up to `now`. */
export function deriveInvoiceStatus(
  facts: InvoiceStatusFacts,
  allocations: readonly AllocationFact[],
  now: Date,
): InvoiceStatus {
  const paidMinor = allocatedBy(facts, allocations, now).amountMinor;
  const totalMinor = facts.total.amountMinor;
  const withdrawnAt = facts.withdrawnAt ?? null;
  if (withdrawnAt !== null && withdrawnAt <= now && paidMinor >= totalMinor) return 'withdrawn';
  if (paidMinor > 0n) {
    if (paidMinor < totalMinor) return 'partially_paid';
    return paidMinor === totalMinor ? 'paid' : 'overpaid';
  }
  if (facts.cancelledAt !== null && facts.cancelledAt <= now) return 'cancelled';
  if (facts.expiresAt <= now) return 'expired';
  return 'unpaid';
}

export function findInvoiceTransition(
  from: InvoiceStatus,
  to: InvoiceStatus,
): InvoiceTransition | undefined {
  return invoiceTransitions.find((transition) => transition.from === from && transition.to === to);
}
