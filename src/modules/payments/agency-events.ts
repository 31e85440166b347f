/**
 * What happened to an agency's invoices since a cursor, for the agencies module's webhooks:
 * allocations (money applied to an invoice) in id order (uuidv7), each with its invoice, the
 * agency, the receipt (for a payment) and whether it completed the invoice. Read-only; the
 * ingest path does no work for webhooks.
 */
import { sql, type Kysely } from 'kysely';
import { money, type Currency, type Money } from '#platform/money/index.ts';
import { paymentsDb } from './invoice-repo.ts';

export type AgencyAllocationEvent = Readonly<{
  allocationId: string;
  allocatedAt: Date;
  agencyId: string;
  invoiceId: string;
  invoiceReference: string;
  receiptNumber: string | null;
  amount: Money;
  invoiceTotal: Money;
  /** The invoice's allocations up to and including this one. */
  paidSoFar: Money;
  /** This allocation is the one that brought the invoice to its total. */
  completesInvoice: boolean;
}>;

/**
 * Allocations with an id after `afterId`, allocated before `before` (rows of a transaction
 * still open when the cursor passes could otherwise be skipped), oldest first, at most `limit`.
 */
export async function listAllocationsSince<DB>(db: Kysely<DB>, query: Readonly<{
  afterId: string; before: Date; limit: number;
}>): Promise<AgencyAllocationEvent[]> {
  const rows = await paymentsDb(db).selectFrom('payment_allocation as a')
    .innerJoin('invoice as i', 'i.id', 'a.invoice_id')
    .leftJoin('payment as p', 'p.id', 'a.payment_id')
    .select(['a.id', 'a.allocated_at', 'a.amount_minor', 'a.currency', 'i.agency_id',
      'i.id as invoice_id', 'i.reference', 'i.total_minor', 'p.provider_reference'])
    .select(sql<string>`(select coalesce(sum(b.amount_minor), 0)::text from payment_allocation b
      where b.invoice_id = a.invoice_id and b.id <= a.id)`.as('paid_minor'))
    .where('a.id', '>', query.afterId)
    .where('a.allocated_at', '<', query.before)
    .orderBy('a.id').limit(query.limit).execute();
  return rows.map((row) => {
    const currency: Currency = row.currency;
    const paid = BigInt(row.paid_minor);
    return {
      allocationId: row.id, allocatedAt: row.allocated_at, agencyId: row.agency_id,
      invoiceId: row.invoice_id, invoiceReference: row.reference,
      receiptNumber: row.provider_reference, amount: money(row.amount_minor, currency),
      invoiceTotal: money(row.total_minor, currency), paidSoFar: money(paid, currency),
      completesInvoice: paid >= row.total_minor && paid - row.amount_minor < row.total_minor,
    };
  });
}
