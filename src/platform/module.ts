/**
 * What a module gives the app: its routes (one encapsulated Fastify plugin), its error codes,
 * its copy in English and Swahili, any links it adds to the site navigation, the handlers of the
 * outbox topics it consumes, and the jobs its workers repeat.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '#config';
import type { Clock } from './clock/index.ts';
import type { Database, DatabaseKind } from './db/index.ts';
import type { ErrorTable } from './errors/index.ts';
import type { Logger } from './logging/index.ts';
import type { MetricsRegistry } from './metrics/index.ts';
import type { OutboxHandlers } from './outbox/index.ts';

/** Everything a module's services need, passed in: no module-level singletons. */
export type ModuleDeps = Readonly<{
  config: Config;
  db: Database;
  databaseKind: DatabaseKind;
  clock: Clock;
  logger: Logger;
  metrics: MetricsRegistry;
}>;

export type ModuleMessages = Readonly<Record<'en' | 'sw', Readonly<Record<string, string>>>>;

/** A link in the site or staff header; with a permission, shown only to staff who hold it. */
export type ModuleNavigationItem = Readonly<{
  href: string;
  labelKey: string;
  permission?: string;
}>;

/** Work a worker process repeats on a timer (e.g. sweeping what fell through the cracks). */
export type PeriodicJob = Readonly<{
  name: string;
  everyMs: number;
  /** Must be safe to run from several processes at once, and idempotent. */
  run: () => Promise<void>;
}>;

export type HudumaModule = Readonly<{
  name: string;
  errors: ErrorTable;
  messages: ModuleMessages;
  navigation?: readonly ModuleNavigationItem[];
  /** Links the module adds to the staff header (pages under /staff), in module order. */
  staffNavigation?: readonly ModuleNavigationItem[];
  routes?: (app: FastifyInstance, deps: ModuleDeps) => Promise<void>;
  /**
   * The outbox topics this module enqueues. Each must have a consumer (some module's
   * outboxHandlers), or the app refuses to start (src/workers.ts, checkOutboxTopics).
   */
  outboxTopics?: readonly string[];
  /**
   * Handlers of the outbox topics this module consumes, run by the workers (src/workers.ts).
   * A topic has exactly one consumer; a change that concerns two writes two events.
   */
  outboxHandlers?: (deps: ModuleDeps) => OutboxHandlers;
  /** Jobs the workers repeat (src/workers.ts); an error is logged and the next run comes. */
  periodicJobs?: (deps: ModuleDeps) => readonly PeriodicJob[];
}>;
