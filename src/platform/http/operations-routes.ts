/**
 * Operational endpoints: /healthz (the process is up), /readyz (the database answers and every
 * migration is applied), /metrics (Prometheus text, with per-route request latency).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { pendingMigrations, type Database } from '../db/index.ts';
import type { MetricsRegistry } from '../metrics/index.ts';
import { ProblemError } from './problem.ts';

export type OperationsOptions = Readonly<{
  db: Database;
  metrics: MetricsRegistry;
  /** Set: /metrics answers only `Authorization: Bearer <token>` (required in production). */
  metricsToken?: string | undefined;
}>;

const readinessTimeoutMs = 2_000;

/**
 * Times every request the app answers, by method, route pattern and status. Installed on the
 * root instance, not inside a plugin's scope, so it sees every route (not only these).
 */
export function installRequestMetrics(app: FastifyInstance, metrics: MetricsRegistry): void {
  const requests = metrics.histogram(
    'http_request_duration_seconds',
    'Time to answer HTTP requests, by method, route pattern and status.',
  );
  app.addHook('onResponse', async (request, reply) => {
    requests.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
}

export async function operationsRoutes(
  app: FastifyInstance,
  options: OperationsOptions,
): Promise<void> {

  const healthSchema = {
    tags: ['operations'],
    response: {
      200: {
        type: 'object',
        properties: { status: { type: 'string' } },
        required: ['status'],
      },
    },
  };

  app.get('/healthz', {
    schema: { ...healthSchema, summary: 'The process is up' },
    config: { access: 'public' },
  }, async () =>
    ({ status: 'ok' }));

  app.get('/readyz', {
    config: { access: 'public' },
    schema: {
      tags: ['operations'],
      summary: 'The database is reachable and all migrations are applied',
      response: {
        200: healthSchema.response[200],
        503: {
          type: 'object',
          properties: { status: { type: 'string' }, reason: { type: 'string' } },
          required: ['status', 'reason'],
        },
      },
    },
  }, async (_request, reply) => {
    try {
      const pending = await withTimeout(async () => {
        await sql`select 1`.execute(options.db);
        return pendingMigrations(options.db);
      }, readinessTimeoutMs);
      if (pending.length > 0) {
        return reply.code(503).send({
          status: 'not ready', reason: `${pending.length} migration(s) not applied`,
        });
      }
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'not ready', reason: 'database unreachable' });
    }
  });

  metricsRoute(app, options);
}

/**
 * Reachable like /healthz, but with a token it answers only its bearer: route names and
 * counts tell an attacker what is used and when. Without one (development) it is open.
 */
function metricsRoute(app: FastifyInstance, options: OperationsOptions): void {
  const { metricsToken } = options;
  app.get('/metrics', { schema: { hide: true }, config: { access: 'public' } },
    async (request, reply) => {
      if (metricsToken !== undefined && !bearsToken(request, metricsToken)) {
        throw new ProblemError({ code: 'PLATFORM_METRICS_TOKEN_REQUIRED' });
      }
      return reply.type('text/plain; version=0.0.4; charset=utf-8')
        .send(options.metrics.render());
    });
}

/** Whether the request carries `Authorization: Bearer <token>` (compared in constant time). */
function bearsToken(request: FastifyRequest, token: string): boolean {
  const given = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

async function withTimeout<T>(work: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
