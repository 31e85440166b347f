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
import { findStkPush, insertStkPushEventInTrx, listStkPushEvents, type StkPushRow }
  from './stk-repo.ts';
import type { StkDeps, StkQueryPayload } from './stk-service.ts';
import { deriveStkPushState, stillProcessingCode } from './stk-status.ts';

export type StkQueryDeps = StkDeps & Readonly<{ ingestContext: () => IngestContext }>;

export type StkQueryResult = 'skipped' | 'confirmed' | 'failed' | 'pending' | 'expired';

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
  if (push === undefined || push.checkoutRequestId === null) return 'skipped';
  const before = deriveStkPushState(await listStkPushEvents(db, push.id));
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
