/**
 * The background workers of one process: an outbox worker that runs every module's topic
 * handlers, and the modules' periodic jobs. Started by main.ts unless HUDUMA_WORKERS=off;
 * several processes may run them at once on PostgreSQL (claims use FOR UPDATE SKIP LOCKED;
 * periodic jobs are idempotent by contract).
 */
import type { HudumaModule, ModuleDeps, PeriodicJob } from '#platform/module.ts';
import {
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
): Workers {
  const handlers = collectOutboxHandlers(modules, deps);
  const jobs = modules.flatMap((module) => module.periodicJobs?.(deps) ?? []);
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
