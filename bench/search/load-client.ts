/**
 * The load generator, in its own process (forked by run.ts) so it never shares an event loop
 * with the server: autocannon drives GET requests through the query mix, in a loop, for a
 * bounded time over a bounded number of connections. Every response's latency is kept (in
 * microsecond precision; autocannon's own histogram rounds to whole milliseconds).
 */
import autocannon from 'autocannon';
import { answerParentOnce } from '../shared/child-job.ts';

export type LoadRequest = Readonly<{
  url: string;
  paths: readonly string[];
  durationSeconds: number;
  connections: number;
}>;

export type LoadResult = Readonly<{
  latenciesMs: number[];
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationSeconds: number;
}>;

const requestTimeoutSeconds = 10;

function run(request: LoadRequest): Promise<LoadResult> {
  let next = 0;
  const latenciesMs: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url: request.url,
      connections: request.connections,
      duration: request.durationSeconds,
      timeout: requestTimeoutSeconds,
      requests: [{
        setupRequest: (req) => {
          const path = request.paths[next % request.paths.length] ?? '/api/v1/services';
          next += 1;
          return { ...req, method: 'GET', path };
        },
      }],
    }, (error, result) => {
      if (error !== null && error !== undefined) {
        reject(error);
        return;
      }
      resolve({
        latenciesMs,
        requests: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        durationSeconds: result.duration,
      });
    });
    instance.on('response', (_client, _status, _bytes, responseTimeMs: number) => {
      latenciesMs.push(responseTimeMs);
    });
  });
}

answerParentOnce('load client', run);
