/**
 * Payment alert SQL: alerts raised by ingest (in its transaction), their closing, and the
 * failures of stored callbacks the sweep could not process. All three tables are append-only
 * (migrations/202612031100_create-payment-alert.sql). Functions ending in InTrx run in the
 * caller's transaction.
 */
import { uuidv7, type Branded } from '#platform/ids/index.ts';
import { money, type Money } from '#platform/money/index.ts';
import type { PaymentsDb } from './invoice-repo.ts';
import type { PaymentAlertKind } from './payments-tables.ts';

export type PaymentAlertId = Branded<string, 'PaymentAlertId'>;

/** An alert to raise: what is wrong, and the callback or payment it is about. */
export type AlertDraft = Readonly<{
  kind: PaymentAlertKind;
  /** Field names and facts, never personal data (it is logged and shown to Treasury). */
  reason: string;
  rawId: string | null;
  paymentId: string | null;
}>;

export type RaisedAlert = AlertDraft & Readonly<{ id: PaymentAlertId; raisedAt: Date }>;

const reasonLengthMax = 300;

/**
 * Raises alerts; one per kind and callback, so a replayed callback raises nothing new.
 * Returns the alerts actually raised.
 */
export async function insertAlertsInTrx(
  trx: PaymentsDb,
  drafts: readonly AlertDraft[],
  now: Date,
): Promise<RaisedAlert[]> {
  if (drafts.length === 0) return [];
  const rows = await trx.insertInto('payment_alert').values(drafts.map((draft) => ({
    id: uuidv7(now.getTime()),
    kind: draft.kind,
    reason: draft.reason.slice(0, reasonLengthMax),
    raw_id: draft.rawId,
    payment_id: draft.paymentId,
    raised_at: now,
  }))).onConflict((conflict) => conflict.columns(['kind', 'raw_id']).doNothing())
    .returning(['id', 'kind', 'reason', 'raw_id', 'payment_id', 'raised_at']).execute();
  return rows.map((row) => ({ id: row.id as PaymentAlertId, kind: row.kind, reason: row.reason,
    rawId: row.raw_id, paymentId: row.payment_id, raisedAt: row.raised_at }));
}

export type AlertState = 'open' | 'closed';

export type PaymentAlertRow = Readonly<{
  id: PaymentAlertId;
  kind: PaymentAlertKind;
  reason: string;
  rawId: string | null;
  paymentId: string | null;
  raisedAt: Date;
  /** The payment's receipt and amount, when the alert concerns a recorded payment. */
  receiptNumber: string | null;
  amount: Money | undefined;
  closure: Readonly<{ closedAt: Date; closedBy: string; note: string }> | undefined;
}>;

function alertQuery(db: PaymentsDb) {
  return db.selectFrom('payment_alert')
    .leftJoin('payment_alert_closure', 'payment_alert_closure.alert_id', 'payment_alert.id')
    .leftJoin('payment', 'payment.id', 'payment_alert.payment_id')
    .select(['payment_alert.id', 'payment_alert.kind', 'payment_alert.reason',
      'payment_alert.raw_id', 'payment_alert.payment_id', 'payment_alert.raised_at',
      'payment.provider_reference', 'payment.amount_minor', 'payment.currency',
      'payment_alert_closure.closed_at', 'payment_alert_closure.closed_by',
      'payment_alert_closure.note']);
}

type AlertSelection = Awaited<ReturnType<ReturnType<typeof alertQuery>['execute']>>[number];

function toAlert(row: AlertSelection): PaymentAlertRow {
  return {
    id: row.id as PaymentAlertId, kind: row.kind, reason: row.reason, rawId: row.raw_id,
    paymentId: row.payment_id, raisedAt: row.raised_at,
    receiptNumber: row.provider_reference,
    amount: row.amount_minor === null || row.currency === null ? undefined
      : money(row.amount_minor, row.currency),
    closure: row.closed_at === null || row.closed_by === null || row.note === null ? undefined
      : { closedAt: row.closed_at, closedBy: row.closed_by, note: row.note },
  };
}

/** Alerts in one state, oldest first, a page at a time. */
export async function listAlerts(
  db: PaymentsDb,
  options: Readonly<{ state: AlertState; limit: number; offset: number }>,
): Promise<PaymentAlertRow[]> {
  const rows = await alertQuery(db)
    .where('payment_alert_closure.alert_id', options.state === 'open' ? 'is' : 'is not', null)
    .orderBy('payment_alert.raised_at').orderBy('payment_alert.id')
    .limit(options.limit).offset(options.offset).execute();
  return rows.map(toAlert);
}

export async function findAlert(db: PaymentsDb, alertId: string):
  Promise<PaymentAlertRow | undefined> {
  const row = await alertQuery(db).where('payment_alert.id', '=', alertId).executeTakeFirst();
  return row === undefined ? undefined : toAlert(row);
}

/** Closes an alert; false when it was already closed (by this call's twin, or earlier). */
export async function insertAlertClosureInTrx(
  trx: PaymentsDb,
  closure: Readonly<{ alertId: string; closedAt: Date; closedBy: string; note: string }>,
): Promise<boolean> {
  const rows = await trx.insertInto('payment_alert_closure').values({
    alert_id: closure.alertId, closed_at: closure.closedAt, closed_by: closure.closedBy,
    note: closure.note,
  }).onConflict((conflict) => conflict.column('alert_id').doNothing())
    .returning('alert_id').execute();
  return rows.length === 1;
}

/** Records a failed attempt to process a stored callback; returns its failures so far. */
export async function recordCallbackFailureInTrx(
  trx: PaymentsDb,
  failure: Readonly<{ rawId: string; failedAt: Date; reason: string }>,
): Promise<number> {
  await trx.insertInto('payment_callback_failure').values({
    id: uuidv7(failure.failedAt.getTime()), raw_id: failure.rawId,
    failed_at: failure.failedAt, reason: failure.reason.slice(0, reasonLengthMax),
  }).execute();
  const row = await trx.selectFrom('payment_callback_failure')
    .select((select) => select.fn.countAll<string>().as('failures'))
    .where('raw_id', '=', failure.rawId).executeTakeFirstOrThrow();
  return Number.parseInt(String(row.failures), 10);
}

/**
 * Why each of these payments was held in suspense out of bounds (their flag), by payment id;
 * payments held only because they matched no invoice have none.
 */
export async function findSuspenseFlags(db: PaymentsDb, paymentIds: readonly string[]):
  Promise<ReadonlyMap<string, string>> {
  if (paymentIds.length === 0) return new Map();
  const rows = await db.selectFrom('payment_alert').select(['payment_id', 'reason'])
    .where('kind', '=', 'CONFIRMATION_OUT_OF_BOUNDS')
    .where('payment_id', 'in', [...paymentIds]).orderBy('id').execute();
  const flags = new Map<string, string>();
  for (const row of rows) {
    if (row.payment_id !== null && !flags.has(row.payment_id)) {
      flags.set(row.payment_id, row.reason);
    }
  }
  return flags;
}
