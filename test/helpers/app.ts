/** Builds the real app over a test database, with a quiet logger unless one is given. */
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { systemClock } from '#platform/clock/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { MetricsRegistry } from '#platform/metrics/index.ts';

export function testDeps(database: DatabaseHandle, overrides: Partial<AppDeps> = {}): AppDeps {
  return {
    config: loadConfig({ HUDUMA_ENV: 'test' }),
    db: database.db,
    databaseKind: database.kind,
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
    metrics: new MetricsRegistry(),
    ...overrides,
  };
}

export async function buildTestApp(
  database: DatabaseHandle,
  overrides: Partial<AppDeps> = {},
): Promise<FastifyInstance> {
  const app = await buildApp(testDeps(database, overrides));
  await app.ready();
  return app;
}
