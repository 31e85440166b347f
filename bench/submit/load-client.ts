/**
 * The load generator, in its own process (forked by run.ts) so it never shares an event loop
 * with the server: autocannon POSTs urlencoded forms at a fixed number of connections (a
 * closed loop). Each request takes the next target in order (its own path, session cookie and
 * CSRF token) and a fresh clientActionId. The run ends after `amount` answers, or after
 * `durationSeconds` when no amount is given. Every answer's latency and status are kept
 * (autocannon counts a 303 as "non-2xx"; this counts statuses itself).
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { answerParentOnce } from '../shared/child-job.ts';

export type LoadTarget = Readonly<{ path: string; cookie: string; csrf: string }>;

export type LoadRequest = Readonly<{
  url: string;
  /** Used in order; must hold more than `amount` (each connection may build one spare). */
  targets: readonly LoadTarget[];
  connections: number;
  amount?: number;
  durationSeconds?: number;
}>;

export type LoadResult = Readonly<{
  latenciesMs: number[];
  /** Answers by HTTP status, e.g. { "303": 2000 }. */
  statuses: Record<string, number>;
  /** Socket errors and timeouts (no answer at all). */
  errors: number;
  timeouts: number;
  durationSeconds: number;
  /** How many targets were handed out (answered or not). */
  targetsUsed: number;
}>;

const requestTimeoutSeconds = 10;

function formBody(target: LoadTarget): string {
  return new URLSearchParams({ _csrf: target.csrf, clientActionId: randomUUID() }).toString();
}

function run(request: LoadRequest): Promise<LoadResult> {
  let next = 0;
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    const options = {
      url: request.url,
      connections: request.connections,
      timeout: requestTimeoutSeconds,
      ...(request.amount === undefined ? { duration: request.durationSeconds ?? 10 }
        : { amount: request.amount }),
      requests: [{
        setupRequest: (req: Record<string, unknown>) => {
          const target = request.targets[next % request.targets.length];
          next += 1;
          if (target === undefined) throw new Error('no targets');
          const built = { ...req, method: 'POST', path: target.path, body: formBody(target),
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html',
              cookie: target.cookie } };
          return built;
        },
      }],
    };
    const instance = autocannon(options, (error, result) => {
      if (error !== null && error !== undefined) {
        reject(error);
        return;
      }
      resolve({ latenciesMs, statuses, errors: result.errors, timeouts: result.timeouts,
        durationSeconds: (performance.now() - startedAt) / 1000, targetsUsed: next });
    });
    instance.on('response', (_client, status, _bytes, responseTimeMs: number) => {
      latenciesMs.push(responseTimeMs);
      statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
    });
  });
}

answerParentOnce('load client', run);
