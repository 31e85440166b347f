/**
 * May the payer cancel this bill from their account? Only an unpaid bill (money allocated to it,
 * even in part, makes it theirs to finish or have refunded, never to cancel), and only a bill
 * issued for a fee on its own: a bill issued FOR something (an application, invoice.subject)
 * belongs to that thing's owner, who withdraws the application instead. This is the one hook
 * the /account/bills routes consult: the applications module's rule goes here.
 */
import type { InvoiceStatus } from '../invoice-status.ts';

export type CancellableFacts = Readonly<{
  status: InvoiceStatus;
  /** invoice.subject: 'application:<uuid>' and the like; null for a fee on its own. */
  subject: string | null;
}>;

export type CancelRefusal = 'paid' | 'belongs_to_subject' | 'closed';

/** Why the payer may not cancel, or undefined when they may. */
export function payerCancelRefusal(bill: CancellableFacts): CancelRefusal | undefined {
  switch (bill.status) {
    case 'partially_paid':
    case 'paid':
    case 'overpaid':
      return 'paid';
    case 'cancelled':
    case 'expired':
    case 'withdrawn':
      return 'closed';
    case 'unpaid':
      return bill.subject === null ? undefined : 'belongs_to_subject';
  }
}

export function isInvoiceCancellableByPayer(bill: CancellableFacts): boolean {
  return payerCancelRefusal(bill) === undefined;
}
