/**
 * A confirmation of a routed reference: before the payment is recorded, the platform invoice
 * of that agency bill is made if it does not exist yet (idempotent on the reference, which is
 * unique), so the payment is then allocated to it like any other: through the ledger to the
 * agency's payable, and the agency is told by its webhooks (payment.received, invoice.paid).
 *
 * The invoice's total is the amount due the agency last gave at a lookup of that reference;
 * without one (the fallback accepted it, or validation did not run) it is the amount paid, and
 * its line says the amount was not confirmed by the agency. Two receipts for one bill in two
 * transactions: the second insert waits on the first's unique key and does nothing; both
 * payments then lock the one invoice, and what goes beyond its total is credited, as
 * everywhere (docs/bill-inquiry.md).
 */
import type { Transaction } from 'kysely';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import type { Logger } from '#platform/logging/index.ts';
import { parseBillReference } from '../bill-reference.ts';
import type { C2bPayment } from '../mpesa/index.ts';
import { findRouteByPrefix, latestFoundLookup } from './bill-inquiry-repo.ts';
import { dueOf, routedPrefixOf } from './bill-inquiry-rules.ts';
import { billInquiryDb } from './bill-inquiry-tables.ts';

/** How long a routed bill's invoice takes payments; later ones are credited, as elsewhere. */
export const routedInvoiceLifetimeMs = 365 * 24 * 60 * 60 * 1000;

export type RoutedInvoice = Readonly<{ invoiceId: string; created: boolean }>;

/**
 * Makes (or finds) the invoice of a routed reference, in the caller's transaction; undefined
 * when the reference is not routed. @idempotent with (reference).
 */
export async function prepareRoutedInvoiceInTrx<DB>(
  trx: Transaction<DB>,
  payment: Pick<C2bPayment, 'billReference' | 'amount'>,
  context: Readonly<{ now: Date; logger: Logger }>,
): Promise<RoutedInvoice | undefined> {
  const reference = parseBillReference(payment.billReference);
  if (reference === undefined) return undefined;
  const prefix = routedPrefixOf(reference);
  if (prefix === undefined) return undefined;
  const route = await findRouteByPrefix(trx, prefix);
  if (route === undefined) return undefined;
  const db = billInquiryDb(trx);
  const lookup = await latestFoundLookup(trx, reference);
  const due = lookup === undefined ? undefined : dueOf(lookup);
  const confirmed = due !== undefined && due.currency === payment.amount.currency &&
    due.amountMinor > 0n;
  const total = confirmed ? due : payment.amount;
  const id = uuidv7(context.now.getTime());
  const inserted = await db.insertInto('invoice').values({
    id, reference, service_id: route.serviceId, agency_id: route.agencyId,
    payer_account_id: route.payerAccountId, currency: total.currency,
    total_minor: total.amountMinor, allows_part_payment: route.allowsPartPayment,
    issued_at: context.now,
    expires_at: new Date(context.now.getTime() + routedInvoiceLifetimeMs),
    cancelled_at: null, cancelled_by: null, subject: `agency-invoice:${route.agencyId}`,
  }).onConflict((conflict) => conflict.column('reference').doNothing())
    .returning('id').executeTakeFirst();
  if (inserted === undefined) {
    const existing = await db.selectFrom('invoice').select('id')
      .where('reference', '=', reference).executeTakeFirstOrThrow();
    return { invoiceId: existing.id, created: false };
  }
  await db.insertInto('invoice_line').values({
    invoice_id: id, line_number: 1, kind: 'agency_bill',
    description: confirmed ? `Bill ${reference}`
      : `Bill ${reference} (amount not confirmed by the agency)`,
    amount_minor: total.amountMinor, currency: total.currency,
    fee_schedule_version_id: null, fee_schedule_version: null, access_fee_schedule_id: null,
    gazette_reference: null }).execute();
  await recordAuditInTrx(trx, { action: 'BILL_INQUIRY_INVOICE_CREATED',
    actor: { kind: 'system', id: null }, subject: { type: 'invoice', id },
    agencyId: route.agencyId, detail: { prefix, confirmedByAgency: confirmed } }, context.now);
  context.logger.info({ prefix, agencyId: route.agencyId, invoiceId: id, confirmed },
    'invoice made for a routed bill');
  return { invoiceId: id, created: true };
}
