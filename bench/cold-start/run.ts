/**
 * bench/cold-start (`npm run bench:cold-start -- [--runs N] [--engines pglite,postgres]`): what
 * a newcomer meets. `npm start` (npm, then the pinned Node, then src/main.ts) on an empty data
 * folder (PGlite) or an empty PostgreSQL database, timed from the spawn until the home page and
 * then a search results page answer 200. The app logs at info level; its own log lines, with
 * their times, split the start into: npm and Node start-up and module loading (spawn to the
 * first line), opening and migrating the database, each part of the demo data, building the
 * app and listening, and the first page and first search. Goal (issue 14): first page <= 10 s.
 *
 * Bounded: each start gives up after startMsMax; the process is always stopped and its folder
 * or database removed. Prints one Markdown table per engine and the JSON behind it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { postgresAdminUrl, repositoryRoot } from '../ingest/bench-db.ts';
import { coldStartTable, type ColdStartRun, type Milestone } from './report.ts';

const startMsMax = 60_000;
const pollIntervalMs = 20;
const probeTimeoutMs = 2_000;
const goalMs = 10_000;

type Engine = 'pglite' | 'postgres';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function statusOf(url: string): Promise<number> {
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(probeTimeoutMs), headers: { accept: 'text/html' },
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

async function adminQuery(text: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}

type Target = Readonly<{ env: Record<string, string>; remove: () => Promise<void> }>;

async function emptyTarget(engine: Engine): Promise<Target> {
  const dataDirectory = await mkdtemp(path.join(os.tmpdir(), 'huduma-cold-start-'));
  const removeFolder = () => rm(dataDirectory, { recursive: true, force: true });
  if (engine === 'pglite') {
    return { env: { HUDUMA_DATA_DIR: dataDirectory, DATABASE_URL: '' }, remove: removeFolder };
  }
  const name = `huduma_cold_${process.pid}_${randomBytes(3).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    env: { HUDUMA_DATA_DIR: dataDirectory, DATABASE_URL: url.toString() },
    remove: async () => {
      await removeFolder();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

/** The app's own log lines worth a milestone, by message. */
const loggedMilestones: ReadonlyMap<string, string> = new Map([
  ['starting', 'npm, Node and the modules loaded'],
  ['database opened, migrating', 'database opened (first migration applied)'],
  ['database opened and migrated', 'all migrations applied'],
  ['demo catalogue loaded', 'demo catalogue'],
  ['demo staff loaded', 'demo staff'],
  ['demo settlement profiles loaded', 'demo settlement profiles'],
  ['demo compliance register loaded', 'demo compliance register'],
]);

function readLogLine(line: string, spawnedAt: number, milestones: Milestone[]): void {
  let entry: { msg?: unknown; time?: unknown };
  try {
    entry = JSON.parse(line) as { msg?: unknown; time?: unknown };
  } catch {
    return;
  }
  if (typeof entry.time !== 'number' || typeof entry.msg !== 'string') return;
  const at = entry.time - spawnedAt;
  const name = entry.msg.startsWith('Server listening') ? 'app built, listening'
    : loggedMilestones.get(entry.msg);
  if (name !== undefined && !milestones.some((m) => m.name === name)) {
    milestones.push({ name, at });
  }
}

async function waitFor200(url: string, spawnedAt: number, exited: () => boolean):
  Promise<number | undefined> {
  while (Date.now() - spawnedAt < startMsMax && !exited()) {
    if (await statusOf(url) === 200) return Date.now() - spawnedAt;
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
  return undefined;
}

/** Waits until no process of the group is left (the app closes its database on SIGTERM). */
async function groupGone(groupId: number): Promise<void> {
  const deadline = Date.now() + startMsMax;
  while (Date.now() < deadline) {
    try {
      process.kill(-groupId, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
  process.kill(-groupId, 'SIGKILL');
}

async function startOnce(engine: Engine): Promise<ColdStartRun> {
  const target = await emptyTarget(engine);
  const port = await freePort();
  const milestones: Milestone[] = [];
  const spawnedAt = Date.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: repositoryRoot,
    env: { ...process.env, ...target.env, PORT: String(port), HOST: '127.0.0.1',
      LOG_LEVEL: 'info', HUDUMA_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) readLogLine(line, spawnedAt, milestones);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  try {
    const base = `http://127.0.0.1:${port}`;
    const homeMs = await waitFor200(`${base}/`, spawnedAt, hasExited);
    if (homeMs !== undefined) milestones.push({ name: 'first page (GET /)', at: homeMs });
    const searchMs = homeMs === undefined ? undefined
      : await waitFor200(`${base}/services?q=passport`, spawnedAt, hasExited);
    if (searchMs !== undefined) {
      milestones.push({ name: 'first search (GET /services?q=passport)', at: searchMs });
    }
    return { engine, homeMs, searchMs, milestones: milestones.sort((a, b) => a.at - b.at) };
  } finally {
    // npm runs the app in a child of its own: stop the whole process group.
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await exited;
    if (child.pid !== undefined) await groupGone(child.pid);
    await target.remove();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    runs: { type: 'string', default: '3' },
    engines: { type: 'string', default: 'pglite,postgres' },
  } });
  const runs = Number.parseInt(values.runs, 10);
  const engines = values.engines.split(',').filter((e): e is Engine =>
    e === 'pglite' || e === 'postgres');
  const results: ColdStartRun[] = [];
  for (const engine of engines) {
    for (let run = 1; run <= runs; run += 1) {
      process.stderr.write(`cold start ${engine} ${run}/${runs} ... `);
      const result = await startOnce(engine);
      results.push(result);
      process.stderr.write(`${result.homeMs === undefined ? 'no page' : `${result.homeMs} ms`}\n`);
    }
  }
  const load = os.loadavg().map((value) => value.toFixed(1)).join(' ');
  process.stdout.write(coldStartTable(results, { goalMs, load,
    machine: `${os.availableParallelism()} CPUs, ${Math.round(os.totalmem() / 1024 ** 3)} GiB, ` +
      `Node ${process.version}`,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') }));
  process.stdout.write(`\n${JSON.stringify(results)}\n`);
}

await main();
