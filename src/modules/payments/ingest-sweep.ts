/**
 * The sweep: callbacks stored raw but never processed (their batch and their retry both failed,
 * or the process stopped between the two) are processed again, each in its own transaction.
 * Safe to run at any time and from several processes: processing is idempotent on the receipt,
 * and an outcome row is written once per callback.
 *
 * One bad callback never holds the others: the sweep pages on (received_at, id) past any it
 * cannot finish, records each failure, and quarantines a callback that failed
 * `sweepAttemptsMax` times (an outcome, so it is not tried again, and an alert for a person).
 * Callbacks that can never be processed (callback-screening.ts) are quarantined at once.
 */
import type { Kysely } from 'kysely';
import { paymentsDb } from './invoice-repo.ts';
import {
  finishCallbacksInTrx,
  processCallbacksInTrx,
  type IngestContext,
} from './ingest-service.ts';
import {
  insertAlertsInTrx,
  recordCallbackFailureInTrx,
  type RaisedAlert,
} from './payment-alert-repo.ts';
import { reportRaisedAlerts } from './payment-alert-service.ts';
import {
  insertOutcomesInTrx,
  listUnprocessedRaw,
  type RawCallback,
  type RawCursor,
} from './payment-repo.ts';

/** Young callbacks are still in a batch: leave them to it. */
export const sweepAgeMsMin = 60_000;
export const sweepBatchSizeMax = 500;
/** Pages one run goes through at most (the next run, a minute later, goes on). */
export const sweepPagesMax = 20;
/**
 * Failed sweeps before a callback is quarantined: its batch and the retry alone failed
 * already, so three more failures a minute apart are not a passing fault.
 */
export const sweepAttemptsMax = 3;

export type SweepReport = Readonly<{ processed: number; failed: number; quarantined: number }>;

type Tally = { processed: number; failed: number; quarantined: number };

export async function sweepUnprocessedCallbacks<DB>(
  db: Kysely<DB>,
  context: IngestContext,
  limit: number = sweepBatchSizeMax,
): Promise<SweepReport> {
  const tally: Tally = { processed: 0, failed: 0, quarantined: 0 };
  const before = new Date(context.now.getTime() - sweepAgeMsMin);
  let after: RawCursor | undefined;
  for (let page = 0; page < sweepPagesMax; page += 1) {
    const raws = await listUnprocessedRaw(paymentsDb(db), { before, limit, after });
    for (const raw of raws) await sweepOne(db, raw, context, tally);
    const last = raws.at(-1);
    if (last === undefined || raws.length < limit) break;
    after = { receivedAt: last.receivedAt, id: last.id };
  }
  return { ...tally };
}

async function sweepOne<DB>(
  db: Kysely<DB>,
  raw: RawCallback,
  context: IngestContext,
  tally: Tally,
): Promise<void> {
  let raised: RaisedAlert[] = [];
  try {
    raised = await paymentsDb(db).transaction().execute(async (trx) => {
      const { results, writes } = await processCallbacksInTrx(trx, [raw],
        { ...context, finalAttempt: true });
      if (results.some((result) => result.outcome === 'quarantined')) tally.quarantined += 1;
      return finishCallbacksInTrx(trx, results.map((result) => ({ rawId: raw.id, result })),
        context, writes);
    });
    tally.processed += 1;
  } catch (error) {
    tally.failed += 1;
    context.logger.error({ err: error, rawId: raw.id }, 'sweep could not process a callback');
    raised = await recordFailure(db, raw, error, context, tally);
  }
  reportRaisedAlerts(context, raised);
}

/** What a failure was, for the record: its class and database code, never a value. */
function failureReason(error: unknown): string {
  if (!(error instanceof Error)) return 'a non-error was thrown';
  const { code, constraint } = error as Error & { code?: unknown; constraint?: unknown };
  return [error.name,
    typeof code === 'string' ? `code ${code}` : '',
    typeof constraint === 'string' ? `constraint ${constraint}` : ''].filter(Boolean).join(' ');
}

/** Records the failure; the last allowed one quarantines the callback, with an alert. */
async function recordFailure<DB>(
  db: Kysely<DB>,
  raw: RawCallback,
  error: unknown,
  context: IngestContext,
  tally: Tally,
): Promise<RaisedAlert[]> {
  const reason = failureReason(error);
  try {
    return await paymentsDb(db).transaction().execute(async (trx) => {
      const failures = await recordCallbackFailureInTrx(trx,
        { rawId: raw.id, failedAt: context.now, reason });
      if (failures < sweepAttemptsMax) return [];
      tally.quarantined += 1;
      await insertOutcomesInTrx(trx, [{ rawId: raw.id, outcome: 'quarantined',
        processedAt: context.now }]);
      return insertAlertsInTrx(trx, [{ kind: 'CALLBACK_QUARANTINED', rawId: raw.id,
        paymentId: null, reason: `processing failed ${failures} times (${reason})` }],
      context.now);
    });
  } catch (recordError) {
    context.logger.error({ err: recordError, rawId: raw.id },
      'sweep could not record a failed callback');
    return [];
  }
}
