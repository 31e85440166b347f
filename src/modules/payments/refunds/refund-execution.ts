/**
 * Paying an approved refund through M-Pesa, never twice:
 * - the outbox job (payments.refund-send) sends the queued attempt (B2C to the payer's
 *   registered phone, or a reversal of the receipt) with our OriginatorConversationID; when
 *   Daraja cannot be reached it throws and the outbox retries with the same id (M-Pesa answers
 *   a repeat without paying again);
 * - the asynchronous Result is stored raw FIRST (its own commit), then processed: success posts
 *   refundPaidOut (reference: refundId and the provider's receipt) and tells the payer; a
 *   failure leaves the refund payable and failed (retry or cancel); a repeated Result changes
 *   nothing;
 * - a queue timeout makes the attempt 'unknown' and asks for its transaction status
 *   (payments.refund-status); the status answer decides: paid, or not happened (then a retry
 *   is allowed).
 */
import type { Transaction } from 'kysely';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { findAccountContactsInTrx } from '#modules/identity/index.ts';
import { postEntryInTrx, refundPaidOut } from '#modules/ledger/index.ts';
import { enqueueNotificationInTrx } from '#modules/notifications/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { format } from '#platform/money/index.ts';
import { enqueueOutboxEventInTrx, type OutboxHandler } from '#platform/outbox/index.ts';
import {
  parseInitiatorResult,
  type DarajaClient,
  type DarajaResult,
  type InitiatorAccepted,
  type InitiatorResult,
} from '../mpesa/index.ts';
import type { PaymentsDeps } from '../payments-deps.ts';
import { insertOutcomesInTrx, insertRawCallbacksInTrx } from '../payment-repo.ts';
import { paymentsDb } from '../invoice-repo.ts';
import type { CallbackKind, CallbackOutcome } from '../payments-tables.ts';
import {
  findAttempt,
  findRefund,
  findRefundablePayment,
  lockAttemptByConversationInTrx,
  lockAttemptInTrx,
  lockRefundInTrx,
  payerPhone,
  refundDb,
  updateAttemptInTrx,
  updateRefundInTrx,
  type RefundAttemptRow,
  type RefundDb,
} from './refund-repo.ts';
import { refundStatusTopic } from './refund-service.ts';

export type RefundCallbackUrls = Readonly<{
  b2cResult: string; reversalResult: string; timeout: string; statusResult: string;
  statusTimeout: string;
}>;

export type RefundExecutionDeps = PaymentsDeps & Readonly<{
  daraja: DarajaClient;
  urls: RefundCallbackUrls;
  /** Our paybill, whose collection account a payout leaves. */
  shortcode: string;
}>;

const systemActor = { kind: 'system', id: null } as const;

function readAttemptId(payload: unknown): string {
  const attemptId = (payload as { attemptId?: unknown } | null)?.attemptId;
  if (typeof attemptId !== 'string') throw new Error('malformed refund payload');
  return attemptId;
}

/** Outbox payments.refund-send: sends a queued attempt once it is still queued. */
export function refundSendHandler(deps: RefundExecutionDeps): OutboxHandler {
  return async (event, context) => {
    const attemptId = readAttemptId(event.payload);
    try {
      await sendAttempt(deps, attemptId);
    } catch (error) {
      if (!context.isLastAttempt) throw error;
      // Giving up sending: it may have reached M-Pesa, so its status decides, not a resend.
      await markUnknown(deps, attemptId);
    }
  };
}

async function markUnknown(deps: PaymentsDeps, attemptId: string): Promise<void> {
  const now = deps.clock.now();
  await refundDb(deps.db).transaction().execute(async (trx) => {
    const attempt = await lockAttemptInTrx(trx, attemptId);
    if (attempt?.state !== 'queued') return;
    await updateAttemptInTrx(trx, attemptId, { state: 'unknown',
      resultDescription: 'M-Pesa could not be reached' });
    await enqueueOutboxEventInTrx(trx, refundStatusTopic, { attemptId }, now,
      { availableAt: new Date(now.getTime() + statusQueryDelayMs) });
  });
}

export async function sendAttempt(deps: RefundExecutionDeps, attemptId: string):
  Promise<RefundAttemptRow['state'] | 'skipped'> {
  const db = refundDb(deps.db);
  const attempt = await findAttempt(db, attemptId);
  if (attempt?.state !== 'queued') return 'skipped';
  const refund = await findRefund(db, attempt.refundId);
  if (refund === undefined) return 'skipped';
  const common = { originatorConversationId: attempt.originatorConversationId,
    amount: refund.amount, queueTimeoutUrl: deps.urls.timeout,
    remarks: 'Huduma refund', occasion: refund.id };
  let sent: DarajaResult<InitiatorAccepted>;
  if (attempt.method === 'mpesa_b2c') {
    const phone = refund.payerAccountId === null ? undefined
      : await payerPhone(db, refund.payerAccountId);
    if (phone === undefined) {
      return finishFailed(deps, attempt.id, 'NO_PHONE', 'The payer has no registered phone');
    }
    sent = await deps.daraja.b2cPayment({ ...common, phoneNumber: phone,
      resultUrl: deps.urls.b2cResult });
  } else {
    const payment = refund.paymentId === null ? undefined
      : await findRefundablePayment(db, refund.paymentId);
    if (payment?.receipt === null || payment === undefined) {
      return finishFailed(deps, attempt.id, 'NO_RECEIPT', 'The payment has no receipt');
    }
    sent = await deps.daraja.reversal({ ...common, transactionId: payment.receipt,
      resultUrl: deps.urls.reversalResult });
  }
  if (sent.ok) {
    await db.transaction().execute(async (trx) => {
      const locked = await lockAttemptInTrx(trx, attempt.id);
      // A Result may have come first: only a queued attempt becomes sent.
      if (locked?.state === 'queued') {
        await updateAttemptInTrx(trx, attempt.id, { state: 'sent',
          conversationId: sent.value.conversationId });
      }
    });
    return 'sent';
  }
  const failed = sent.error;
  if (failed.kind === 'daraja' || failed.kind === 'invalid-request') {
    // Refused before anything moved: the request itself was wrong.
    const code = failed.kind === 'daraja' ? failed.errorCode : 'INVALID_REQUEST';
    const message = failed.kind === 'daraja' ? failed.errorMessage : failed.message;
    return finishFailed(deps, attempt.id, code, message);
  }
  // Timeout, network, an odd answer: it may have reached M-Pesa. Sent again with the same
  // OriginatorConversationID by the outbox's retry, it is not paid twice.
  throw new Error(`refund attempt not sent: ${failed.kind}`);
}

async function finishFailed(deps: PaymentsDeps, attemptId: string, code: string,
  description: string): Promise<'failed'> {
  await refundDb(deps.db).transaction().execute(async (trx) => {
    const attempt = await lockAttemptInTrx(trx, attemptId);
    if (attempt === undefined || !inFlight(attempt)) return;
    await failAttemptInTrx(trx, attempt, { code, description, rawId: undefined },
      new Date());
  });
  return 'failed';
}

export function inFlight(attempt: RefundAttemptRow): boolean {
  return attempt.state === 'queued' || attempt.state === 'sent' || attempt.state === 'unknown';
}

export async function failAttemptInTrx(trx: RefundDb, attempt: RefundAttemptRow,
  result: Readonly<{ code: string; description: string; rawId: string | undefined }>,
  now: Date, state: 'failed' | 'not_happened' = 'failed'): Promise<void> {
  await updateAttemptInTrx(trx, attempt.id, { state, resultCode: result.code,
    resultDescription: result.description, finishedAt: now,
    ...(result.rawId === undefined ? {} : { rawId: result.rawId }) });
  const refund = await lockRefundInTrx(trx, attempt.refundId);
  if (refund === undefined || refund.status !== 'paying') return;
  await updateRefundInTrx(trx, refund.id, { status: 'failed' });
  await recordAuditInTrx(trx, {
    action: 'REFUND_ATTEMPT_FAILED', actor: systemActor,
    subject: { type: 'refund', id: refund.id }, agencyId: refund.agencyId,
    detail: { attempt: attempt.number, method: attempt.method, resultCode: result.code,
      outcome: state },
  }, now);
}

export async function succeedAttemptInTrx(deps: Pick<RefundExecutionDeps, 'shortcode'>,
  trx: RefundDb,
  attempt: RefundAttemptRow, receipt: string, rawId: string, now: Date): Promise<void> {
  await updateAttemptInTrx(trx, attempt.id, { state: 'succeeded', providerReceipt: receipt,
    resultCode: '0', rawId, finishedAt: now });
  const refund = await lockRefundInTrx(trx, attempt.refundId);
  if (refund === undefined || refund.status === 'paid') return;
  const payment = refund.paymentId === null ? undefined
    : await findRefundablePayment(trx, refund.paymentId);
  const posted = await postEntryInTrx(trx as Transaction<unknown>, refundPaidOut({
    refundId: refund.id, amount: refund.amount, occurredAt: now, providerReceipt: receipt,
    // Out of the collection account the money came into: the paybill, or the card acquirer.
    channel: payment?.channel === 'card' ? { kind: 'card', provider: payment.provider }
      : { kind: 'mpesa', shortcode: payment?.shortcode ?? deps.shortcode } }));
  if (!posted.ok) throw new Error(`refund ${refund.id} payout refused: ${posted.error.code}`);
  await updateRefundInTrx(trx, refund.id, { status: 'paid', providerReceipt: receipt,
    paidAt: now });
  await recordAuditInTrx(trx, {
    action: 'REFUND_PAID', actor: systemActor, subject: { type: 'refund', id: refund.id },
    agencyId: refund.agencyId,
    detail: { attempt: attempt.number, method: attempt.method, providerReceipt: receipt },
  }, now);
  if (refund.payerAccountId === null) return;
  const contact = (await findAccountContactsInTrx(trx, [refund.payerAccountId]))
    .get(refund.payerAccountId);
  if (contact === undefined) return;
  await enqueueNotificationInTrx(trx, {
    channel: contact.channel, to: contact.to, template: 'payments.refund-paid',
    language: contact.language, accountId: refund.payerAccountId,
    params: { amount: format(refund.amount, contact.language), receiptNumber: receipt },
  }, now);
}

/** From a queue timeout to the status query that settles it. */
export const statusQueryDelayMs = 30_000;

export type RefundCallbackKind = Extract<CallbackKind, 'mpesa_b2c_result' |
  'mpesa_reversal_result' | 'mpesa_refund_timeout' | 'mpesa_refund_status_result'>;

export type StoredCallback = Readonly<{
  kind: RefundCallbackKind;
  sourceAddress: string | null;
  headers: Readonly<Record<string, string>>;
  body: string;
  bodyBytes?: Uint8Array;
}>;

/** Stores the callback raw (committed on its own), then processes it; returns the outcome. */
export async function receiveRefundCallback(deps: RefundExecutionDeps, stored: StoredCallback):
  Promise<CallbackOutcome> {
  const now = deps.clock.now();
  const rawId = uuidv7(now.getTime());
  const db = paymentsDb(deps.db);
  await db.transaction().execute(async (trx) => {
    await insertRawCallbacksInTrx(trx, [{ id: rawId, kind: stored.kind, receivedAt: now,
      sourceAddress: stored.sourceAddress, headers: stored.headers, body: stored.body,
      ...(stored.bodyBytes === undefined ? {} : { bodyBytes: stored.bodyBytes }) }]);
  });
  return refundDb(deps.db).transaction().execute(async (trx) => {
    const outcome = await processInTrx(deps, trx, stored, rawId, now);
    await insertOutcomesInTrx(paymentsDb(trx as RefundDb), [{ rawId, outcome, processedAt: now }]);
    return outcome;
  });
}

function parse(body: string): InitiatorResult | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = parseInitiatorResult(json);
  return parsed.ok ? parsed.value : undefined;
}

/** Occasion echoed in ReferenceData (the status query names the attempt there). */
function occasionOf(body: string): string | undefined {
  try {
    const item = (JSON.parse(body) as { Result?: { ReferenceData?: { ReferenceItem?: unknown } } })
      .Result?.ReferenceData?.ReferenceItem;
    const items = Array.isArray(item) ? item : [item];
    const found = items.find((entry: { Key?: unknown } | undefined) => entry?.Key === 'Occasion') as
      { Value?: unknown } | undefined;
    return typeof found?.Value === 'string' ? found.Value : undefined;
  } catch {
    return undefined;
  }
}

async function processInTrx(deps: RefundExecutionDeps, trx: RefundDb, stored: StoredCallback,
  rawId: string, now: Date): Promise<CallbackOutcome> {
  const result = parse(stored.body);
  if (result === undefined) return 'malformed';
  if (stored.kind === 'mpesa_refund_status_result') {
    return processStatusInTrx(deps, trx, stored.body, result, rawId, now);
  }
  const attempt = await lockAttemptByConversationInTrx(trx, {
    originatorConversationId: result.originatorConversationId,
    conversationId: result.conversationId });
  if (attempt === undefined) return 'stored_only';
  if (stored.kind === 'mpesa_refund_timeout') {
    if (attempt.state !== 'queued' && attempt.state !== 'sent') return 'duplicate';
    await updateAttemptInTrx(trx, attempt.id, { state: 'unknown', rawId,
      resultCode: result.resultCode, resultDescription: result.resultDescription });
    // A little later: M-Pesa's status of a request it just timed out may not be final yet.
    await enqueueOutboxEventInTrx(trx, refundStatusTopic, { attemptId: attempt.id }, now,
      { availableAt: new Date(now.getTime() + statusQueryDelayMs) });
    return 'refund_result_recorded';
  }
  // A Result after a timeout still tells the truth; after a final state it is a repeat.
  if (!inFlight(attempt)) return 'duplicate';
  if (result.resultCode === '0') {
    const receipt = result.transactionId !== '' ? result.transactionId
      : result.parameters['TransactionReceipt'] ?? '';
    await succeedAttemptInTrx(deps, trx, attempt, receipt, rawId, now);
  } else {
    await failAttemptInTrx(trx, attempt, { code: result.resultCode,
      description: result.resultDescription, rawId }, now);
  }
  return 'refund_result_recorded';
}

/** Daraja's answer to a status query for a receipt it does not know (it never happened). */
const noSuchTransactionCode = '25';

async function processStatusInTrx(deps: RefundExecutionDeps, trx: RefundDb, body: string,
  result: InitiatorResult, rawId: string, now: Date): Promise<CallbackOutcome> {
  const attemptId = occasionOf(body);
  const attempt = attemptId === undefined ? undefined : await lockAttemptInTrx(trx, attemptId);
  if (attempt === undefined) return 'stored_only';
  if (attempt.state !== 'unknown') return 'duplicate';
  if (result.resultCode === '0' && result.receipt !== undefined) {
    await succeedAttemptInTrx(deps, trx, attempt, result.receipt.receiptNumber, rawId, now);
  } else if (result.resultCode === noSuchTransactionCode) {
    await failAttemptInTrx(trx, attempt, { code: result.resultCode,
      description: 'M-Pesa has no such transaction: the refund was not paid', rawId }, now,
    'not_happened');
  }
  // Any other answer leaves it unknown: asking again is the only safe move.
  return 'refund_result_recorded';
}

/** Outbox payments.refund-status: asks M-Pesa what became of an attempt that timed out. */
export function refundStatusHandler(deps: RefundExecutionDeps): OutboxHandler {
  return async (event) => {
    const attempt = await findAttempt(refundDb(deps.db), readAttemptId(event.payload));
    if (attempt?.state !== 'unknown') return;
    const asked = await deps.daraja.outflowStatus({
      originalConversationId: attempt.originatorConversationId, occasion: attempt.id,
      resultUrl: deps.urls.statusResult, queueTimeoutUrl: deps.urls.statusTimeout });
    if (!asked.ok) throw new Error(`refund status query not sent: ${asked.error.kind}`);
  };
}
