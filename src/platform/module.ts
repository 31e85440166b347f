/**
 * What a module gives the app: its routes (one encapsulated Fastify plugin), its error codes,
 * its copy in English and Swahili, and any links it adds to the site navigation.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '#config';
import type { Clock } from './clock/index.ts';
import type { Database, DatabaseKind } from './db/index.ts';
import type { ErrorTable } from './errors/index.ts';
import type { Logger } from './logging/index.ts';
import type { MetricsRegistry } from './metrics/index.ts';

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

export type ModuleNavigationItem = Readonly<{ href: string; labelKey: string }>;

export type HudumaModule = Readonly<{
  name: string;
  errors: ErrorTable;
  messages: ModuleMessages;
  navigation?: readonly ModuleNavigationItem[];
  routes?: (app: FastifyInstance, deps: ModuleDeps) => Promise<void>;
}>;
