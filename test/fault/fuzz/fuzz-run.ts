/**
 * The route fuzz: an app over a database with demo and payment data, callers of every role,
 * and requests generated for every declared route, sent in batches through inject(). Counts
 * answers by status; any 5xx, a request that hangs, an uncaught exception or an unhandled
 * rejection is a failure; afterwards the run's log is scanned for ID, phone and e-mail shapes.
 * An answer that the app is busy (503 with Retry-After: load shedding) is counted and sent
 * again after the wait, as a client does; still busy after three tries, it is a failure.
 */
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { roles, type Role } from '#modules/authorisation/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { buildTestApp, testDeps } from '#test/helpers/app.ts';
import { FormClient } from '#test/helpers/form-client.ts';
import { fixtureIds, insertPaymentsFixture } from '#test/helpers/payments.ts';
import { signInAs } from '#test/helpers/sessions.ts';
import { loadConfig } from '../../../src/config.ts';
import { seedDemoData } from '../../../src/seed.ts';
import { findPersonalData } from './fuzz-log-scan.ts';
import { requestArbitrary, type FuzzCaller, type FuzzRequest, type FuzzRoute }
  from './fuzz-requests.ts';

export type FuzzFailure = Readonly<{ request: FuzzRequest; outcome: string }>;

export type FuzzResult = {
  requests: number;
  byStatus: Map<number, number>;
  /** Answers 503 with Retry-After (overloaded, by design), each sent again after the wait. */
  busy: number;
  /** Every failure counted; the first failuresKeptMax kept. */
  failureCount: number;
  failures: FuzzFailure[];
  crashes: string[];
  personalDataLines: string[];
  logLines: number;
};

export type FuzzTarget = Readonly<{
  app: FastifyInstance;
  routes: readonly FuzzRoute[];
  callers: readonly FuzzCaller[];
  known: readonly string[];
  logLines: string[];
  /** Fresh sessions for every role (a fuzzed sign-out ends one), in place of the old. */
  renewCallers: () => Promise<void>;
  close: () => Promise<void>;
}>;

const requestTimeoutMs = 60_000;
const busyRetriesMax = 3;
const busyWaitSecondsMax = 5;
const failuresKeptMax = 50;

/** The app with data to reach into, its callers (one per role, and nobody) and its routes. */
export async function startFuzzTarget(database: DatabaseHandle): Promise<FuzzTarget> {
  const logLines: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => {
    logLines.push(line);
  } } });
  const config = loadConfig({ HUDUMA_ENV: 'test', HUDUMA_MPESA_REGISTER_C2B_URLS: 'off' });
  await seedDemoData(testDeps(database, { config, logger: createLogger({ level: 'silent' }) }));
  await insertPaymentsFixture(database);
  const app = await buildTestApp(database, { config, logger });
  const callers: FuzzCaller[] = [];
  const renewCallers = async () => {
    // A visitor has a pre-session cookie and its CSRF token, as a browser that opened a form
    // does: without them every sign-in, registration and reset form stops at the CSRF check.
    const visitor = new FormClient(app);
    await visitor.get('/sign-in');
    callers.splice(0, callers.length, { name: 'anonymous' },
      { name: 'visitor', cookie: visitor.cookieHeader, csrfToken: visitor.csrfToken ?? '' });
    for (const role of roles.filter((r): r is Exclude<Role, 'agency-api-client'> =>
      r !== 'agency-api-client')) {
      const caller = await signInAs(database, role, { agencyId: fixtureIds.agency });
      callers.push({ name: role, cookie: caller.headers.cookie, csrfToken: caller.csrfToken });
    }
  };
  await renewCallers();
  const routes = app.accessControl.routes()
    .filter((route) => route.method !== 'HEAD')
    .map(({ method, url, schema }) => ({ method, url, schema }));
  const known = ['fixture-passport', 'fixture-interior', 'fixture-immigration', 'passport',
    fixtureIds.agency, fixtureIds.passport, fixtureIds.ministry, 'national_id', 'en', 'sw'];
  return { app, routes, callers, known, logLines, renewCallers, close: () => app.close() };
}

/** `count` requests (seeded, so a run can be repeated), `concurrency` at a time. */
export async function runFuzz(
  target: FuzzTarget,
  options: Readonly<{ count: number; seed: number; concurrency: number;
    onProgress?: (done: number) => void }>,
  result: FuzzResult = emptyResult(),
): Promise<FuzzResult> {
  const perRoute = target.routes.map((route) =>
    requestArbitrary(route, target.callers, target.known));
  const requests = fc.sample(fc.oneof(...perRoute),
    { seed: options.seed, numRuns: options.count });
  const crashes = watchCrashes(result);
  try {
    for (let start = 0; start < requests.length; start += options.concurrency) {
      const slice = requests.slice(start, start + options.concurrency);
      await Promise.all(slice.map((request) => send(target.app, request, result)));
      options.onProgress?.(start + slice.length);
    }
  } finally {
    crashes.stop();
  }
  return result;
}

export function emptyResult(): FuzzResult {
  return { requests: 0, byStatus: new Map(), busy: 0, failureCount: 0, failures: [], crashes: [],
    personalDataLines: [], logLines: 0 };
}

/** Scans the log lines written since `from` and adds them to the result. */
export function scanLog(target: FuzzTarget, result: FuzzResult, from = 0): void {
  const lines = target.logLines.slice(from);
  result.logLines += lines.length;
  for (const line of lines) {
    if (findPersonalData(line) !== undefined && result.personalDataLines.length < 20) {
      result.personalDataLines.push(line);
    }
  }
}

/** A 503 with Retry-After: refused by design (load shedding, password hashing full). */
const isBusy = (answer: LightMyRequestResponse) =>
  answer.statusCode === 503 && answer.headers['retry-after'] !== undefined;

/** The answer, sent again as a client would after Retry-After while the app says busy. */
async function answerOf(app: FastifyInstance, request: FuzzRequest, result: FuzzResult) {
  for (let attempt = 1; ; attempt += 1) {
    const answer = await app.inject({
      method: request.method as 'GET', url: request.url, headers: request.headers,
      ...(request.payload === undefined ? {} : { payload: request.payload }),
      remoteAddress: '127.0.0.1',
    });
    if (!isBusy(answer) || attempt > busyRetriesMax) return answer;
    result.busy += 1;
    const seconds = Math.min(Number(answer.headers['retry-after']) || 1, busyWaitSecondsMax);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
}

async function send(app: FastifyInstance, request: FuzzRequest, result: FuzzResult) {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), requestTimeoutMs);
  });
  try {
    const answer = await Promise.race([answerOf(app, request, result), hung]);
    result.requests += 1;
    if (answer === 'hung') return fail(result, request, `no answer in ${requestTimeoutMs} ms`);
    result.byStatus.set(answer.statusCode, (result.byStatus.get(answer.statusCode) ?? 0) + 1);
    if (answer.statusCode >= 500) {
      fail(result, request, `${answer.statusCode} ${answer.body.slice(0, 200)}`);
    }
  } catch (error) {
    result.requests += 1;
    fail(result, request, `inject threw: ${error instanceof Error ? error.message : 'error'}`);
  } finally {
    clearTimeout(timer);
  }
}

function fail(result: FuzzResult, request: FuzzRequest, outcome: string): void {
  result.failureCount += 1;
  if (result.failures.length < failuresKeptMax) result.failures.push({ request, outcome });
}

function watchCrashes(result: FuzzResult) {
  const onError = (error: unknown) => {
    result.crashes.push(error instanceof Error ? `${error.name}: ${error.message}` : 'crash');
  };
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  return { stop: () => {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  } };
}
