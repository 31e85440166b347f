/**
 * Refund SQL: refunds, their attempts, and the payment a refund is of. Functions ending in
 * InTrx run in the caller's transaction; lock functions lock first and read in a second
 * statement (READ COMMITTED: the read then sees what the lock waited for).
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { money, type Currency, type Money } from '#platform/money/index.ts';
import type { PaymentChannel, PaymentDisposition, PaymentsTables } from '../payments-tables.ts';
import type {
  RefundAttemptState,
  RefundAttemptTable,
  RefundMethod,
  RefundReason,
  RefundSourceKind,
  RefundStatus,
  RefundTable,
  RefundTables,
} from './refund-tables.ts';

export type RefundDb = Kysely<PaymentsTables & RefundTables>;

export function refundDb<DB>(db: Kysely<DB>): RefundDb {
  return db as unknown as RefundDb;
}

export type RefundRow = Readonly<{
  id: string;
  source: RefundSourceKind;
  payerAccountId: string | null;
  paymentId: string | null;
  agencyId: string | null;
  amount: Money;
  reason: RefundReason;
  note: string;
  method: RefundMethod;
  status: RefundStatus;
  requestedBy: string;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string;
  providerReceipt: string | null;
  paidAt: Date | null;
  cancelledBy: string | null;
  cancelledAt: Date | null;
  /** A refund of a paid bill: the invoice it withdraws. */
  invoiceId: string | null;
}>;

export type RefundAttemptRow = Readonly<{
  id: string;
  refundId: string;
  number: number;
  method: RefundMethod;
  originatorConversationId: string;
  conversationId: string | null;
  state: RefundAttemptState;
  resultCode: string | null;
  resultDescription: string | null;
  providerReceipt: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}>;

function toRefund(row: Selectable<RefundTable>): RefundRow {
  return {
    id: row.id, source: row.source, payerAccountId: row.payer_account_id,
    paymentId: row.payment_id, agencyId: row.agency_id,
    amount: money(BigInt(row.amount_minor), row.currency), reason: row.reason, note: row.note,
    method: row.method, status: row.status, requestedBy: row.requested_by,
    requestedAt: row.requested_at, decidedBy: row.decided_by, decidedAt: row.decided_at,
    decisionNote: row.decision_note, providerReceipt: row.provider_receipt, paidAt: row.paid_at,
    cancelledBy: row.cancelled_by, cancelledAt: row.cancelled_at, invoiceId: row.invoice_id,
  };
}

function toAttempt(row: Selectable<RefundAttemptTable>): RefundAttemptRow {
  return {
    id: row.id, refundId: row.refund_id, number: row.number, method: row.method,
    originatorConversationId: row.originator_conversation_id,
    conversationId: row.conversation_id, state: row.state, resultCode: row.result_code,
    resultDescription: row.result_description, providerReceipt: row.provider_receipt,
    createdAt: row.created_at, finishedAt: row.finished_at,
  };
}

export type NewRefund = Readonly<{
  id: string;
  source: RefundSourceKind;
  payerAccountId: string | null;
  paymentId: string | null;
  agencyId: string | null;
  amount: Money;
  reason: RefundReason;
  note: string;
  method: RefundMethod;
  requestedBy: string;
  requestedAt: Date;
  invoiceId?: string | null | undefined;
}>;

export async function insertRefundInTrx(trx: RefundDb, refund: NewRefund): Promise<void> {
  await trx.insertInto('refund').values({
    id: refund.id, source: refund.source, payer_account_id: refund.payerAccountId,
    payment_id: refund.paymentId, agency_id: refund.agencyId,
    amount_minor: refund.amount.amountMinor, currency: refund.amount.currency,
    reason: refund.reason, note: refund.note, method: refund.method, status: 'requested',
    requested_by: refund.requestedBy, requested_at: refund.requestedAt,
    decided_by: null, decided_at: null, decision_note: '', provider_receipt: null,
    paid_at: null, cancelled_by: null, cancelled_at: null, invoice_id: refund.invoiceId ?? null,
  }).execute();
}

export async function findRefund(db: RefundDb, id: string): Promise<RefundRow | undefined> {
  const row = await db.selectFrom('refund').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toRefund(row);
}

export async function lockRefundInTrx(trx: RefundDb, id: string): Promise<RefundRow | undefined> {
  const locked = await trx.selectFrom('refund').select('id').where('id', '=', id).forUpdate()
    .executeTakeFirst();
  return locked === undefined ? undefined : findRefund(trx, id);
}

export type RefundChange = Partial<Readonly<{
  status: RefundStatus; method: RefundMethod; decidedBy: string; decidedAt: Date;
  decisionNote: string; providerReceipt: string; paidAt: Date; cancelledBy: string;
  cancelledAt: Date;
}>>;

export async function updateRefundInTrx(trx: RefundDb, id: string, change: RefundChange):
  Promise<void> {
  await trx.updateTable('refund').set({
    ...(change.status === undefined ? {} : { status: change.status }),
    ...(change.method === undefined ? {} : { method: change.method }),
    ...(change.decidedBy === undefined ? {} : { decided_by: change.decidedBy }),
    ...(change.decidedAt === undefined ? {} : { decided_at: change.decidedAt }),
    ...(change.decisionNote === undefined ? {} : { decision_note: change.decisionNote }),
    ...(change.providerReceipt === undefined ? {} : { provider_receipt: change.providerReceipt }),
    ...(change.paidAt === undefined ? {} : { paid_at: change.paidAt }),
    ...(change.cancelledBy === undefined ? {} : { cancelled_by: change.cancelledBy }),
    ...(change.cancelledAt === undefined ? {} : { cancelled_at: change.cancelledAt }),
  }).where('id', '=', id).execute();
}

export type RefundFilter = Readonly<{
  status?: RefundStatus | undefined;
  /** Only these agencies' refunds (agency staff); undefined: all. */
  agencyId?: string | undefined;
  payerAccountId?: string | undefined;
  limit: number;
}>;

export async function listRefunds(db: RefundDb, filter: RefundFilter): Promise<RefundRow[]> {
  let query = db.selectFrom('refund').selectAll();
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.agencyId !== undefined) query = query.where('agency_id', '=', filter.agencyId);
  if (filter.payerAccountId !== undefined) {
    query = query.where('payer_account_id', '=', filter.payerAccountId);
  }
  const rows = await query.orderBy('requested_at', 'desc').orderBy('id', 'desc')
    .limit(filter.limit).execute();
  return rows.map(toRefund);
}

export async function insertAttemptInTrx(trx: RefundDb, attempt: Readonly<{
  id: string; refundId: string; number: number; method: RefundMethod;
  originatorConversationId: string; createdAt: Date;
}>): Promise<void> {
  await trx.insertInto('refund_attempt').values({
    id: attempt.id, refund_id: attempt.refundId, number: attempt.number, method: attempt.method,
    originator_conversation_id: attempt.originatorConversationId, state: 'queued',
    created_at: attempt.createdAt,
  }).execute();
}

export async function listAttempts(db: RefundDb, refundId: string): Promise<RefundAttemptRow[]> {
  const rows = await db.selectFrom('refund_attempt').selectAll()
    .where('refund_id', '=', refundId).orderBy('number').execute();
  return rows.map(toAttempt);
}

export async function findAttempt(db: RefundDb, id: string):
  Promise<RefundAttemptRow | undefined> {
  const row = await db.selectFrom('refund_attempt').selectAll().where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : toAttempt(row);
}

/** The attempt a Result names (by either conversation id), locked. */
export async function lockAttemptByConversationInTrx(
  trx: RefundDb,
  ids: Readonly<{ originatorConversationId: string; conversationId: string }>,
): Promise<RefundAttemptRow | undefined> {
  const locked = await trx.selectFrom('refund_attempt').select('id')
    .where((where) => where.or([
      where('originator_conversation_id', '=', ids.originatorConversationId),
      where('conversation_id', '=', ids.conversationId),
    ])).forUpdate().executeTakeFirst();
  return locked === undefined ? undefined : findAttempt(trx, locked.id);
}

export async function lockAttemptInTrx(trx: RefundDb, id: string):
  Promise<RefundAttemptRow | undefined> {
  const locked = await trx.selectFrom('refund_attempt').select('id').where('id', '=', id)
    .forUpdate().executeTakeFirst();
  return locked === undefined ? undefined : findAttempt(trx, id);
}

export type AttemptChange = Partial<Readonly<{
  state: RefundAttemptState; conversationId: string; resultCode: string;
  resultDescription: string; providerReceipt: string; rawId: string; finishedAt: Date;
}>>;

export async function updateAttemptInTrx(trx: RefundDb, id: string, change: AttemptChange):
  Promise<void> {
  await trx.updateTable('refund_attempt').set({
    ...(change.state === undefined ? {} : { state: change.state }),
    ...(change.conversationId === undefined ? {} : { conversation_id: change.conversationId }),
    ...(change.resultCode === undefined ? {} : { result_code: change.resultCode }),
    ...(change.resultDescription === undefined ? {}
      : { result_description: change.resultDescription.slice(0, 1000) }),
    ...(change.providerReceipt === undefined ? {} : { provider_receipt: change.providerReceipt }),
    ...(change.rawId === undefined ? {} : { raw_id: change.rawId }),
    ...(change.finishedAt === undefined ? {} : { finished_at: change.finishedAt }),
  }).where('id', '=', id).execute();
}

/** A payment as a refund needs it, with the agency of its invoice (if any). */
export type RefundablePayment = Readonly<{
  id: string;
  receipt: string | null;
  shortcode: string;
  /** A card payment goes back to the card, through its acquirer (`provider`). */
  channel: PaymentChannel;
  provider: string;
  amount: Money;
  disposition: PaymentDisposition;
  payerAccountId: string | null;
  agencyId: string | null;
}>;

async function readPayment(db: RefundDb, id: string): Promise<RefundablePayment | undefined> {
  const row = await db.selectFrom('payment')
    .leftJoin('invoice', 'invoice.id', 'payment.invoice_id')
    .select(['payment.id', 'payment.provider_reference', 'payment.shortcode',
      'payment.channel', 'payment.provider',
      'payment.amount_minor', 'payment.currency', 'payment.disposition',
      'payment.payer_account_id', 'invoice.agency_id'])
    .where('payment.id', '=', id).executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id, receipt: row.provider_reference, shortcode: row.shortcode,
    channel: row.channel, provider: row.provider,
    amount: money(BigInt(row.amount_minor), row.currency as Currency),
    disposition: row.disposition, payerAccountId: row.payer_account_id,
    agencyId: row.agency_id,
  };
}

export const findRefundablePayment = readPayment;

export async function lockPaymentInTrx(trx: RefundDb, id: string):
  Promise<RefundablePayment | undefined> {
  const locked = await trx.selectFrom('payment').select('id').where('id', '=', id).forUpdate()
    .executeTakeFirst();
  return locked === undefined ? undefined : readPayment(trx, id);
}

export async function setDispositionInTrx(trx: RefundDb, paymentId: string,
  from: PaymentDisposition, to: PaymentDisposition): Promise<boolean> {
  const result = await trx.updateTable('payment').set({ disposition: to })
    .where('id', '=', paymentId).where('disposition', '=', from).executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * The payer's registered phone (identity's account table), for a B2C refund. Read in the
 * sending job only, never logged or stored elsewhere.
 */
export async function payerPhone(db: RefundDb, payerAccountId: string):
  Promise<string | undefined> {
  const result = await sql<{ phone: string | null }>`
    select phone from account where id = ${payerAccountId}::uuid`.execute(db);
  return result.rows[0]?.phone ?? undefined;
}
