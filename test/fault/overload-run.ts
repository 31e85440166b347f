/**
 * The overload part of the fault suite: the real app (`node src/main.ts`, demo data, workers
 * on) on a loopback port over a fresh database, and, per target (search, sign-in, M-Pesa
 * callbacks), from a separate load process (overload-load.ts):
 * 1. a warm-up, unmeasured;
 * 2. capacity: a closed loop over several connections; what it gets answered (not shed) per
 *    second is the capacity;
 * 3. calm: an open-model load at half the capacity (the latency of an unhurried app);
 * 4. overload: an open-model load at twice the capacity, with callbacks beside it (20/s) for the
 *    targets other than callbacks;
 * 5. recovery: a second's pause, then half the capacity again: everything should be admitted.
 * The app's resident memory is read from /proc every 100 ms; its peak per phase is kept.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '#test/helpers/payments.ts';
import { insideP99, readInside, type InsidePercentile } from './overload-inside.ts';
import type { LoadJob, LoadOutcome } from './overload-load.ts';
import { overloadCallbackToken, type Target } from './overload-targets.ts';

export type OverloadOptions = Readonly<{
  database: 'postgres' | 'pglite';
  /** Synthetic services added to the demo catalogue before the app starts (0: none). */
  searchServices: number;
  /** Off (HUDUMA_SEARCH_CACHE_ENTRIES=0): every search a miss, as unique queries make it. */
  searchCache: boolean;
  targets: readonly Target[];
  capacitySeconds: number;
  overloadSeconds: number;
  calmSeconds: number;
  factor: number;
  progress: (line: string) => void;
}>;

export type Phase = Readonly<{
  name: 'capacity' | 'calm' | 'overload' | 'recovery';
  ratePerSecond: number | undefined;
  outcome: LoadOutcome;
  rssPeakBytes: number;
  /** CPU time the app's process used during the phase (user + system). */
  appCpuSeconds: number;
  /** Time inside the app (its own histogram) of the requests it admitted (not callbacks). */
  insideAdmitted: InsidePercentile;
  /** How late the app's event loop ran (its load-shedding timer, every 20 ms). */
  loopLateness: InsidePercentile;
  /** Connections the kernel dropped for a full listen queue (machine-wide TcpExt counter). */
  listenOverflows: number;
}>;

export type TargetRun = Readonly<{ target: Target; capacityPerSecond: number; phases: Phase[] }>;

export type OverloadResult = Readonly<{
  runs: TargetRun[];
  rssAtStartBytes: number;
  loadAverageBefore: string;
  loadAverageAfter: string;
  database: string;
  searchServices: number;
  searchCache: boolean;
  /** The app's own count of refusals (http_requests_shed_total), by class and reason. */
  shedCounts: string[];
}>;

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const adminUrl = process.env.HUDUMA_TEST_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const readyTimeoutMs = 120_000;
const connectionsOf: Readonly<Record<Target, number>> =
  { 'search': 32, 'sign-in': 16, 'callbacks': 32 };
const warmUpSeconds = 2;
/** The load class of each target; callbacks are in none. */
const loadClassOf: Readonly<Record<Target, string>> =
  { 'search': 'search', 'sign-in': 'sign-in', 'callbacks': '-' };
const readMetrics = async (url: string) => (await fetch(`${url}/metrics`)).text();
/** Load processes sending the open-model load together (one more sends the side callbacks). */
const generators = 2;
const sideCallbacksPerSecond = 20;

const loadAverage = () => os.loadavg().map((value) => value.toFixed(2)).join(' ');

function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kilobytes === undefined ? 0 : Number(kilobytes) * 1024;
}

/** User + system CPU seconds of a process so far (/proc/<pid>/stat, 100 ticks a second). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state is field 3, utime 14 and stime 15 (1-based, man proc).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The machine's count of listen-queue overflows (/proc/net/netstat, TcpExt). */
function listenOverflows(): number {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n')
    .filter((line) => line.startsWith('TcpExt:'));
  const names = (lines[0] ?? '').split(' ');
  const values = (lines[1] ?? '').split(' ');
  return Number(values[names.indexOf('ListenOverflows')] ?? 0);
}

function runLoad(job: LoadJob): Promise<LoadOutcome> {
  const child = fork(path.join(repositoryRoot, 'test/fault/overload-load.ts'), [],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (outcome: LoadOutcome) => resolve(outcome));
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load process exited with ${code}`));
    });
    child.send(job);
  });
}

/**
 * The open-model load from several processes at once (each a share of the rate), and the side
 * callbacks from one more, so no one load process falls behind its schedule.
 */
async function runOpen(job: LoadJob & { mode: 'open' }): Promise<LoadOutcome> {
  const share = { ...job, ratePerSecond: job.ratePerSecond / generators, callbacksPerSecond: 0 };
  const side = job.callbacksPerSecond <= 0 ? undefined : runLoad({ ...job, target: 'callbacks',
    ratePerSecond: job.callbacksPerSecond, callbacksPerSecond: 0 });
  const outcomes = await Promise.all(Array.from({ length: generators }, () => runLoad(share)));
  const callbacks = (await side)?.main;
  const merged = outcomes.reduce((all, one) => ({
    main: {
      admittedMs: [...all.main.admittedMs, ...one.main.admittedMs],
      shedMs: [...all.main.shedMs, ...one.main.shedMs],
      shedWithoutRetryAfter: all.main.shedWithoutRetryAfter + one.main.shedWithoutRetryAfter,
      statuses: sumCounts(all.main.statuses, one.main.statuses),
      errors: all.main.errors + one.main.errors,
      errorKinds: sumCounts(all.main.errorKinds, one.main.errorKinds),
    },
    callbacks: all.callbacks,
    sendLagMs: [...all.sendLagMs, ...one.sendLagMs],
    seconds: Math.max(all.seconds, one.seconds),
  }));
  return callbacks === undefined ? merged : { ...merged, callbacks };
}

function sumCounts(
  one: Readonly<Record<string, number>>,
  other: Readonly<Record<string, number>>,
): Record<string, number> {
  const sum: Record<string, number> = { ...one };
  for (const [key, count] of Object.entries(other)) sum[key] = (sum[key] ?? 0) + count;
  return sum;
}

type App = Readonly<{ url: string; child: ChildProcess; stop: () => Promise<void> }>;

async function startApp(env: Readonly<Record<string, string>>, logFile: string): Promise<App> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn',
      HUDUMA_TRUSTED_PROXIES: '127.0.0.1/32', HUDUMA_MPESA_CALLBACK_TOKEN: overloadCallbackToken },
  });
  const log = createWriteStream(logFile);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const until = performance.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app ended while starting: ${logFile}`);
    if (performance.now() > until) throw new Error(`the app did not start: ${logFile}`);
    const answer = await fetch(`${url}/healthz`).catch(() => undefined);
    if (answer?.ok === true) break;
    await sleep(200);
  }
  return { url, child, stop: async () => {
    child.kill('SIGTERM');
    await exited;
  } };
}

/** A fresh database (PostgreSQL) or data folder (PGlite), and how to remove it. */
async function prepareDatabase(
  kind: OverloadOptions['database'],
  scratch: string,
): Promise<{ env: Readonly<Record<string, string>>; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    return { env: { HUDUMA_DATA_DIR: path.join(scratch, 'data') }, drop: async () => undefined };
  }
  const name = `huduma_overload_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

function generateServices(env: Readonly<Record<string, string>>, services: number) {
  const child = spawn(process.execPath,
    ['src/cli/main.ts', 'catalogue', 'generate', '--services', String(services)],
    { cwd: repositoryRoot, stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ...env, LOG_LEVEL: 'warn' } });
  return new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`huduma catalogue generate exited with ${code}`));
    });
  });
}

async function runTarget(app: App, target: Target, options: OverloadOptions): Promise<TargetRun> {
  const pid = app.child.pid ?? 0;
  const phase = async (name: Phase['name'], job: LoadJob): Promise<Phase> => {
    let rssPeakBytes = residentBytes(pid);
    const sampler = setInterval(() => {
      rssPeakBytes = Math.max(rssPeakBytes, residentBytes(pid));
    }, 100);
    const rate = job.mode === 'open' ? job.ratePerSecond : undefined;
    options.progress(`  ${target}: ${name}${rate === undefined ? '' : ` at ${rate}/s`} ` +
      `for ${job.durationSeconds} s (load average ${loadAverage()})`);
    const cpuBefore = cpuSeconds(pid);
    const overflowsBefore = listenOverflows();
    const insideBefore = await readMetrics(app.url);
    const outcome = job.mode === 'open' ? await runOpen(job) : await runLoad(job);
    clearInterval(sampler);
    const appCpuSeconds = cpuSeconds(pid) - cpuBefore;
    const insideAfter = await readMetrics(app.url);
    const lateness = (text: string) => readInside(text, 'event_loop_lateness_seconds');
    return { name, ratePerSecond: rate, outcome, rssPeakBytes, appCpuSeconds,
      insideAdmitted: insideP99(readInside(insideBefore), readInside(insideAfter),
        loadClassOf[target]),
      loopLateness: insideP99(lateness(insideBefore), lateness(insideAfter), ''),
      listenOverflows: listenOverflows() - overflowsBefore };
  };
  const base = { baseUrl: app.url, target };
  const connections = connectionsOf[target];
  options.progress(`${target}: warm-up ${warmUpSeconds} s`);
  // The first search builds the index; the warm-up starts once it is built.
  if (target === 'search') await fetch(`${app.url}/api/v1/services?q=passport`);
  await runLoad({ ...base, mode: 'closed', connections, durationSeconds: warmUpSeconds });
  const capacity = await phase('capacity',
    { ...base, mode: 'closed', connections, durationSeconds: options.capacitySeconds });
  const capacityPerSecond = Math.max(1,
    Math.round(capacity.outcome.main.admittedMs.length / capacity.outcome.seconds));
  options.progress(`  ${target}: capacity ${capacityPerSecond}/s`);
  const calmRate = Math.max(1, Math.round(capacityPerSecond / 2));
  const open = (ratePerSecond: number, durationSeconds: number, callbacksPerSecond: number) =>
    ({ ...base, mode: 'open' as const, ratePerSecond, durationSeconds, callbacksPerSecond });
  const calm = await phase('calm', open(calmRate, options.calmSeconds, 0));
  const side = target === 'callbacks' ? 0 : sideCallbacksPerSecond;
  const overload = await phase('overload',
    open(Math.round(capacityPerSecond * options.factor), options.overloadSeconds, side));
  await sleep(1_000);
  const recovery = await phase('recovery', open(calmRate, options.calmSeconds, 0));
  return { target, capacityPerSecond, phases: [capacity, calm, overload, recovery] };
}

export async function runOverload(options: OverloadOptions): Promise<OverloadResult> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'huduma-overload-'));
  const database = await prepareDatabase(options.database, scratch);
  const loadAverageBefore = loadAverage();
  const env = { ...database.env,
    ...(options.searchCache ? {} : { HUDUMA_SEARCH_CACHE_ENTRIES: '0' }) };
  if (options.searchServices > 0) {
    options.progress(`generating ${options.searchServices} synthetic services`);
    await generateServices(env, options.searchServices);
  }
  options.progress(`starting the app on ${options.database} (log: ${scratch}/app.log)`);
  const app = await startApp(env, path.join(scratch, 'app.log'));
  try {
    const rssAtStartBytes = residentBytes(app.child.pid ?? 0);
    const runs: TargetRun[] = [];
    for (const target of options.targets) runs.push(await runTarget(app, target, options));
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    const shedCounts = metrics.split('\n')
      .filter((line) => line.startsWith('http_requests_shed_total{'));
    return { runs, rssAtStartBytes, loadAverageBefore, loadAverageAfter: loadAverage(),
      database: options.database, searchServices: options.searchServices,
      searchCache: options.searchCache, shedCounts };
  } finally {
    await app.stop();
    await database.drop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
