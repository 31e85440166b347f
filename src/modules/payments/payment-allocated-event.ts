/**
 * payment.allocated: money was allocated to an invoice issued for a subject (an application).
 * A trigger on payment_allocation writes it in the allocating transaction (migration
 * 202612040900), so it exists exactly when the allocation commits, across restarts. It says
 * which invoice; the consumer reads the invoice's state itself (invoiceViewById), because a
 * part payment is an allocation too.
 */
import { isUuid } from '#platform/ids/index.ts';

export const paymentAllocatedTopic = 'payment.allocated';

export type PaymentAllocatedEvent = Readonly<{
  allocationId: string;
  invoiceId: string;
  /** The invoice's subject, e.g. 'application:<uuid>'. */
  subject: string;
}>;

/** The event's payload, or undefined when it is not one (the consumer fails it for good). */
export function readPaymentAllocatedEvent(payload: unknown): PaymentAllocatedEvent | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { allocationId, invoiceId, subject } = payload as Readonly<Record<string, unknown>>;
  if (typeof allocationId !== 'string' || !isUuid(allocationId)) return undefined;
  if (typeof invoiceId !== 'string' || !isUuid(invoiceId)) return undefined;
  if (typeof subject !== 'string' || !/^[a-z][a-z-]*:[0-9a-f-]{36}$/.test(subject)) {
    return undefined;
  }
  return { allocationId, invoiceId, subject };
}
