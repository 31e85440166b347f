/**
 * `npm run bench:submit -- [--database postgres|pglite] [--applications N] [--warm-up W]
 *   [--connections C] [--bare-seconds S] [--p99 MS] [--profile]`
 *
 * Application submissions over loopback: a fresh database gets the demo catalogue and N + W
 * signed-in applicants, each with a complete draft of the one-year driving licence renewal;
 * the app runs in a child process (`src/main.ts`, workers off, so the outbox keeps what the
 * submits wrote); autocannon, in another child process, POSTs each application's submit once
 * (its own session cookie and CSRF token, a fresh clientActionId) at C connections: W as a
 * warm-up, then N measured. Each submit validates the form, issues the invoice, appends audit
 * records and outbox events in one transaction. Then the bare framework (Fastify with
 * @fastify/formbody, bare-server.ts) takes the same kind of POST at the same connections for
 * S seconds; the ratio of the two throughputs is printed. Afterwards the database is checked:
 * every submitted application awaiting payment with one invoice, audit and outbox counted,
 * checkApplications clean. The Markdown block for BENCHMARKS.md goes to stdout and to
 * bench/.out/submit-<database>.md. Progress on stderr.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { DatabaseKind } from '#platform/db/index.ts';
import { freePort, startApp, stopChild } from '../shared/app-process.ts';
import { startBareServer } from '../shared/bare-server.ts';
import type { LoadRequest, LoadResult, LoadTarget } from './load-client.ts';
import {
  createBenchDatabase,
  prepareApplications,
  repositoryRoot,
  type BenchDatabase,
  type SubmitTarget,
} from './prepare.ts';
import {
  countersBetween,
  readCounters,
  sampleWaits,
  type DatabaseCounters,
} from './pg-stats.ts';
import { describeMachine, renderRun, summarise, type PhaseSummary } from './report.ts';
import { verifySubmits } from './verify.ts';

const { values: args } = parseArgs({ options: {
  database: { type: 'string', default: 'postgres' },
  applications: { type: 'string', default: '2000' },
  'warm-up': { type: 'string', default: '200' },
  connections: { type: 'string', default: '8' },
  'bare-seconds': { type: 'string', default: '10' },
  p99: { type: 'string', default: '300' },
  /** Writes a CPU profile of the app process into bench/.out/submit-profile/. */
  profile: { type: 'boolean', default: false },
} });

function whole(name: string, text: string | undefined, low: number, high: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < low || value > high) {
    throw new Error(`--${name} must be a whole number from ${low} to ${high} (got "${text}")`);
  }
  return value;
}

const kind: DatabaseKind = args.database === 'pglite' ? 'pglite' : 'postgres';
const applications = whole('applications', args.applications, 10, 50_000);
const warmUp = whole('warm-up', args['warm-up'], 1, 10_000);
const connections = whole('connections', args.connections, 1, 256);
const bareSeconds = whole('bare-seconds', args['bare-seconds'], 1, 60);
const p99TargetMs = whole('p99', args.p99, 1, 60_000);
/** Every child is killed after this, whatever happens: a benchmark never hangs. */
const childTimeoutMs = 5 * 60_000;
const runStartedAt = performance.now();

const log = (text: string) => process.stderr.write(`bench:submit ${
  ((performance.now() - runStartedAt) / 1000).toFixed(1).padStart(6)} s  ${text}\n`);

/** The app, workers off (the outbox keeps what the submits wrote); --profile adds --cpu-prof. */
function startSubmitApp(database: BenchDatabase, port: number): Promise<ChildProcess> {
  const profiling = args.profile ? ['--cpu-prof', '--cpu-prof-dir',
    path.join(repositoryRoot, 'bench', '.out', 'submit-profile')] : [];
  return startApp({ database, port, execArgv: profiling });
}

/** Drives one closed-loop phase from the load client's own process. */
function drive(request: LoadRequest): Promise<LoadResult> {
  const client = fork(path.join(repositoryRoot, 'bench', 'submit', 'load-client.ts'), [], {
    cwd: repositoryRoot, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const timer = setTimeout(() => client.kill('SIGKILL'), childTimeoutMs);
  const result = new Promise<LoadResult>((resolve, reject) => {
    client.once('message', (message: LoadResult) => resolve(message));
    client.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`load-client.ts exited ${code}`));
    });
  });
  client.send(request);
  return result;
}

const toLoad = (targets: readonly SubmitTarget[]): LoadTarget[] => targets.map((target) => ({
  path: `/applications/${target.applicationId}/submit`, cookie: target.cookie,
  csrf: target.csrf }));

/** One submit by hand before any load: a misconfigured run stops here, saying why. */
async function submitOnce(appUrl: string, target: LoadTarget): Promise<void> {
  const response = await fetch(`${appUrl}${target.path}`, { method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html',
      cookie: target.cookie },
    body: new URLSearchParams({ _csrf: target.csrf, clientActionId: crypto.randomUUID() }) });
  if (response.status !== 303) {
    throw new Error(`a first submit answered ${response.status}: ` +
      `${(await response.text()).slice(0, 600)}`);
  }
}

function describePhase(name: string, phase: PhaseSummary): void {
  log(`${name}: ${phase.ok} answered 303 in ${phase.seconds.toFixed(1)} s = ` +
    `${phase.perSecond.toFixed(0)}/s; p50 ${phase.p50Ms.toFixed(1)} ms, p99 ` +
    `${phase.p99Ms.toFixed(1)} ms, max ${phase.maxMs.toFixed(1)} ms; failed ${phase.failed} ` +
    `${JSON.stringify(phase.statuses)}`);
}

async function databaseVersion(database: BenchDatabase): Promise<string> {
  const handle = await database.open();
  try {
    const row = await sql<{ v: string }>`select version() as v`.execute(handle.db);
    return (row.rows[0]?.v ?? 'unknown').split(' on ')[0] ?? 'unknown';
  } finally {
    await handle.close();
  }
}

/** Submits W (warm-up, not measured) then N; returns the measured phase and the start time. */
async function submitPhases(appUrl: string, warmTargets: LoadTarget[],
  measuredTargets: LoadTarget[], databaseUrl: string | undefined) {
  const [first, ...rest] = warmTargets;
  if (first === undefined) throw new Error('no warm-up target');
  await submitOnce(appUrl, first);
  log(`warm-up: ${rest.length} submits at ${connections} connections (not measured)`);
  const warm = summarise(await drive({ url: appUrl, targets: rest, connections,
    amount: warmUp - 1 }));
  describePhase('warm-up', warm);
  log(`measured: ${applications} submits at ${connections} connections`);
  const sampler = databaseUrl === undefined ? undefined : await sampleWaits(databaseUrl);
  const measured = summarise(await drive({ url: appUrl, targets: measuredTargets, connections,
    amount: applications }));
  const waits = await sampler?.stop();
  describePhase('submits', measured);
  if (waits !== undefined) log(`PostgreSQL sessions, sampled: ${JSON.stringify(waits)}`);
  return { measured, waits, submittedIncludingWarmUp: 1 + warm.ok + measured.ok };
}

async function bareFramework(targets: LoadTarget[]): Promise<PhaseSummary> {
  const bare = await startBareServer('bench/submit/bare-server.ts');
  try {
    const url = `http://127.0.0.1:${bare.port}`;
    log(`bare Fastify: 2 s warm-up, then ${bareSeconds} s at ${connections} connections`);
    await drive({ url, targets, connections, durationSeconds: 2 });
    const phase = summarise(await drive({ url, targets, connections,
      durationSeconds: bareSeconds }));
    describePhase('bare Fastify', phase);
    return phase;
  } finally {
    await stopChild(bare.child);
  }
}

async function main(): Promise<void> {
  log(`${kind}: preparing ${warmUp} + ${applications} applicants with complete drafts`);
  const database = await createBenchDatabase(kind);
  try {
    const spare = 2 * connections + 10;
    const preparedAt = performance.now();
    const targets = toLoad(await prepareApplications(database, warmUp + applications + spare));
    const preparedSeconds = (performance.now() - preparedAt) / 1000;
    log(`prepared in ${preparedSeconds.toFixed(1)} s`);
    const machine = describeMachine(await databaseVersion(database));
    const countersBefore = database.url === undefined ? undefined
      : await readCounters(database.url);
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    const app = await startSubmitApp(database, port);
    log(`app listening on ${appUrl}`);
    const loadStartedAt = new Date();
    let phases: Awaited<ReturnType<typeof submitPhases>>;
    try {
      phases = await submitPhases(appUrl, targets.slice(0, warmUp), targets.slice(warmUp),
        database.url);
    } finally {
      await stopChild(app);
    }
    let counters: DatabaseCounters | undefined;
    if (database.url !== undefined && countersBefore !== undefined) {
      counters = countersBetween(countersBefore, await readCounters(database.url));
      log(`database counters over the app's life: ${JSON.stringify(counters)}`);
    }
    const bare = await bareFramework(targets.slice(warmUp));
    log('checking the database');
    const handle = await database.open();
    const verification = await verifySubmits(handle, loadStartedAt).finally(() => handle.close());
    const block = renderRun({
      command: `npm run bench:submit -- --database ${kind} --applications ${applications} ` +
        `--warm-up ${warmUp} --connections ${connections} --bare-seconds ${bareSeconds}`,
      machine, database: database.description, connections, p99TargetMs,
      submits: phases.measured, bare, verification, preparedSeconds, counters,
      waits: phases.waits,
    }, phases.submittedIncludingWarmUp);
    const folder = path.join(repositoryRoot, 'bench', '.out');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, `submit-${kind}.md`), block);
    process.stdout.write(`${block}\n`);
    log(`ratio ${(phases.measured.perSecond / bare.perSecond).toFixed(3)}; ` +
      `verification ${JSON.stringify(verification)}`);
  } finally {
    await database.drop();
  }
  log('done');
}

await main();
