/** What a receipt states about one allocation: the money, the invoice and the payment. */
import { money, type Money } from '#platform/money/index.ts';
import type { PaymentsDb } from './invoice-repo.ts';
import type { AllocationSource, PaymentChannel } from './payments-tables.ts';

export type AllocationReceiptFacts = Readonly<{
  allocationId: string;
  source: AllocationSource;
  amount: Money;
  allocatedAt: Date;
  invoiceId: string;
  invoiceReference: string;
  payerAccountId: string;
  agencyId: string;
  serviceId: string;
  /** The first line's text (the service fee), should the service be gone from the catalogue. */
  firstLineDescription: string | null;
  /** Of the payment, when the money came from one (not from the payer's credit). */
  channel: PaymentChannel | null;
  providerReference: string | null;
  /** When the provider says the money moved (TransTime, TransactionDate). */
  paidAt: Date | null;
  /** Who asked for the M-Pesa prompt the money came through (stk_push.requested_by), if any. */
  requestedBy: string | null;
}>;

export async function findAllocationReceiptFacts(db: PaymentsDb, allocationId: string):
  Promise<AllocationReceiptFacts | undefined> {
  const row = await db.selectFrom('payment_allocation')
    .innerJoin('invoice', 'invoice.id', 'payment_allocation.invoice_id')
    .leftJoin('payment', 'payment.id', 'payment_allocation.payment_id')
    .leftJoin('stk_push', 'stk_push.checkout_request_id', 'payment.checkout_request_id')
    .leftJoin('invoice_line', (join) => join.onRef('invoice_line.invoice_id', '=', 'invoice.id')
      .on('invoice_line.line_number', '=', 1))
    .select([
      'payment_allocation.id', 'payment_allocation.source', 'payment_allocation.amount_minor',
      'payment_allocation.currency', 'payment_allocation.allocated_at', 'invoice.id as invoice_id',
      'invoice.reference', 'invoice.payer_account_id', 'invoice.agency_id', 'invoice.service_id',
      'invoice_line.description', 'payment.channel', 'payment.provider_reference',
      'payment.paid_at', 'stk_push.requested_by',
    ])
    .where('payment_allocation.id', '=', allocationId).executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    allocationId: row.id, source: row.source, amount: money(row.amount_minor, row.currency),
    allocatedAt: row.allocated_at, invoiceId: row.invoice_id, invoiceReference: row.reference,
    payerAccountId: row.payer_account_id, agencyId: row.agency_id, serviceId: row.service_id,
    firstLineDescription: row.description, channel: row.channel,
    providerReference: row.provider_reference, paidAt: row.paid_at,
    requestedBy: row.requested_by,
  };
}
