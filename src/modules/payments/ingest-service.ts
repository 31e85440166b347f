/**
 * Processing stored provider callbacks, in the caller's transaction: read the raw body, record
 * what it says (a payment notice, an STK result), then write the audit records, the payer's
 * notifications and the callback's outcome. The batcher (ingest-batcher.ts) runs many of these
 * in one transaction; the sweep reruns any stored callback that has no outcome.
 */
import type { Transaction } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import type { Logger } from '#platform/logging/index.ts';
import type { MetricsRegistry } from '#platform/metrics/index.ts';
import { format } from '#platform/money/index.ts';
import { recordAuditsInTrx, type AuditEvent } from '#modules/audit/index.ts';
import {
  enqueueNotificationsInTrx,
  type NotificationRequest,
} from '#modules/notifications/index.ts';
import { noWrites, writeBatchInTrx, type BatchWrites } from './batch-writes-repo.ts';
import {
  bodyNotTextReason,
  boundedPaidAt,
  screenC2bConfirmation,
  screenStkCallback,
} from './callback-screening.ts';
import { prepareRoutedInvoiceInTrx } from './bill-inquiry/bill-inquiry-invoice.ts';
import { alertsOfNotices } from './ingest-alerts.ts';
import { paymentsDb } from './invoice-repo.ts';
import { parseC2bPayment, parseStkCallback, type StkCallback } from './mpesa/index.ts';
import {
  insertAlertsInTrx,
  type AlertDraft,
  type RaisedAlert,
} from './payment-alert-repo.ts';
import { c2bNotice, stkCallbackNotice } from './payment-notices.ts';
import type { OutcomeRow, RawCallback } from './payment-repo.ts';
import type { CallbackOutcome } from './payments-tables.ts';
import { recordNoticesInTrx, type NoticeItem, type PayerNotice } from './receipt-service.ts';
import { findStkPush, insertStkPushEventInTrx } from './stk-repo.ts';

/** How to reach a payer; identity knows, payments only asks. Undefined: nobody to tell. */
export type PayerContact = Readonly<{
  channel: 'sms' | 'email';
  to: string;
  language: 'en' | 'sw';
}>;

/** The contacts of the payers that have one, looked up together (one batch, one lookup). */
export type PayerContactFinder = <DB>(trx: Transaction<DB>, payerAccountIds: readonly string[]) =>
  Promise<ReadonlyMap<string, PayerContact>>;

export type IngestContext = Readonly<{
  now: Date;
  /** Our paybill: STK callbacks do not name it. */
  shortcode: string;
  logger: Logger;
  /** Counts the alerts raised (payment-alert-service.ts); none counted without it. */
  metrics?: MetricsRegistry | undefined;
  findPayerContact: PayerContactFinder | undefined;
  /**
   * The sweep sets this: an STK callback for a push still unknown a minute later is not ours,
   * so it is kept as stored, not deferred again.
   */
  finalAttempt?: boolean;
}>;

export type ProcessedCallback = Readonly<{
  /** 'deferred': kept without an outcome, to be processed later (an STK callback that beat
   * the record of its own push is processed when that record is written). */
  outcome: CallbackOutcome | 'deferred';
  paymentId: string | undefined;
  audit: AuditEvent | undefined;
  payerNotices: readonly PayerNotice[];
  /** What a person must look at (payment-alert-repo.ts), raised with the outcome. */
  alerts?: readonly AlertDraft[];
}>;

const nothing = (outcome: ProcessedCallback['outcome'], alerts: readonly AlertDraft[] = []):
  ProcessedCallback => ({ outcome, paymentId: undefined, audit: undefined, payerNotices: [],
  alerts });

/** Stored, but never processable: quarantined with an alert saying why. */
function quarantined(raw: RawCallback, reason: string, context: IngestContext,
  outcome: 'quarantined' | 'malformed' = 'quarantined'): ProcessedCallback {
  context.logger.warn({ rawId: raw.id, kind: raw.kind, reason },
    'M-Pesa callback quarantined; stored for an operator');
  return nothing(outcome, [{ kind: 'CALLBACK_QUARANTINED', reason, rawId: raw.id,
    paymentId: null }]);
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** A callback read: an outcome already, or a payment notice to record with the others. */
type Reading = ProcessedCallback | NoticeItem;

export type ProcessedBatch = Readonly<{
  /** One per callback, in order. */
  results: ProcessedCallback[];
  /** Rows to write with the outcomes (finishCallbacksInTrx). */
  writes: BatchWrites;
}>;

/**
 * What stored callbacks say, recorded in the caller's transaction: each is read on its own,
 * then all their payment notices are recorded together (a few statements for the batch).
 */
export async function processCallbacksInTrx<DB>(
  trx: Transaction<DB>,
  raws: readonly RawCallback[],
  context: IngestContext,
): Promise<ProcessedBatch> {
  const readings: Reading[] = [];
  for (const raw of raws) readings.push(await readCallbackInTrx(trx, raw, context));
  const items = readings.filter((reading): reading is NoticeItem => 'notice' in reading);
  const { outcomes, writes } = await recordNoticesInTrx(trx, items, context);
  const alerts = await alertsOfNotices(paymentsDb(trx), items, outcomes, writes);
  let next = 0;
  const results = readings.map((reading): ProcessedCallback => {
    if (!('notice' in reading)) return reading;
    const outcome = outcomes[next];
    const raised = alerts[next] ?? [];
    next += 1;
    if (outcome === undefined) throw new Error('a notice was left without an outcome');
    return { outcome: outcome.kind, paymentId: outcome.paymentId, audit: outcome.audit,
      payerNotices: outcome.payerNotices, alerts: raised };
  });
  return { results, writes };
}

async function readCallbackInTrx<DB>(
  trx: Transaction<DB>,
  raw: RawCallback,
  context: IngestContext,
): Promise<Reading> {
  if (raw.bodyBytes !== undefined) return quarantined(raw, bodyNotTextReason, context);
  const body = parseJson(raw.body);
  if (raw.kind === 'mpesa_c2b_confirmation') {
    const payment = parseC2bPayment(body);
    if (!payment.ok) {
      return quarantined(raw, `not understood: ${payment.error.field} ${
        payment.error.message}`, context, 'malformed');
    }
    // Judged against when it reached us, not when it is processed: a sweep days later must
    // not hold in suspense a confirmation that arrived in time.
    const screening = screenC2bConfirmation(payment.value,
      { shortcode: context.shortcode, now: raw.receivedAt });
    if (screening.verdict === 'quarantine') return quarantined(raw, screening.reason, context);
    if (screening.verdict === 'process') {
      // A routed reference's invoice is made first, so the payment finds it (bill-inquiry/).
      await prepareRoutedInvoiceInTrx(trx, payment.value,
        { now: context.now, logger: context.logger });
      return { notice: c2bNotice(payment.value, raw.id) };
    }
    // Our paybill's collection account takes it (no account for a paybill that is not ours),
    // dated when it reached us if its own time is out of bounds.
    const notice = { ...c2bNotice(payment.value, raw.id), shortcode: context.shortcode,
      paidAt: boundedPaidAt(payment.value.transactionTime, raw.receivedAt) };
    return { notice, holdInSuspense: screening.reason };
  }
  if (raw.kind === 'mpesa_stk_callback') {
    const callback = parseStkCallback(body);
    if (!callback.ok) {
      return quarantined(raw, `not understood: ${callback.error.field} ${
        callback.error.message}`, context, 'malformed');
    }
    const unprocessable = screenStkCallback(callback.value);
    if (unprocessable !== undefined) return quarantined(raw, unprocessable, context);
    return readStkCallbackInTrx(trx, raw, callback.value, context);
  }
  return nothing('stored_only');
}

async function readStkCallbackInTrx<DB>(
  trx: Transaction<DB>,
  raw: RawCallback,
  callback: StkCallback,
  context: IngestContext,
): Promise<Reading> {
  const db = paymentsDb(trx);
  const push = await findStkPush(db, { checkoutRequestId: callback.checkoutRequestId });
  if (push === undefined) {
    // Either not ours, or M-Pesa answered before we recorded its acceptance of the push (the
    // callback can beat the reply): kept, and processed when the push's submission is
    // recorded, or by the sweep.
    if (context.finalAttempt === true) {
      context.logger.warn({ rawId: raw.id }, 'STK callback for a push we did not make; stored');
      return nothing('stored_only');
    }
    context.logger.warn({ rawId: raw.id }, 'STK callback for a push not known yet; deferred');
    return nothing('deferred');
  }
  await insertStkPushEventInTrx(db, {
    id: uuidv7(context.now.getTime()), stkPushId: push.id, kind: 'STK_CALLBACK_RECEIVED',
    // Words for people: a NUL (which PostgreSQL text cannot hold) is dropped, not fatal.
    resultCode: String(callback.resultCode),
    resultDescription: callback.resultDescription.replaceAll('\u0000', ''),
    rawId: raw.id, recordedAt: context.now,
  });
  const notice = stkCallbackNotice(callback, push, context.shortcode, raw.id);
  if (notice === undefined) return nothing('stk_result_recorded');
  return { notice, stkInvoiceId: push.invoiceId };
}

/**
 * The writes that close a batch: audit records (late, because the audit lock is held until
 * commit), the payers' notifications, and every callback's outcome.
 */
export async function finishCallbacksInTrx<DB>(
  trx: Transaction<DB>,
  processed: readonly Readonly<{ rawId: string; result: ProcessedCallback }>[],
  context: IngestContext,
  writes: BatchWrites = noWrites,
): Promise<RaisedAlert[]> {
  await notifyPayersInTrx(trx, processed.flatMap(({ result }) => result.payerNotices), context);
  const outcomes: OutcomeRow[] = processed.flatMap(({ rawId, result }) =>
    result.outcome === 'deferred' ? []
      : [{ rawId, outcome: result.outcome, processedAt: context.now }]);
  await writeBatchInTrx(trx, writes, outcomes);
  const raised = await insertAlertsInTrx(paymentsDb(trx),
    processed.flatMap(({ result }) => result.alerts ?? []), context.now);
  await recordAuditsInTrx(trx, processed.flatMap(({ result }) =>
    result.audit === undefined ? [] : [result.audit]), context.now);
  return raised;
}

async function notifyPayersInTrx<DB>(
  trx: Transaction<DB>,
  notices: readonly PayerNotice[],
  context: IngestContext,
): Promise<void> {
  if (notices.length === 0 || context.findPayerContact === undefined) return;
  const contacts = await context.findPayerContact(trx,
    notices.map((notice) => notice.payerAccountId));
  const requests = notices.flatMap((notice) => {
    const contact = contacts.get(notice.payerAccountId);
    return contact === undefined ? [] : [payerMessage(notice, contact)];
  });
  await enqueueNotificationsInTrx(trx, requests, context.now);
}

function payerMessage(notice: PayerNotice, contact: PayerContact): NotificationRequest {
  const amount = format(notice.amount, contact.language);
  const params: Record<string, string> = notice.template === 'payments.payment-received'
    ? { amount, billReference: notice.billReference, receiptNumber: notice.receiptNumber }
    : { amount, billReference: notice.billReference };
  return { channel: contact.channel, to: contact.to, template: notice.template,
    language: contact.language, params, accountId: notice.payerAccountId };
}
