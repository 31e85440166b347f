/**
 * An agency's payments by date, for the agency integration API: payments made to the agency's
 * invoices (allocated, or credited to the payer because the invoice was closed), in order of
 * when the money moved, paged by a keyset (paid_at, id). No personal data: no phone or name.
 */
import { money, type Money } from '#platform/money/index.ts';
import { paymentsDb } from './invoice-repo.ts';
import type { PaymentsDeps } from './payments-deps.ts';
import type { PaymentChannel } from './payments-tables.ts';

export type AgencyPayment = Readonly<{
  id: string;
  receiptNumber: string | null;
  channel: PaymentChannel;
  amount: Money;
  paidAt: Date;
  invoiceId: string;
  invoiceReference: string;
  disposition: 'allocated' | 'credited';
}>;

export type AgencyPaymentsQuery = Readonly<{
  agencyId: string;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  /** The last payment of the previous page. */
  after?: Readonly<{ paidAt: Date; id: string }>;
  limit: number;
}>;

export async function listAgencyPayments(deps: Pick<PaymentsDeps, 'db'>,
  query: AgencyPaymentsQuery): Promise<AgencyPayment[]> {
  let select = paymentsDb(deps.db).selectFrom('payment as p')
    .innerJoin('invoice as i', 'i.id', 'p.invoice_id')
    .select(['p.id', 'p.provider_reference', 'p.channel', 'p.amount_minor', 'p.currency',
      'p.paid_at', 'p.disposition', 'i.id as invoice_id', 'i.reference'])
    .where('i.agency_id', '=', query.agencyId)
    .where('p.paid_at', '>=', query.from).where('p.paid_at', '<', query.to);
  const after = query.after;
  if (after !== undefined) {
    select = select.where((eb) => eb.or([eb('p.paid_at', '>', after.paidAt),
      eb.and([eb('p.paid_at', '=', after.paidAt), eb('p.id', '>', after.id)])]));
  }
  const rows = await select.orderBy('p.paid_at').orderBy('p.id').limit(query.limit).execute();
  return rows.map((row) => ({
    id: row.id, receiptNumber: row.provider_reference, channel: row.channel,
    amount: money(BigInt(row.amount_minor), row.currency), paidAt: row.paid_at,
    invoiceId: row.invoice_id, invoiceReference: row.reference,
    disposition: row.disposition === 'credited' ? 'credited' : 'allocated',
  }));
}
