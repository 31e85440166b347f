/**
 * Payment SQL: raw callbacks, payments (one per provider receipt), their event log and the
 * callback outcomes. Functions ending in InTrx run in the caller's transaction.
 */
import { money, type Currency, type Money } from '#platform/money/index.ts';
import type { PaymentsDb } from './invoice-repo.ts';
import type {
  CallbackKind,
  CallbackOutcome,
  PaymentChannel,
  PaymentDisposition,
  PaymentEventKind,
} from './payments-tables.ts';

export type RawCallback = Readonly<{
  id: string;
  kind: CallbackKind;
  receivedAt: Date;
  sourceAddress: string | null;
  headers: Readonly<Record<string, string>>;
  /** The body as text; where it is not UTF-8 text without NUL, a readable form of it. */
  body: string;
  /** The body's bytes, kept only when `body` cannot hold them exactly. */
  bodyBytes?: Uint8Array | undefined;
}>;

/** Stores callbacks verbatim, several in one statement (the batched path). */
export async function insertRawCallbacksInTrx(
  trx: PaymentsDb,
  raws: readonly RawCallback[],
): Promise<void> {
  if (raws.length === 0) return;
  await trx.insertInto('payment_callback_raw').values(raws.map((raw) => ({
    id: raw.id,
    kind: raw.kind,
    received_at: raw.receivedAt,
    source_address: raw.sourceAddress,
    headers: JSON.stringify(raw.headers),
    body: raw.body,
    body_bytes: raw.bodyBytes ?? null,
  }))).execute();
}

export type OutcomeRow = Readonly<{ rawId: string; outcome: CallbackOutcome; processedAt: Date }>;

export async function insertOutcomesInTrx(
  trx: PaymentsDb,
  outcomes: readonly OutcomeRow[],
): Promise<void> {
  if (outcomes.length === 0) return;
  await trx.insertInto('payment_callback_outcome').values(outcomes.map((row) => ({
    raw_id: row.rawId,
    outcome: row.outcome,
    processed_at: row.processedAt,
  }))).onConflict((conflict) => conflict.column('raw_id').doNothing()).execute();
}

/** Stored callbacks without an outcome (the caller narrows by kind and time). */
function unprocessedRaw(db: PaymentsDb) {
  return db.selectFrom('payment_callback_raw')
    .leftJoin('payment_callback_outcome', 'payment_callback_outcome.raw_id',
      'payment_callback_raw.id')
    .select(['payment_callback_raw.id', 'payment_callback_raw.kind',
      'payment_callback_raw.received_at', 'payment_callback_raw.source_address',
      'payment_callback_raw.headers', 'payment_callback_raw.body',
      'payment_callback_raw.body_bytes'])
    .where('payment_callback_outcome.raw_id', 'is', null);
}

type RawRow = Readonly<{ id: string; kind: RawCallback['kind']; received_at: Date;
  source_address: string | null; headers: unknown; body: string;
  body_bytes: Uint8Array | null }>;

function toRawCallback(row: RawRow): RawCallback {
  return {
    id: row.id,
    kind: row.kind,
    receivedAt: row.received_at,
    sourceAddress: row.source_address,
    headers: (row.headers ?? {}) as Record<string, string>,
    body: row.body,
    ...(row.body_bytes === null ? {} : { bodyBytes: row.body_bytes }),
  };
}

/** Where a page of the sweep ended: the next page starts after it. */
export type RawCursor = Readonly<{ receivedAt: Date; id: string }>;

/**
 * Raw callbacks received before `before` that have no outcome: left for the sweep. In
 * (received_at, id) order, a page at a time from `after`, so a sweep that cannot finish some
 * callbacks still reaches those behind them.
 */
export async function listUnprocessedRaw(
  db: PaymentsDb,
  options: Readonly<{ before: Date; limit: number; after?: RawCursor | undefined }>,
): Promise<RawCallback[]> {
  const { after } = options;
  let query = unprocessedRaw(db)
    .where('payment_callback_raw.kind', 'in', ['mpesa_c2b_confirmation', 'mpesa_stk_callback'])
    .where('payment_callback_raw.received_at', '<', options.before);
  if (after !== undefined) {
    query = query.where((where) => where.or([
      where('payment_callback_raw.received_at', '>', after.receivedAt),
      where.and([where('payment_callback_raw.received_at', '=', after.receivedAt),
        where('payment_callback_raw.id', '>', after.id)]),
    ]));
  }
  const rows = await query.orderBy('payment_callback_raw.received_at')
    .orderBy('payment_callback_raw.id').limit(options.limit).execute();
  return rows.map(toRawCallback);
}

/**
 * STK callbacks stored without an outcome that name this checkout request: they arrived before
 * we had recorded the push's submission. Only callbacks since the push was made are read.
 */
export async function listDeferredStkCallbacksInTrx(
  trx: PaymentsDb,
  want: Readonly<{ checkoutRequestId: string; since: Date }>,
): Promise<RawCallback[]> {
  const rows = await unprocessedRaw(trx)
    .where('payment_callback_raw.kind', '=', 'mpesa_stk_callback')
    .where('payment_callback_raw.received_at', '>=', want.since)
    .where('payment_callback_raw.body', 'like', `%${want.checkoutRequestId.replaceAll(/[%_\\]/g,
      (character) => `\\${character}`)}%`)
    .orderBy('payment_callback_raw.received_at').execute();
  return rows.map(toRawCallback);
}

export type PaymentRow = Readonly<{
  id: string;
  /** 'mpesa', or the card acquirer. */
  provider: string;
  /** The provider's reference: the M-Pesa receipt or the card acquirer's payment id. */
  receiptNumber: string | null;
  checkoutRequestId: string | null;
  channel: PaymentChannel;
  shortcode: string;
  amount: Money;
  accountReference: string;
  invoiceId: string | null;
  payerAccountId: string | null;
  disposition: PaymentDisposition;
  paidAt: Date;
  recordedAt: Date;
}>;

type PaymentSelection = Readonly<{
  id: string; provider: string; provider_reference: string | null;
  checkout_request_id: string | null; channel: PaymentChannel; shortcode: string;
  amount_minor: bigint; currency: Currency;
  account_reference: string; invoice_id: string | null; payer_account_id: string | null;
  disposition: PaymentDisposition; paid_at: Date; recorded_at: Date;
}>;

const paymentColumns = [
  'id', 'provider', 'provider_reference', 'checkout_request_id', 'channel', 'shortcode',
  'amount_minor', 'currency', 'account_reference', 'invoice_id', 'payer_account_id',
  'disposition', 'paid_at', 'recorded_at',
] as const;

function toPayment(row: PaymentSelection): PaymentRow {
  return {
    id: row.id,
    provider: row.provider,
    receiptNumber: row.provider_reference,
    checkoutRequestId: row.checkout_request_id,
    channel: row.channel,
    shortcode: row.shortcode,
    amount: money(row.amount_minor, row.currency),
    accountReference: row.account_reference,
    invoiceId: row.invoice_id,
    payerAccountId: row.payer_account_id,
    disposition: row.disposition,
    paidAt: row.paid_at,
    recordedAt: row.recorded_at,
  };
}

/** The payments recorded under any of these receipts or checkout requests. */
export async function findPaymentsByKeys(
  db: PaymentsDb,
  keys: Readonly<{ receipts: readonly string[]; checkouts: readonly string[];
    /** The providers the receipts are of; M-Pesa alone when absent. */
    providers?: readonly string[] }>,
  options: Readonly<{ lock: boolean; unmatchedOfInvoices?: readonly string[] }> = { lock: false },
): Promise<PaymentRow[]> {
  const invoices = options.unmatchedOfInvoices ?? [];
  if (keys.receipts.length === 0 && keys.checkouts.length === 0 && invoices.length === 0) {
    return [];
  }
  const query = db.selectFrom('payment').select(paymentColumns)
    .where((where) => where.or([
      ...(keys.receipts.length === 0 ? [] : [where.and([
        where('provider', 'in', [...keys.providers ?? ['mpesa']]),
        where('provider_reference', 'in', [...keys.receipts])])]),
      ...(keys.checkouts.length === 0 ? []
        : [where('checkout_request_id', 'in', [...keys.checkouts])]),
      // Candidates for a counterpart match: payments of these invoices missing a key.
      ...(invoices.length === 0 ? [] : [where.and([where('invoice_id', 'in', [...invoices]),
        where.or([where('provider_reference', 'is', null),
          where('checkout_request_id', 'is', null)])])]),
    ]));
  const rows = options.lock ? await query.forUpdate().execute() : await query.execute();
  return rows.map(toPayment);
}

/**
 * Inserts payments in one statement, skipping any whose receipt or checkout request is taken
 * (a concurrent batch took it: ON CONFLICT DO NOTHING waits for it, then skips); returns the
 * ids inserted.
 */
export async function insertPaymentsInTrx(trx: PaymentsDb, payments: readonly NewPayment[]):
  Promise<Set<string>> {
  if (payments.length === 0) return new Set();
  const rows = await trx.insertInto('payment').values(payments.map((payment) => ({
    id: payment.id,
    provider: payment.provider,
    provider_reference: payment.receiptNumber,
    checkout_request_id: payment.checkoutRequestId,
    channel: payment.channel,
    shortcode: payment.shortcode,
    amount_minor: payment.amount.amountMinor,
    currency: payment.amount.currency,
    account_reference: payment.accountReference,
    invoice_id: payment.invoiceId,
    payer_account_id: payment.payerAccountId,
    disposition: payment.disposition,
    paid_at: payment.paidAt,
    recorded_at: payment.recordedAt,
  }))).onConflict((conflict) => conflict.doNothing()).returning('id').execute();
  return new Set(rows.map((row) => row.id));
}

/** A payment about to be inserted has exactly the fields of a stored one. */
export type NewPayment = PaymentRow;

/** Fills in what a later delivery told us: the receipt number or the checkout request. */
export async function completePaymentKeysInTrx(
  trx: PaymentsDb,
  paymentId: string,
  keys: Readonly<{ receiptNumber?: string; checkoutRequestId?: string }>,
): Promise<void> {
  if (keys.receiptNumber !== undefined) {
    await trx.updateTable('payment').set({ provider_reference: keys.receiptNumber })
      .where('id', '=', paymentId).where('provider_reference', 'is', null).execute();
  }
  if (keys.checkoutRequestId !== undefined) {
    await trx.updateTable('payment').set({ checkout_request_id: keys.checkoutRequestId })
      .where('id', '=', paymentId).where('checkout_request_id', 'is', null).execute();
  }
}

export type NewPaymentEvent = Readonly<{
  id: string;
  paymentId: string;
  kind: PaymentEventKind;
  rawId: string | null;
  amount: Money;
  accountReference: string;
  recordedAt: Date;
}>;

export type PaymentEventRow = Readonly<{
  id: string;
  kind: PaymentEventKind;
  amountMinor: bigint;
  recordedAt: Date;
}>;

export async function listPaymentEvents(db: PaymentsDb, paymentId: string):
  Promise<PaymentEventRow[]> {
  const rows = await db.selectFrom('payment_event')
    .select(['id', 'kind', 'amount_minor', 'recorded_at'])
    .where('payment_id', '=', paymentId).orderBy('id').execute();
  return rows.map((row) => ({
    id: row.id, kind: row.kind, amountMinor: row.amount_minor, recordedAt: row.recorded_at,
  }));
}

/** The suspense register: receipts that matched no invoice, oldest first, a page at a time. */
export async function listSuspensePayments(
  db: PaymentsDb,
  page: Readonly<{ limit: number; offset: number }>,
): Promise<PaymentRow[]> {
  const rows = await db.selectFrom('payment').select(paymentColumns)
    .where('disposition', '=', 'suspense')
    .orderBy('paid_at').orderBy('id').limit(page.limit).offset(page.offset).execute();
  return rows.map(toPayment);
}
