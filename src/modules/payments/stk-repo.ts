/** STK push SQL: the push (intent recorded before the call) and its event log. */
import { money, type Money } from '#platform/money/index.ts';
import type { PaymentsDb } from './invoice-repo.ts';
import type { StkPushEventKind } from './payments-tables.ts';

export type StkPushRow = Readonly<{
  id: string;
  invoiceId: string;
  requestedBy: string;
  requestKey: string | null;
  /** Personal data: only for the call to Daraja, never logged or put in events. */
  phoneNumber: string;
  amount: Money;
  accountReference: string;
  checkoutRequestId: string | null;
  merchantRequestId: string | null;
  createdAt: Date;
}>;

const pushColumns = [
  'id', 'invoice_id', 'requested_by', 'request_key', 'phone_number', 'amount_minor', 'currency',
  'account_reference', 'checkout_request_id', 'merchant_request_id', 'created_at',
] as const;

type PushSelection = Readonly<{
  id: string; invoice_id: string; requested_by: string; request_key: string | null;
  phone_number: string; amount_minor: bigint; currency: 'KES'; account_reference: string;
  checkout_request_id: string | null; merchant_request_id: string | null; created_at: Date;
}>;

function toPush(row: PushSelection): StkPushRow {
  return {
    id: row.id,
    invoiceId: row.invoice_id,
    requestedBy: row.requested_by,
    requestKey: row.request_key,
    phoneNumber: row.phone_number,
    amount: money(row.amount_minor, row.currency),
    accountReference: row.account_reference,
    checkoutRequestId: row.checkout_request_id,
    merchantRequestId: row.merchant_request_id,
    createdAt: row.created_at,
  };
}

export async function findStkPush(
  db: PaymentsDb,
  where: Readonly<{ id: string } | { checkoutRequestId: string } | { requestKey: string }>,
): Promise<StkPushRow | undefined> {
  let query = db.selectFrom('stk_push').select(pushColumns);
  if ('id' in where) query = query.where('id', '=', where.id);
  else if ('checkoutRequestId' in where) {
    query = query.where('checkout_request_id', '=', where.checkoutRequestId);
  } else query = query.where('request_key', '=', where.requestKey);
  const row = await query.executeTakeFirst();
  return row === undefined ? undefined : toPush(row);
}

/** The invoice's pushes, newest first. */
export async function listStkPushesOfInvoice(db: PaymentsDb, invoiceId: string, limit: number):
  Promise<StkPushRow[]> {
  const rows = await db.selectFrom('stk_push').select(pushColumns)
    .where('invoice_id', '=', invoiceId).orderBy('created_at', 'desc').limit(limit).execute();
  return rows.map(toPush);
}

export type NewStkPush = Omit<StkPushRow, 'checkoutRequestId' | 'merchantRequestId'>;

/** Inserts the push; false when its request key was used before (a repeated request). */
export async function insertStkPushInTrx(trx: PaymentsDb, push: NewStkPush): Promise<boolean> {
  const inserted = await trx.insertInto('stk_push').values({
    id: push.id,
    invoice_id: push.invoiceId,
    requested_by: push.requestedBy,
    request_key: push.requestKey,
    phone_number: push.phoneNumber,
    amount_minor: push.amount.amountMinor,
    currency: 'KES',
    account_reference: push.accountReference,
    created_at: push.createdAt,
  }).onConflict((conflict) => conflict.column('request_key').doNothing())
    .returning('id').executeTakeFirst();
  return inserted !== undefined;
}

/** Holds the push row until the transaction ends (recording its submission takes it too). */
export async function lockStkPushInTrx(trx: PaymentsDb, pushId: string): Promise<void> {
  await trx.selectFrom('stk_push').select('id').where('id', '=', pushId).forUpdate().execute();
}

export async function recordSubmissionInTrx(
  trx: PaymentsDb,
  pushId: string,
  ids: Readonly<{ checkoutRequestId: string; merchantRequestId: string }>,
): Promise<void> {
  await trx.updateTable('stk_push').set({
    checkout_request_id: ids.checkoutRequestId,
    merchant_request_id: ids.merchantRequestId,
  }).where('id', '=', pushId).where('checkout_request_id', 'is', null).execute();
}

export type NewStkPushEvent = Readonly<{
  id: string;
  stkPushId: string;
  kind: StkPushEventKind;
  resultCode: string | null;
  resultDescription: string | null;
  rawId: string | null;
  recordedAt: Date;
}>;

export async function insertStkPushEventInTrx(trx: PaymentsDb, event: NewStkPushEvent):
  Promise<void> {
  await trx.insertInto('stk_push_event').values({
    id: event.id,
    stk_push_id: event.stkPushId,
    kind: event.kind,
    result_code: event.resultCode,
    result_description: event.resultDescription?.slice(0, 300) ?? null,
    raw_id: event.rawId,
    recorded_at: event.recordedAt,
  }).execute();
}

export type StkPushEventRow = Readonly<{
  id: string;
  kind: StkPushEventKind;
  resultCode: string | null;
  resultDescription: string | null;
  recordedAt: Date;
}>;

export async function listStkPushEvents(db: PaymentsDb, pushId: string):
  Promise<StkPushEventRow[]> {
  const rows = await db.selectFrom('stk_push_event')
    .select(['id', 'kind', 'result_code', 'result_description', 'recorded_at'])
    .where('stk_push_id', '=', pushId).orderBy('id').execute();
  return rows.map((row) => ({
    id: row.id, kind: row.kind, resultCode: row.result_code,
    resultDescription: row.result_description, recordedAt: row.recorded_at,
  }));
}
