/**
 * The payer's open invoice for a service, so pressing Pay again reuses the bill instead of
 * issuing another. The pair (payer, service) is locked for the transaction (an advisory lock:
 * there is no row to lock before the first invoice exists), so two presses at once issue one.
 */
import { sql } from 'kysely';
import type { Money } from '#platform/money/index.ts';
import type { PaymentsDb } from './invoice-repo.ts';

/** Waits for any other transaction issuing an invoice to this payer for this service. */
export async function lockPayerServiceInTrx(
  trx: PaymentsDb,
  pair: Readonly<{ payerAccountId: string; serviceId: string }>,
): Promise<void> {
  const key = `payments:invoice:${pair.payerAccountId}:${pair.serviceId}`;
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}

/**
 * The newest invoice of this payer for this service that can still be paid (not cancelled,
 * not expired, not fully paid) for exactly this total; undefined when there is none.
 */
export async function findOpenInvoiceIdInTrx(
  trx: PaymentsDb,
  want: Readonly<{
    payerAccountId: string; serviceId: string; total: Money; allowsPartPayment: boolean;
    now: Date;
  }>,
): Promise<string | undefined> {
  const row = await trx.selectFrom('invoice').select('id')
    .where('payer_account_id', '=', want.payerAccountId)
    .where('service_id', '=', want.serviceId)
    .where('cancelled_at', 'is', null)
    .where('expires_at', '>', want.now)
    .where('currency', '=', want.total.currency)
    .where('total_minor', '=', want.total.amountMinor)
    .where('allows_part_payment', '=', want.allowsPartPayment)
    .where(sql<boolean>`(select coalesce(sum(a.amount_minor), 0) from payment_allocation a
      where a.invoice_id = invoice.id) < invoice.total_minor`)
    .orderBy('issued_at', 'desc').limit(1).executeTakeFirst();
  return row?.id;
}
