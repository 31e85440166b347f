/** What most commands need: the configuration, an open, migrated database, and a logger. */
import { loadConfig, type Config } from '#config';
import { systemClock } from '#platform/clock/index.ts';
import { openAppDatabase, type DatabaseHandle } from '#platform/db/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { MetricsRegistry } from '#platform/metrics/index.ts';
import type { ModuleDeps } from '#platform/module.ts';

export async function withDatabase<T>(
  work: (deps: ModuleDeps, database: DatabaseHandle, config: Config) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const { database } = await openAppDatabase(config);
  try {
    const deps: ModuleDeps = {
      config,
      db: database.db,
      databaseKind: database.kind,
      clock: systemClock,
      logger: createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }),
      metrics: new MetricsRegistry(),
    };
    return await work(deps, database, config);
  } finally {
    await database.close();
  }
}
