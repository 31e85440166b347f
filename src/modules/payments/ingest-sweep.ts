/**
 * The sweep: callbacks stored raw but never processed (their batch and their retry both failed,
 * or the process stopped between the two) are processed again, each in its own transaction.
 * Safe to run at any time and from several processes: processing is idempotent on the receipt,
 * and an outcome row is written once per callback.
 */
import type { Kysely } from 'kysely';
import { paymentsDb } from './invoice-repo.ts';
import {
  finishCallbacksInTrx,
  processCallbacksInTrx,
  type IngestContext,
} from './ingest-service.ts';
import { listUnprocessedRaw } from './payment-repo.ts';

/** Young callbacks are still in a batch: leave them to it. */
export const sweepAgeMsMin = 60_000;
export const sweepBatchSizeMax = 500;

export type SweepReport = Readonly<{ processed: number; failed: number }>;

export async function sweepUnprocessedCallbacks<DB>(
  db: Kysely<DB>,
  context: IngestContext,
  limit: number = sweepBatchSizeMax,
): Promise<SweepReport> {
  const raws = await listUnprocessedRaw(paymentsDb(db), {
    before: new Date(context.now.getTime() - sweepAgeMsMin), limit,
  });
  let processed = 0;
  let failed = 0;
  for (const raw of raws) {
    try {
      await paymentsDb(db).transaction().execute(async (trx) => {
        const { results, writes } = await processCallbacksInTrx(trx, [raw],
          { ...context, finalAttempt: true });
        await finishCallbacksInTrx(trx, results.map((result) => ({ rawId: raw.id, result })),
          context, writes);
      });
      processed += 1;
    } catch (error) {
      failed += 1;
      context.logger.error({ err: error, rawId: raw.id }, 'sweep could not process a callback');
    }
  }
  return { processed, failed };
}
