/**
 * Drains the outbox: claims due events (FOR UPDATE SKIP LOCKED, so N workers in N processes
 * share the work), runs the topic's handler outside any transaction, then marks the event
 * delivered, or schedules a retry with exponential back-off, or gives up (dead letter).
 *
 * Delivery is at least once: a worker that crashes after its handler succeeded but before
 * marking the event leaves it to run again when its lease ends. Handlers are idempotent.
 */
import type { Clock } from '#platform/clock/index.ts';
import type { Logger } from '#platform/logging/index.ts';
import type { MetricsRegistry } from '#platform/metrics/index.ts';
import {
  claimDueOutboxEvents,
  markOutboxEventDelivered,
  markOutboxEventFailed,
  type OutboxEvent,
} from './outbox-repo.ts';
import type { AnyKysely } from './outbox-tables.ts';

export type OutboxHandlerContext = Readonly<{
  /** Aborts when the handler has run for `handlerTimeoutMs`; pass it to every fetch. */
  signal: AbortSignal;
  /** True on the last attempt the worker will make: a failure now makes the event dead. */
  isLastAttempt: boolean;
}>;

/** Does the work of one event; resolves when done, throws to have it retried. */
export type OutboxHandler = (event: OutboxEvent, context: OutboxHandlerContext) => Promise<void>;

export type OutboxHandlers = Readonly<Record<string, OutboxHandler>>;

/** Thrown by a handler when retrying cannot help (e.g. the provider refused the request). */
export class OutboxPermanentFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboxPermanentFailure';
  }
}

/** After this many failed attempts an event is dead: kept, reported, never tried again. */
export const outboxAttemptsMaxDefault = 10;
export const outboxBatchSizeMaxDefault = 20;
export const outboxPollIntervalMsDefault = 1_000;
/** Long enough for any handler; a claim older than this is presumed abandoned. */
export const outboxLeaseMsDefault = 5 * 60_000;
export const outboxHandlerTimeoutMsDefault = 60_000;
export const outboxRetryDelayMsBase = 5_000;
export const outboxRetryDelayMsMax = 60 * 60_000;
/** Back-off after the loop itself failed (e.g. the database was unreachable). */
const loopErrorDelayMs = 5_000;

export type OutboxWorkerOptions = Readonly<{
  db: AnyKysely;
  clock: Clock;
  logger: Logger;
  handlers: OutboxHandlers;
  batchSizeMax?: number;
  pollIntervalMs?: number;
  attemptsMax?: number;
  leaseMs?: number;
  handlerTimeoutMs?: number;
  metrics?: MetricsRegistry;
}>;

export type OutboxBatchReport = Readonly<{
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
}>;

/** The wait before attempt `attempts + 1`: 5 s, 10 s, 20 s, ... up to an hour. */
export function outboxRetryDelayMs(attempts: number): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 30));
  return Math.min(outboxRetryDelayMsBase * 2 ** exponent, outboxRetryDelayMsMax);
}

/** Claims one batch and runs its handlers. Returns what happened. */
export async function runOutboxBatch(
  options: OutboxWorkerOptions,
): Promise<OutboxBatchReport> {
  const now = options.clock.now();
  const handlerTimeoutMs = options.handlerTimeoutMs ?? outboxHandlerTimeoutMsDefault;
  const leaseMs = Math.max(options.leaseMs ?? outboxLeaseMsDefault, handlerTimeoutMs * 2);
  const events = await claimDueOutboxEvents(options.db, {
    topics: Object.keys(options.handlers),
    limit: options.batchSizeMax ?? outboxBatchSizeMaxDefault,
    now,
    leaseUntil: new Date(now.getTime() + leaseMs),
  });
  const outcomes = await Promise.all(events.map((event) => runOne(options, event)));
  return {
    claimed: events.length,
    delivered: outcomes.filter((outcome) => outcome === 'delivered').length,
    retried: outcomes.filter((outcome) => outcome === 'retried').length,
    dead: outcomes.filter((outcome) => outcome === 'dead').length,
  };
}

type Outcome = 'delivered' | 'retried' | 'dead';

async function runOne(
  options: OutboxWorkerOptions,
  event: OutboxEvent,
): Promise<Outcome> {
  const handler = options.handlers[event.topic];
  const log = { eventId: event.id, topic: event.topic, attempts: event.attempts };
  const startedAt = performance.now();
  let outcome: Outcome;
  const attemptsMax = options.attemptsMax ?? outboxAttemptsMaxDefault;
  try {
    if (handler === undefined) throw new OutboxPermanentFailure(`no handler for ${event.topic}`);
    const handlerTimeoutMs = options.handlerTimeoutMs ?? outboxHandlerTimeoutMsDefault;
    const signal = AbortSignal.timeout(handlerTimeoutMs);
    // A handler that ignores its signal must not hold the worker: it is left behind, and its
    // event is retried (handlers are idempotent).
    await Promise.race([
      handler(event, { signal, isLastAttempt: event.attempts >= attemptsMax }),
      rejectWhenAborted(signal, `handler ran longer than ${handlerTimeoutMs} ms`),
    ]);
    await markOutboxEventDelivered(options.db, event.id, options.clock.now());
    outcome = 'delivered';
    options.logger.debug(log, 'outbox event delivered');
  } catch (error) {
    const permanent = error instanceof OutboxPermanentFailure;
    const dead = permanent || event.attempts >= attemptsMax;
    const now = options.clock.now();
    await markOutboxEventFailed(options.db, event.id, {
      error: describeError(error),
      retryAt: new Date(now.getTime() + outboxRetryDelayMs(event.attempts)),
      dead,
    });
    outcome = dead ? 'dead' : 'retried';
    // The message stays in the table: it may quote a recipient. The log has ids only.
    const errorName = error instanceof Error ? error.name : typeof error;
    if (dead) options.logger.error({ ...log, errorName }, 'outbox event is dead');
    else options.logger.warn({ ...log, errorName }, 'outbox event failed; will retry');
  }
  options.metrics?.counter('huduma_outbox_events_total', 'Outbox events handled, by outcome')
    .inc({ topic: event.topic, outcome });
  options.metrics?.histogram('huduma_outbox_handler_seconds', 'Outbox handler duration')
    .observe({ topic: event.topic }, (performance.now() - startedAt) / 1000);
  return outcome;
}

function rejectWhenAborted(signal: AbortSignal, message: string): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(new Error(message)), { once: true });
  });
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

export type OutboxWorker = Readonly<{
  /** Polls now instead of waiting for the next interval (e.g. right after an enqueue). */
  wake: () => void;
  /** Finishes the batch in hand, then stops. */
  stop: () => Promise<void>;
}>;

/** Starts a polling loop; a full batch is followed at once by the next. */
export function startOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const pollIntervalMs = options.pollIntervalMs ?? outboxPollIntervalMsDefault;
  const batchSizeMax = options.batchSizeMax ?? outboxBatchSizeMaxDefault;
  let stopping = false;
  let wakeSleeper: (() => void) | undefined;
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      wakeSleeper = undefined;
      resolve();
    }
    wakeSleeper = done;
  });
  const loop = async () => {
    while (!stopping) {
      let delayMs = pollIntervalMs;
      try {
        const report = await runOutboxBatch(options);
        if (report.claimed >= batchSizeMax) delayMs = 0;
      } catch (error) {
        // Claim and mark queries carry ids only, so the database's message is safe to log.
        const message = error instanceof Error ? error.message : String(error);
        options.logger.error({ message }, 'outbox worker loop failed');
        delayMs = loopErrorDelayMs;
      }
      if (!stopping && delayMs > 0) await sleep(delayMs);
    }
  };
  const running = loop();
  return {
    wake: () => wakeSleeper?.(),
    stop: async () => {
      stopping = true;
      wakeSleeper?.();
      await running;
    },
  };
}
