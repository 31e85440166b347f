/**
 * Payment alerts: what M-Pesa deliveries told us that a person must look at (a quarantined
 * callback, a confirmation held in suspense because it was out of bounds, two deliveries of
 * one receipt that disagree, a receipt reused for another invoice). Ingest raises them in its
 * own transaction; once committed each is logged (a warning, no personal data) and counted
 * (`payments_alerts_raised_total`); Treasury lists them and closes each with a note, an
 * audited act. An alert is never deleted.
 */
import { recordAuditInTrx, type AuditActor } from '#modules/audit/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import type { Logger } from '#platform/logging/index.ts';
import type { Counter, MetricsRegistry } from '#platform/metrics/index.ts';
import { paymentsDb } from './invoice-repo.ts';
import {
  findAlert,
  insertAlertClosureInTrx,
  type PaymentAlertRow,
  type RaisedAlert,
} from './payment-alert-repo.ts';
import type { PaymentsDeps } from './payments-deps.ts';
import type { PaymentAlertKind } from './payments-tables.ts';

export const paymentAlertsMetric = 'payments_alerts_raised_total';
/** A closing note says what was found and done; long enough for that, short for a form. */
export const closingNoteLengthMax = 1000;

const alertKinds: readonly PaymentAlertKind[] = ['CALLBACK_QUARANTINED',
  'CONFIRMATION_OUT_OF_BOUNDS', 'DELIVERY_DISAGREED', 'RECEIPT_REUSED',
  'C2B_MAY_REPEAT_STK_PAYMENT'];

/**
 * The alerts counter, every kind present from the start at 0, so a rule on its increase
 * sees the first alert too.
 */
export function paymentAlertCounter(metrics: MetricsRegistry): Counter {
  const counter = metrics.counter(paymentAlertsMetric,
    'Payment alerts raised (a person must look and close each), by kind.');
  for (const kind of alertKinds) counter.inc({ kind }, 0);
  return counter;
}

/** Logs and counts alerts raised by a committed transaction (never before its commit). */
export function reportRaisedAlerts(
  observers: Readonly<{ logger: Logger; metrics?: MetricsRegistry | undefined }>,
  alerts: readonly RaisedAlert[],
): void {
  if (alerts.length === 0) return;
  const counter = observers.metrics === undefined ? undefined
    : paymentAlertCounter(observers.metrics);
  for (const alert of alerts) {
    counter?.inc({ kind: alert.kind });
    observers.logger.warn({ alertId: alert.id, kind: alert.kind, reason: alert.reason,
      rawId: alert.rawId, paymentId: alert.paymentId }, 'payment alert raised');
  }
}

export type CloseAlertFailure = Failure<
  'PAY_ALERT_NOT_FOUND' | 'PAY_ALERT_ALREADY_CLOSED' | 'PAY_ALERT_NOTE_REQUIRED'>;

/**
 * Closes an open alert with a note, audited in the same transaction.
 * Fails with PAY_ALERT_NOT_FOUND, PAY_ALERT_ALREADY_CLOSED (someone closed it first; their
 * note stands), PAY_ALERT_NOTE_REQUIRED (blank or longer than 1,000 characters).
 */
export async function closePaymentAlert(
  deps: PaymentsDeps,
  input: Readonly<{ alertId: string; note: string; actor: AuditActor; now: Date }>,
): Promise<Result<PaymentAlertRow, CloseAlertFailure>> {
  const note = input.note.trim();
  if (note === '' || note.length > closingNoteLengthMax) {
    return err(failure('PAY_ALERT_NOTE_REQUIRED'));
  }
  if (!isUuid(input.alertId)) return err(failure('PAY_ALERT_NOT_FOUND'));
  const closed = await paymentsDb(deps.db).transaction().execute(async (trx) => {
    const alert = await findAlert(trx, input.alertId);
    if (alert === undefined) return err(failure('PAY_ALERT_NOT_FOUND'));
    const inserted = await insertAlertClosureInTrx(trx, { alertId: alert.id,
      closedAt: input.now, closedBy: input.actor.id ?? input.actor.kind, note });
    if (!inserted) return err(failure('PAY_ALERT_ALREADY_CLOSED'));
    await recordAuditInTrx(trx, {
      action: 'PAYMENT_ALERT_CLOSED',
      actor: input.actor,
      subject: { type: 'payment_alert', id: alert.id },
      detail: { kind: alert.kind, paymentId: alert.paymentId, rawId: alert.rawId },
    }, input.now);
    return ok(alert.id);
  });
  if (!closed.ok) return closed;
  const alert = await findAlert(paymentsDb(deps.db), closed.value);
  if (alert === undefined) throw new Error(`alert ${closed.value} vanished`);
  return ok(alert);
}
