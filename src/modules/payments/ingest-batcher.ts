/**
 * Micro-batched ingest: concurrent callbacks share one transaction and one commit. A callback
 * waits at most `windowMs` for others to join (or less, when the batch fills), then its batch
 * stores every raw body, processes each callback, and commits; every request is answered only
 * after the commit that holds it. If the batch fails (a deadlock, a bug in one item), its items
 * are retried one by one, each in its own transaction, so one bad item never loses the others;
 * an item that still fails is stored raw alone (the sweep reprocesses it) before it is answered.
 * Works on PGlite (one lane: one connection) and PostgreSQL (several lanes, one per connection).
 */
import type { Database } from '#platform/db/index.ts';
import type { Logger } from '#platform/logging/index.ts';
import type { MetricsRegistry } from '#platform/metrics/index.ts';
import { paymentsDb } from './invoice-repo.ts';
import {
  finishCallbacksInTrx,
  processCallbacksInTrx,
  type IngestContext,
  type ProcessedCallback,
} from './ingest-service.ts';
import { reportRaisedAlerts } from './payment-alert-service.ts';
import { insertRawCallbacksInTrx, type RawCallback } from './payment-repo.ts';

/** Long enough for concurrent arrivals to meet, short against the 100 ms p99 we aim at. */
export const ingestBatchWindowMsDefault = 2;
/** Bounded, so one transaction stays short and one failure retries few items. */
export const ingestBatchSizeMaxDefault = 64;
/**
 * A second (third...) lane opens only for this many waiting callbacks; fewer wait for a lane
 * already running, whose batch ends within milliseconds. Each batch costs the database and the
 * app about as much CPU as a dozen payments whatever its size (npm run bench:batch-cost), so
 * batches of one or two side by side spend CPU the payments need; but lanes that wait too long
 * leave the database idle between round trips. Measured on 2 quiet cores (bench:ingest, one
 * run each, 5 December): 1, 4 and 16 all held p99 <= 75 ms at 1,485/s; at 1,800/s p99 was
 * 76-90 ms with 1, 85 ms with 4 and 128 ms with 16.
 */
export const ingestExtraLaneQueueMinDefault = 4;

export type IngestResult = Readonly<{
  outcome: ProcessedCallback['outcome'];
  paymentId: string | undefined;
}>;

export type IngestBatcher = Readonly<{
  /** Resolves once the callback is durably stored (and, normally, processed). */
  submit: (raw: RawCallback) => Promise<IngestResult>;
  /** Resolves when nothing is queued or running. */
  idle: () => Promise<void>;
}>;

export type IngestBatcherOptions = Readonly<{
  db: Database;
  logger: Logger;
  metrics?: MetricsRegistry;
  /** Concurrent batches: 1 on PGlite, a few on PostgreSQL (each holds a connection). */
  lanesMax: number;
  windowMs?: number;
  batchSizeMax?: number;
  /** Callbacks waiting before another lane opens beside a running one. */
  extraLaneQueueMin?: number;
  /** The context of a batch, taken when it starts (its `now` dates every row). */
  context: () => IngestContext;
}>;

type Pending = Readonly<{
  raw: RawCallback;
  resolve: (result: IngestResult) => void;
  reject: (error: unknown) => void;
}>;

/** Payments to the same invoices lock them in the same order in every batch: no deadlocks. */
function lockOrderKey(raw: RawCallback): string {
  if (raw.kind !== 'mpesa_c2b_confirmation') return `~${raw.kind}`;
  const match = /"BillRefNumber"\s*:\s*"([^"]{0,100})"/.exec(raw.body);
  return (match?.[1] ?? '').toUpperCase().replaceAll(/[\s-]/g, '');
}

export function createIngestBatcher(options: IngestBatcherOptions): IngestBatcher {
  const windowMs = options.windowMs ?? ingestBatchWindowMsDefault;
  const batchSizeMax = options.batchSizeMax ?? ingestBatchSizeMaxDefault;
  const extraLaneQueueMin = Math.min(batchSizeMax,
    options.extraLaneQueueMin ?? ingestExtraLaneQueueMinDefault);
  const batchSizes = options.metrics?.histogram('payments_ingest_batch_size',
    'Callbacks per ingest transaction.', [1, 2, 4, 8, 16, 32, 64, 128]);
  const queue: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running = 0;
  let idleWaiters: (() => void)[] = [];

  const settleIdle = () => {
    if (running > 0 || queue.length > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const waiter of waiters) waiter();
  };

  /** A free lane takes the queue when none runs, or when enough wait to fill a batch. */
  const laneOpens = () => running < options.lanesMax && queue.length > 0 &&
    (running === 0 || queue.length >= extraLaneQueueMin);

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    while (laneOpens()) {
      const batch = queue.splice(0, batchSizeMax);
      running += 1;
      batchSizes?.observe({}, batch.length);
      void runBatch(options, batch).finally(() => {
        running -= 1;
        // Those who queued while every lane was busy have waited enough: go at once.
        if (queue.length > 0) flush();
        settleIdle();
      });
    }
  };

  const schedule = () => {
    if (queue.length >= batchSizeMax || (running > 0 && laneOpens())) flush();
    else if (timer === undefined && running === 0) {
      timer = setTimeout(flush, windowMs);
    }
  };

  return {
    submit: (raw) => new Promise<IngestResult>((resolve, reject) => {
      queue.push({ raw, resolve, reject });
      schedule();
    }),
    idle: () => new Promise<void>((resolve) => {
      idleWaiters.push(resolve);
      settleIdle();
    }),
  };
}

async function runBatch(options: IngestBatcherOptions, batch: readonly Pending[]):
  Promise<void> {
  const ordered = [...batch].sort((left, right) =>
    lockOrderKey(left.raw).localeCompare(lockOrderKey(right.raw)));
  try {
    const results = await processTogether(options, ordered);
    for (const [index, pending] of ordered.entries()) {
      const result = results[index];
      pending.resolve({ outcome: result?.outcome ?? 'stored_only', paymentId: result?.paymentId });
    }
  } catch (error) {
    options.logger.warn({ err: error, size: batch.length },
      'ingest batch failed; retrying its callbacks one by one');
    for (const pending of ordered) await runAlone(options, pending);
  }
}

async function processTogether(options: IngestBatcherOptions, items: readonly Pending[]):
  Promise<ProcessedCallback[]> {
  const context = options.context();
  const { results, raised } = await paymentsDb(options.db).transaction().execute(async (trx) => {
    await insertRawCallbacksInTrx(trx, items.map((item) => item.raw));
    const processed = await processCallbacksInTrx(trx, items.map((item) => item.raw), context);
    const alerts = await finishCallbacksInTrx(trx, processed.results.map((result, index) =>
      ({ rawId: items[index]?.raw.id ?? '', result })), context, processed.writes);
    return { results: processed.results, raised: alerts };
  });
  reportRaisedAlerts(options, raised);
  return results;
}

async function runAlone(options: IngestBatcherOptions, pending: Pending): Promise<void> {
  try {
    const [result] = await processTogether(options, [pending]);
    pending.resolve({ outcome: result?.outcome ?? 'stored_only', paymentId: result?.paymentId });
    return;
  } catch (error) {
    options.logger.error({ err: error, rawId: pending.raw.id },
      'callback processing failed; storing it raw for the sweep');
  }
  try {
    await paymentsDb(options.db).transaction().execute((trx) =>
      insertRawCallbacksInTrx(trx, [pending.raw]));
    pending.resolve({ outcome: 'stored_only', paymentId: undefined });
  } catch (error) {
    pending.reject(error);
  }
}
