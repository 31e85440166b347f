/**
 * The background workers of one process: an outbox worker that runs every module's topic
 * handlers. Started by main.ts unless HUDUMA_WORKERS=off; several processes may run them at
 * once on PostgreSQL (claims use FOR UPDATE SKIP LOCKED).
 */
import type { HudumaModule, ModuleDeps } from '#platform/module.ts';
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

export function startWorkers(
  modules: readonly HudumaModule[],
  deps: ModuleDeps,
): OutboxWorker {
  const handlers = collectOutboxHandlers(modules, deps);
  deps.logger.info({ topics: Object.keys(handlers) }, 'outbox worker started');
  return startOutboxWorker({
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger,
    metrics: deps.metrics,
    handlers,
  });
}
