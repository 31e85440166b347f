/**
 * Scheduled STK status queries (outbox topic payments.stk-query, at about 1, 5 and 30 minutes):
 * they settle a push whose callback never came. "Still processing" and 1037 keep it pending;
 * only a definitive code fails it; a success records the payment (once, whatever else arrives);
 * the last query still pending expires the push. The query's answer is stored as evidence.
 */
import { uuidv7 } from '#platform/ids/index.ts';
import type { OutboxHandler } from '#platform/outbox/index.ts';
import { paymentsDb } from './invoice-repo.ts';
import { finishCallbacksInTrx, type IngestContext } from './ingest-service.ts';
import type { StkQueryAnswer } from './mpesa/index.ts';
import { stkQueryNotice } from './payment-notices.ts';
import { insertOutcomesInTrx, insertRawCallbacksInTrx } from './payment-repo.ts';
import { recordNoticeInTrx } from './receipt-service.ts';
import {
  findStkPush,
  insertStkPushEventInTrx,
  listStkPushEvents,
  lockStkPushInTrx,
  type StkPushRow,
} from './stk-repo.ts';
import { intentCheckAttempt, type StkDeps, type StkQueryPayload } from './stk-service.ts';
import { deriveStkPushState, stillProcessingCode, submissionUnknownCode } from './stk-status.ts';

export type StkQueryDeps = StkDeps & Readonly<{ ingestContext: () => IngestContext }>;

/** 'unanswered': the push's submission was never recorded; it is closed as unknown. */
export type StkQueryResult =
  'skipped' | 'confirmed' | 'failed' | 'pending' | 'expired' | 'unanswered';

function readPayload(payload: unknown): StkQueryPayload | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const fields = payload as Record<string, unknown>;
  const { stkPushId, attempt, final } = fields;
  if (typeof stkPushId !== 'string' || typeof attempt !== 'number' || typeof final !== 'boolean') {
    return undefined;
  }
  return { stkPushId, attempt, final };
}

export function stkQueryHandler(deps: StkQueryDeps): OutboxHandler {
  return async (event) => {
    const payload = readPayload(event.payload);
    if (payload === undefined) throw new Error(`malformed ${event.topic} payload`);
    await runStkQuery(deps, payload);
  };
}

/** One scheduled query. Throws when Daraja cannot be reached, so the outbox retries it. */
export async function runStkQuery(deps: StkQueryDeps, payload: StkQueryPayload):
  Promise<StkQueryResult> {
  const db = paymentsDb(deps.db);
  const push = await findStkPush(db, { id: payload.stkPushId });
  if (push === undefined) return 'skipped';
  const before = deriveStkPushState(await listStkPushEvents(db, push.id));
  if (push.checkoutRequestId === null) {
    return before.state === 'STK_PUSH_READY' ? closeUnanswered(deps, push) : 'skipped';
  }
  // The intent check of a push whose submission was recorded: its own queries are scheduled.
  if (payload.attempt === intentCheckAttempt) return 'skipped';
  if (before.state === 'CONFIRMED' || before.state === 'FAILED') return 'skipped';
  const answer = await deps.daraja.stkQuery(push.checkoutRequestId);
  if (!answer.ok) {
    throw new Error(`STK status query failed: ${answer.error.kind}`);
  }
  return recordAnswer(deps, push, answer.value, payload.final);
}

async function recordAnswer(
  deps: StkQueryDeps,
  push: StkPushRow,
  answer: StkQueryAnswer,
  final: boolean,
): Promise<StkQueryResult> {
  const context = deps.ingestContext();
  const checkoutRequestId = push.checkoutRequestId ?? '';
  return paymentsDb(deps.db).transaction().execute(async (trx) => {
    const rawId = uuidv7(context.now.getTime());
    await insertRawCallbacksInTrx(trx, [{
      id: rawId, kind: 'mpesa_stk_query_response', receivedAt: context.now,
      sourceAddress: null, headers: {}, body: JSON.stringify(answer),
    }]);
    await insertStkPushEventInTrx(trx, {
      id: uuidv7(context.now.getTime()), stkPushId: push.id, kind: 'STK_QUERY_ANSWERED',
      resultCode: answer.resultCode === undefined ? stillProcessingCode : String(answer.resultCode),
      resultDescription: answer.resultDescription, rawId, recordedAt: context.now,
    });
    if (answer.outcome === 'succeeded') {
      const notice = stkQueryNotice({ ...push, checkoutRequestId }, context.shortcode, rawId);
      const result = await recordNoticeInTrx(trx, notice,
        { now: context.now, stkInvoiceId: push.invoiceId });
      await finishCallbacksInTrx(trx, [{ rawId, result: { outcome: result.kind,
        paymentId: result.paymentId, audit: result.audit, payerNotices: result.payerNotices } }],
      context);
      return 'confirmed';
    }
    await insertOutcomesInTrx(trx, [{ rawId, outcome: 'stk_result_recorded',
      processedAt: context.now }]);
    if (answer.outcome === 'failed') return 'failed';
    if (!final) return 'pending';
    await insertStkPushEventInTrx(trx, {
      id: uuidv7(context.now.getTime()), stkPushId: push.id, kind: 'STK_PUSH_EXPIRED',
      resultCode: null, resultDescription: null, rawId: null, recordedAt: context.now,
    });
    return 'expired';
  });
}

/**
 * The intent check found a push whose call to Daraja has no recorded answer: the process
 * stopped between the two. Without a CheckoutRequestID M-Pesa cannot be asked, so the push is
 * closed as "submission unknown" (the payer is told to check their M-Pesa messages before
 * paying again). Should the prompt have reached them and they paid, the money still arrives
 * by its C2B confirmation (credited by the bill reference), by pull transactions or by the
 * statement; a late record of the submission and its callbacks still confirm the push.
 */
async function closeUnanswered(deps: StkQueryDeps, push: StkPushRow): Promise<StkQueryResult> {
  const now = deps.clock.now();
  return paymentsDb(deps.db).transaction().execute(async (trx) => {
    // Locked and read again: a submission recorded meanwhile wins; one recorded after this
    // commits still lets the push's queries and callbacks confirm it.
    await lockStkPushInTrx(trx, push.id);
    const events = await listStkPushEvents(trx, push.id);
    if (deriveStkPushState(events).state !== 'STK_PUSH_READY') return 'skipped';
    await insertStkPushEventInTrx(trx, {
      id: uuidv7(now.getTime()), stkPushId: push.id, kind: 'STK_PUSH_SUBMISSION_FAILED',
      resultCode: submissionUnknownCode, resultDescription: 'no answer recorded',
      rawId: null, recordedAt: now,
    });
    deps.logger.warn({ stkPushId: push.id }, 'STK push without a recorded submission closed');
    return 'unanswered';
  });
}
