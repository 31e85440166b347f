/**
 * The status query (GET /api/invoice/payment/status): a client asks about one of its invoices
 * by its invoice_number (the Huduma bill reference), signed with secure_hash =
 * HMAC(apiKey, api_client_id + ref_no) in the client's encoding.
 */
import { findInvoiceByReference, type InvoiceView } from '#modules/payments/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { toMajorString } from '#platform/money/index.ts';
import { checkoutOf, type Checkout } from './pesaflow-checkout.ts';
import { findLiveClient, type PesaflowDeps } from './pesaflow-clients.ts';
import type { PesaflowErrorCode } from './pesaflow-errors.ts';
import { sameHash, statusHash } from './pesaflow-hash.ts';
import { pesaflowDb } from './pesaflow-tables.ts';

export type StatusQuery = Readonly<{ api_client_id: string; ref_no: string; secure_hash: string }>;

export type StatusBody = Readonly<{
  status: string; ref_no: string; payment_date: string | null; name: string; currency: string;
  client_invoice_ref: string; amount_paid: string; amount_expected: string;
}>;

/** The legacy word for an invoice's status: paid, partial, pending, cancelled, expired. */
export function legacyStatus(invoice: Pick<InvoiceView, 'status'>): string {
  switch (invoice.status) {
    case 'paid':
    case 'overpaid':
      return 'paid';
    case 'partially_paid':
      return 'partial';
    case 'unpaid':
      return 'pending';
    default:
      return invoice.status;
  }
}

export function statusBody(found: Checkout): StatusBody {
  const { invoice, checkout } = found;
  const last = invoice.allocations.at(-1);
  return { status: legacyStatus(invoice), ref_no: invoice.reference,
    payment_date: last === undefined ? null : last.allocatedAt.toISOString(),
    name: checkout.client_name, currency: invoice.total.currency,
    client_invoice_ref: checkout.bill_ref_number, amount_paid: toMajorString(invoice.paid),
    amount_expected: toMajorString(invoice.total) };
}

export async function paymentStatus(deps: PesaflowDeps, query: StatusQuery):
  Promise<Result<StatusBody, Failure<PesaflowErrorCode>>> {
  const client = await findLiveClient(deps, query.api_client_id);
  if (client === undefined || !sameHash(query.secure_hash, statusHash({
    apiKey: client.api_key, secret: client.secret, encoding: client.hash_encoding },
  query.api_client_id, query.ref_no))) {
    return err(failure('PESAFLOW_HASH_INVALID'));
  }
  const invoice = await findInvoiceByReference(deps, query.ref_no);
  const checkout = invoice === undefined ? undefined : await pesaflowDb(deps.db)
    .selectFrom('pesaflow_checkout').selectAll().where('invoice_id', '=', invoice.id)
    .where('client_id', '=', client.id).executeTakeFirst();
  if (checkout === undefined) return err(failure('PESAFLOW_INVOICE_NOT_FOUND'));
  return ok(statusBody(await checkoutOf(deps, client, checkout, false)));
}
