/**
 * `npm start`: read the configuration, open the database (embedded by default), apply
 * migrations, load demo data into an empty database, and serve.
 */
import { buildApp } from './app.ts';
import { productionProblems } from './config-production.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { systemClock } from '#platform/clock/index.ts';
import { openAppDatabase, UnconfinedLoginError } from '#platform/db/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { MetricsRegistry } from '#platform/metrics/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import type { OutboxHandlers } from '#platform/outbox/index.ts';
import { modules } from './modules.ts';
import { seedDemoData } from './seed.ts';
import { checkOutboxTopics, OutboxTopicError, startWorkers } from './workers.ts';

/** Pending connections the listening socket may hold (capped by net.core.somaxconn). */
const listenBacklogMax = 4096;

async function main(): Promise<void> {
  const startedAt = performance.now();
  let config: Config;
  try {
    config = loadConfig();
    // Before the database is touched: everything production lacks, named at once.
    const missing = productionProblems(config, process.env);
    if (missing.length > 0) throw new ConfigError(missing);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  // How long Node and the module graph took before any of our work (bench/cold-start).
  logger.info({ sinceProcessStartMs: Math.round(performance.now()) }, 'starting');
  const { database, migrations } = await openAppDatabase({
    ...config,
    requireConfinedLogin: config.environment === 'production',
    // The first migration's end marks the database open (bench/cold-start splits on it).
    onProgress: (done, total) => {
      if (done === 1) logger.info({ migrations: total }, 'database opened, migrating');
    },
  }).catch((error: unknown) => {
    if (!(error instanceof UnconfinedLoginError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
  logger.info({ database: database.description, applied: migrations.applied.length },
    'database opened and migrated');
  const deps = {
    config,
    db: database.db,
    databaseKind: database.kind,
    clock: systemClock,
    logger,
    metrics: new MetricsRegistry(),
  };
  const outboxHandlers = outboxHandlersOrExit(deps);
  if (config.seedDemoData) await seedDemoData(deps);
  const app = await buildApp(deps);
  let workers: ReturnType<typeof startWorkers> | undefined;
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    // Workers first: they finish the batch in hand while the database is still open.
    await workers?.stop();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  // Connections waiting to be accepted: Node's default (511) overflowed under overload, and a
  // connection dropped there retries its SYN after 1, 3, 7 s (RELIABILITY.md, "Overload"); the
  // kernel caps it at net.core.somaxconn.
  await app.listen({ port: config.port, host: config.host, backlog: listenBacklogMax });
  if (config.workersEnabled) workers = startWorkers(modules, deps, outboxHandlers);
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(2);
  const address = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  process.stdout.write(`\nHuduma is ready at ${address} (started in ${seconds} s, ` +
    `${database.description})\n` +
    (config.notifications.devInbox
      ? `SMS and e-mail are not sent: read them at ${address}/dev/inbox\n\n`
      : '\n'));
}

/** Every outbox topic a module enqueues must have a consumer: else no start. */
function outboxHandlersOrExit(deps: ModuleDeps): OutboxHandlers {
  try {
    return checkOutboxTopics(modules, deps);
  } catch (error) {
    if (!(error instanceof OutboxTopicError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

await main();
