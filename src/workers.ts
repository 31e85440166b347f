/**
 * The background workers of one process: an outbox worker that runs every module's topic
 * handlers, and the modules' periodic jobs. Started by main.ts unless HUDUMA_WORKERS=off;
 * several processes may run them at once on PostgreSQL (claims use FOR UPDATE SKIP LOCKED;
 * periodic jobs are idempotent by contract). Every topic a module enqueues has a consumer, or
 * the process refuses to start (checkOutboxTopics); delivered events are deleted after
 * outboxRetentionMsDefault by a periodic job of the workers' own.
 */
import type { HudumaModule, ModuleDeps, PeriodicJob } from '#platform/module.ts';
import {
  countPendingOutboxEventsOutside,
  deleteDeliveredOutboxEvents,
  outboxRetentionEveryMsDefault,
  outboxRetentionMsDefault,
  startOutboxWorker,
  type OutboxHandlers,
  type OutboxWorker,
} from '#platform/outbox/index.ts';

/** Joins the modules' handlers; two modules consuming one topic is a bug. */
export function collectOutboxHandlers(
  modules: readonly HudumaModule[],
  deps: ModuleDeps,
): OutboxHandlers {
  const handlers: Record<string, OutboxHandlers[string]> = {};
  for (const module of modules) {
    for (const [topic, handler] of Object.entries(module.outboxHandlers?.(deps) ?? {})) {
      if (topic in handlers) throw new Error(`outbox topic ${topic} has two handlers`);
      handlers[topic] = handler;
    }
  }
  return handlers;
}

/** A module enqueues an outbox topic that no module consumes: its events would wait forever. */
export class OutboxTopicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboxTopicError';
  }
}

/** The topics modules declare they enqueue (outboxTopics) that no handler consumes. */
export function unconsumedOutboxTopics(
  modules: readonly HudumaModule[],
  handlers: OutboxHandlers,
): { topic: string; producer: string }[] {
  return modules.flatMap((module) => (module.outboxTopics ?? [])
    .filter((topic) => !Object.hasOwn(handlers, topic))
    .map((topic) => ({ topic, producer: module.name })));
}

/**
 * The modules' outbox handlers, after checking that every topic a module enqueues has one
 * consumer. Run at every start, with or without workers: a process without workers still
 * enqueues. Throws OutboxTopicError naming each topic without a consumer.
 */
export function checkOutboxTopics(
  modules: readonly HudumaModule[],
  deps: ModuleDeps,
): OutboxHandlers {
  const handlers = collectOutboxHandlers(modules, deps);
  const unconsumed = unconsumedOutboxTopics(modules, handlers);
  if (unconsumed.length > 0) {
    const list = unconsumed.map(({ topic, producer }) => `${topic} (enqueued by ${producer})`);
    throw new OutboxTopicError(`Outbox topics without a consumer: ${list.join(', ')}. ` +
      'Their events would never be delivered: add the module that consumes each topic, ' +
      'or stop enqueueing it.');
  }
  return handlers;
}

/** Deletes delivered outbox events older than the retention period, in bounded batches. */
export function outboxRetentionJob(
  deps: ModuleDeps,
  retentionMs: number = outboxRetentionMsDefault,
): PeriodicJob {
  return {
    name: 'outbox.retention',
    everyMs: outboxRetentionEveryMsDefault,
    run: async () => {
      const deliveredBefore = new Date(deps.clock.now().getTime() - retentionMs);
      const deleted = await deleteDeliveredOutboxEvents(deps.db, { deliveredBefore });
      if (deleted > 0) deps.logger.info({ deleted }, 'outbox: delivered events deleted');
    },
  };
}

/** How often the workers look for pending events of topics nothing here consumes. */
export const unconsumedOutboxCheckEveryMs = 5 * 60_000;

/**
 * Logs pending events of topics that no handler of this app consumes. The start check sees only
 * the topics modules declare; this sees the table, so a topic enqueued some other way (a
 * trigger, another version of the app) is reported rather than left to pile up unseen. During
 * a rolling upgrade an older process may report a topic only the newer ones consume.
 */
export function unconsumedOutboxEventsJob(deps: ModuleDeps, handlers: OutboxHandlers):
  PeriodicJob {
  return {
    name: 'outbox.unconsumed-check',
    everyMs: unconsumedOutboxCheckEveryMs,
    run: async () => {
      const found = await countPendingOutboxEventsOutside(deps.db, Object.keys(handlers));
      if (found.length === 0) return;
      deps.logger.warn({ topics: found.map(({ topic, pending }) =>
        ({ topic, pending: Number(pending) })) },
      'outbox: pending events of topics no module here consumes; no worker will claim them');
    },
  };
}

export type Workers = Pick<OutboxWorker, 'wake' | 'stop'>;

/**
 * Runs each job every `everyMs` (the first run one period after start), one run at a time per
 * job; stop() cancels the timers and waits for runs in progress.
 */
export function startPeriodicJobs(jobs: readonly PeriodicJob[], deps: ModuleDeps):
  Pick<Workers, 'stop'> {
  const running = new Set<Promise<void>>();
  const timers = jobs.map((job) => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      const run = job.run().catch((error: unknown) => {
        deps.logger.error({ err: error, job: job.name }, 'periodic job failed');
      }).finally(() => {
        busy = false;
        running.delete(run);
      });
      running.add(run);
    }, job.everyMs);
    timer.unref();
    return timer;
  });
  return {
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(running);
    },
  };
}

export function startWorkers(
  modules: readonly HudumaModule[],
  deps: ModuleDeps,
  handlers: OutboxHandlers = checkOutboxTopics(modules, deps),
): Workers {
  const jobs = [outboxRetentionJob(deps), unconsumedOutboxEventsJob(deps, handlers),
    ...modules.flatMap((module) => module.periodicJobs?.(deps) ?? [])];
  deps.logger.info({ topics: Object.keys(handlers), jobs: jobs.map((job) => job.name) },
    'workers started');
  const outbox = startOutboxWorker({
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger,
    metrics: deps.metrics,
    handlers,
  });
  const periodic = startPeriodicJobs(jobs, deps);
  return {
    wake: outbox.wake,
    stop: async () => {
      await periodic.stop();
      await outbox.stop();
    },
  };
}
