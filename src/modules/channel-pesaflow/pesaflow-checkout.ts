/**
 * The checkout (POST /PaymentAPI/iframev2.1.php): a client's request, its secureHash checked
 * with the client's keys and encoding, becomes an ordinary invoice of the client's agency for
 * the amount the agency set plus the access fee on top (the "commission"). The same
 * billRefNumber returns the same invoice; with another amount, currency or service it is
 * refused. Two requests at once with one billRefNumber: the unique key makes the second wait
 * for the first and take its own invoice back; it then answers with the first's.
 */
import { createHash, randomBytes } from 'node:crypto';
import { recordAuditsInTrx, type AuditEvent } from '#modules/audit/index.ts';
import { findServiceByIdOrSlug } from '#modules/catalogue/index.ts';
import {
  createAgencyAmountInvoiceInTrx,
  invoiceViewById,
  type AgencyAmountInvoiceFailure,
  type InvoiceView,
} from '#modules/payments/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { money, parseMajor, subtract, type Money } from '#platform/money/index.ts';
import { findLiveClient, type PesaflowDeps } from './pesaflow-clients.ts';
import type { PesaflowErrorCode } from './pesaflow-errors.ts';
import { checkoutHashMatches, type CheckoutHashFields } from './pesaflow-hash.ts';
import { notificationUrlAccepted } from './pesaflow-urls.ts';
import {
  pesaflowDb,
  type PesaflowCheckoutTable,
  type PesaflowClientTable,
} from './pesaflow-tables.ts';

/** How long a checkout's invoice takes payments. */
export const checkoutLifetimeMs = 30 * 24 * 60 * 60 * 1000;

export type CheckoutRequest = CheckoutHashFields & Readonly<{
  notificationURL: string;
  callBackURLOnSuccess: string;
  callBackURLOnFailure?: string | undefined;
  callBackURLOnTimeout?: string | undefined;
  secureHash: string;
}>;

export type Checkout = Readonly<{
  client: PesaflowClientTable;
  checkout: PesaflowCheckoutTable;
  invoice: InvoiceView;
  /** What the agency set (amount_net); the access fee is the rest of the total. */
  net: Money;
  commission: Money;
  created: boolean;
}>;

export type CheckoutFailure = Failure<PesaflowErrorCode> | AgencyAmountInvoiceFailure;

class ReferenceTaken extends Error {}

function requestHash(serviceId: string, amount: Money): string {
  return createHash('sha256').update(JSON.stringify({ serviceId,
    amountMinor: amount.amountMinor.toString(), currency: amount.currency })).digest('hex');
}

/** The agency's amount on an invoice: its agency_bill line; the rest is the access fee. */
function split(invoice: InvoiceView): Readonly<{ net: Money; commission: Money }> {
  const net = invoice.lines.find((line) => line.kind === 'agency_bill')?.amount ??
    money(0n, invoice.total.currency);
  return { net, commission: subtract(invoice.total, net) };
}

async function findCheckout(deps: Pick<PesaflowDeps, 'db'>, clientId: string,
  billRefNumber: string): Promise<PesaflowCheckoutTable | undefined> {
  return pesaflowDb(deps.db).selectFrom('pesaflow_checkout').selectAll()
    .where('client_id', '=', clientId).where('bill_ref_number', '=', billRefNumber)
    .executeTakeFirst();
}

export async function checkoutOf(deps: PesaflowDeps, client: PesaflowClientTable,
  checkout: PesaflowCheckoutTable, created: boolean): Promise<Checkout> {
  const invoice = await invoiceViewById(deps, checkout.invoice_id, deps.clock.now());
  if (invoice === undefined) throw new Error(`invoice ${checkout.invoice_id} vanished`);
  return { client, checkout, invoice, ...split(invoice), created };
}

async function replay(deps: PesaflowDeps, client: PesaflowClientTable,
  row: PesaflowCheckoutTable, hash: string): Promise<Result<Checkout, CheckoutFailure>> {
  if (row.request_hash !== hash) return err(failure('PESAFLOW_BILL_REF_CONFLICT'));
  return ok(await checkoutOf(deps, client, row, false));
}

/** Checks the client, the hash and the amount, and finds the agency's service. */
async function admit(deps: PesaflowDeps, request: CheckoutRequest): Promise<Result<Readonly<{
  client: PesaflowClientTable; serviceId: string; amount: Money }>, CheckoutFailure>> {
  const client = await findLiveClient(deps, request.apiClientID);
  if (client === undefined || !checkoutHashMatches({ apiKey: client.api_key,
    secret: client.secret, encoding: client.hash_encoding }, request, request.secureHash)) {
    return err(failure('PESAFLOW_HASH_INVALID'));
  }
  // KES only, as the protocol records: the hosted checkout takes M-Pesa, which pays shillings.
  const amount = request.currency === 'KES'
    ? parseMajor(request.amountExpected, request.currency) : undefined;
  if (amount === undefined || amount.amountMinor <= 0n) {
    return err(failure('PESAFLOW_FIELDS_INVALID', 'amountExpected must be a positive amount ' +
      'with at most two decimals, and currency KES', { amountExpected: 'not accepted' }));
  }
  if (!notificationUrlAccepted(request.notificationURL,
    deps.config.environment === 'production')) {
    return err(failure('PESAFLOW_FIELDS_INVALID', 'notificationURL must be https, and not an ' +
      'address of this machine or a private network', { notificationURL: 'not accepted' }));
  }
  const service = await findServiceByIdOrSlug(deps, request.serviceID);
  if (service === undefined || service.agency.id !== client.agency_id) {
    return err(failure('PESAFLOW_SERVICE_NOT_FOUND'));
  }
  return ok({ client, serviceId: service.id, amount });
}

export async function checkOut(deps: PesaflowDeps, request: CheckoutRequest):
  Promise<Result<Checkout, CheckoutFailure>> {
  const admitted = await admit(deps, request);
  if (!admitted.ok) return admitted;
  const { client, serviceId, amount } = admitted.value;
  const hash = requestHash(serviceId, amount);
  const seen = await findCheckout(deps, client.id, request.billRefNumber);
  if (seen !== undefined) return replay(deps, client, seen, hash);
  const now = deps.clock.now();
  const actor = { kind: 'api-client' as const, id: `pesaflow:${client.api_client_id}` };
  try {
    const issued = await pesaflowDb(deps.db).transaction().execute(async (trx) => {
      const audits: AuditEvent[] = [];
      const invoice = await createAgencyAmountInvoiceInTrx(trx, deps, { serviceId,
        agencyId: client.agency_id, payerAccountId: client.payer_account_id, amount,
        description: request.billDesc, subject: `pesaflow-client:${client.id}`, now,
        expiresAt: new Date(now.getTime() + checkoutLifetimeMs), allowsPartPayment: true,
        actor, audits });
      if (!invoice.ok) return invoice;
      const row: PesaflowCheckoutTable = { id: uuidv7(now.getTime()), client_id: client.id,
        bill_ref_number: request.billRefNumber, request_hash: hash,
        invoice_id: invoice.value.id, request_id: randomBytes(24).toString('base64url'),
        bill_desc: request.billDesc, client_name: request.clientName,
        notification_url: request.notificationURL,
        callback_success: request.callBackURLOnSuccess,
        callback_failure: request.callBackURLOnFailure ?? null,
        callback_timeout: request.callBackURLOnTimeout ?? null, created_at: now };
      const inserted = await trx.insertInto('pesaflow_checkout').values(row)
        .onConflict((conflict) => conflict.columns(['client_id', 'bill_ref_number'])
          .doNothing()).returning('id').executeTakeFirst();
      if (inserted === undefined) throw new ReferenceTaken();
      audits.push({ action: 'PESAFLOW_CHECKOUT_CREATED', actor,
        subject: { type: 'invoice', id: invoice.value.id }, agencyId: client.agency_id,
        detail: { apiClientId: client.api_client_id, checkoutId: row.id } });
      await recordAuditsInTrx(trx, audits, now);
      return ok(row);
    });
    if (!issued.ok) return issued;
    return ok(await checkoutOf(deps, client, issued.value, true));
  } catch (error) {
    if (!(error instanceof ReferenceTaken)) throw error;
    const winner = await findCheckout(deps, client.id, request.billRefNumber);
    if (winner === undefined) throw new Error('billRefNumber taken, then not found');
    return replay(deps, client, winner, hash);
  }
}

/** A checkout by its hosted page's request_id, with its client; undefined if none. */
export async function findCheckoutByRequestId(deps: PesaflowDeps, requestId: string):
  Promise<Checkout | undefined> {
  if (!/^[A-Za-z0-9_-]{32}$/.test(requestId)) return undefined;
  const db = pesaflowDb(deps.db);
  const checkout = await db.selectFrom('pesaflow_checkout').selectAll()
    .where('request_id', '=', requestId).executeTakeFirst();
  if (checkout === undefined) return undefined;
  const client = await db.selectFrom('pesaflow_client').selectAll()
    .where('id', '=', checkout.client_id).executeTakeFirstOrThrow();
  return checkoutOf(deps, client, checkout, false);
}
