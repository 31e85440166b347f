/**
 * The overload run's load generator, in its own process (forked by overload-run.ts) so it never
 * shares an event loop with the app: either a closed loop (each of N connections sends its next
 * request when the last is answered, or 100 ms after a refusal: the saturated throughput, i.e.
 * the capacity) or an open
 * model (requests sent when due, answered or not, as many people who do not wait for each
 * other), optionally with M-Pesa callbacks at a side rate. Every answer is sorted into
 * admitted or shed (503, 429) with its latency, and whether a shed one carried Retry-After.
 */
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { answerParentOnce } from '../../bench/shared/child-job.ts';
import { drain, sendOnSchedule } from '../../bench/shared/schedule.ts';
import {
  openSignInSession,
  requestFor,
  type OutgoingRequest,
  type SignInSession,
  type Target,
} from './overload-targets.ts';

export type LoadJob = Readonly<{
  baseUrl: string;
  target: Target;
  durationSeconds: number;
}> & (
  | Readonly<{ mode: 'closed'; connections: number }>
  | Readonly<{ mode: 'open'; ratePerSecond: number; callbacksPerSecond: number }>
);

export type Tally = {
  admittedMs: number[];
  shedMs: number[];
  shedWithoutRetryAfter: number;
  statuses: Record<string, number>;
  errors: number;
  /** Error messages (connection reset, timed out, ...) and how often each came. */
  errorKinds: Record<string, number>;
};

export type LoadOutcome = Readonly<{
  main: Tally;
  /** Callbacks sent beside the main load (open model with callbacksPerSecond > 0). */
  callbacks: Tally;
  /** How late requests went out after they were due (the generator, not the app). */
  sendLagMs: number[];
  seconds: number;
}>;

const requestTimeoutMs = 30_000;
const pauseAfterRefusalMs = 100;
const drainTimeoutMs = 35_000;
const shedStatuses = new Set([429, 503]);

const newTally = (): Tally =>
  ({ admittedMs: [], shedMs: [], shedWithoutRetryAfter: 0, statuses: {}, errors: 0,
    errorKinds: {} });

function send(agent: http.Agent, baseUrl: URL, request: OutgoingRequest, tally: Tally) {
  return new Promise<void>((resolve) => {
    const sentAt = performance.now();
    const outgoing = http.request({ agent, host: baseUrl.hostname, port: baseUrl.port,
      method: request.method, path: request.path, headers: request.headers,
      timeout: requestTimeoutMs }, (response) => {
      response.resume();
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        const ms = performance.now() - sentAt;
        tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
        if (shedStatuses.has(status)) {
          tally.shedMs.push(ms);
          if (response.headers['retry-after'] === undefined) tally.shedWithoutRetryAfter += 1;
        } else {
          tally.admittedMs.push(ms);
        }
        resolve();
      });
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      tally.errors += 1;
      const kind = error.code ?? error.message;
      tally.errorKinds[kind] = (tally.errorKinds[kind] ?? 0) + 1;
      resolve();
    });
    outgoing.end(request.body);
  });
}

async function closedLoop(job: LoadJob & { mode: 'closed' }, session?: SignInSession) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
  const url = new URL(job.baseUrl);
  const main = newTally();
  const until = performance.now() + job.durationSeconds * 1000;
  let index = 0;
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: job.connections }, async () => {
    while (performance.now() < until) {
      const refusedBefore = main.shedMs.length;
      await send(agent, url, requestFor(job.target, index++, session), main);
      // A refused client waits before it asks again, so the loop measures what the app can
      // answer rather than how fast it can refuse a client that never waits.
      if (main.shedMs.length > refusedBefore) await sleep(pauseAfterRefusalMs);
    }
  }));
  agent.destroy();
  return { main, callbacks: newTally(), sendLagMs: [],
    seconds: (performance.now() - startedAt) / 1000 };
}

async function openModel(job: LoadJob & { mode: 'open' }, session?: SignInSession) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2_048 });
  const url = new URL(job.baseUrl);
  const main = newTally();
  const callbacks = newTally();
  const sendLagMs: number[] = [];
  let inFlight = 0;
  const fire = (request: OutgoingRequest, tally: Tally) => {
    inFlight += 1;
    void send(agent, url, request, tally).then(() => {
      inFlight -= 1;
    });
  };
  const startedAt = performance.now();
  const callbackSchedule = job.callbacksPerSecond <= 0 ? Promise.resolve(0) : sendOnSchedule({
    ratePerSecond: job.callbacksPerSecond, tickMs: 5,
    total: Math.floor(job.callbacksPerSecond * job.durationSeconds),
  }, (index) => fire(requestFor('callbacks', index, undefined), callbacks));
  await Promise.all([callbackSchedule, sendOnSchedule({
    ratePerSecond: job.ratePerSecond, tickMs: 1,
    total: Math.floor(job.ratePerSecond * job.durationSeconds),
  }, (index, dueAt) => {
    sendLagMs.push(performance.now() - dueAt);
    fire(requestFor(job.target, index, session), main);
  })]);
  const seconds = (performance.now() - startedAt) / 1000;
  await drain(() => inFlight, drainTimeoutMs);
  agent.destroy();
  return { main, callbacks, sendLagMs, seconds };
}

async function run(job: LoadJob): Promise<LoadOutcome> {
  const session = job.target === 'sign-in' ? await openSignInSession(job.baseUrl) : undefined;
  return job.mode === 'closed' ? closedLoop(job, session) : openModel(job, session);
}

answerParentOnce('overload load', run);
