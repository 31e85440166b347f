/**
 * `npm run bench:ussd -- [--seconds S] [--requests-max N] [--p99 MS] [--connections 1,2,4,..]`
 *
 * USSD gateway requests per second at a p99 latency target (aggregators give up near 5 s; the
 * target is 300 ms), over loopback, on PostgreSQL. A fresh database gets the demo catalogue
 * (the app seeds it at start) and 200 unpaid bills; the app runs in a child process
 * (`src/main.ts`, workers off); each autocannon connection plays a phone going through whole
 * sessions: dial (home), 2 (check a bill), 2*<bill reference> (the bill's screen, found in the
 * database). Connections step up until the p99 passes the target; each phase is bounded by S
 * seconds and N requests. The bare framework (bench/ussd/bare-server.ts) then takes the same
 * requests at the same steps. The lookup limit per phone is raised for the run (5,000 phones
 * would otherwise hit it). The Markdown block for BENCHMARKS.md goes to stdout and to
 * bench/.out/ussd.md; progress on stderr.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { systemClock } from '#platform/clock/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { createInvoiceForService } from '#modules/payments/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { freePort, startApp, stopChild } from '../shared/app-process.ts';
import { startBareServer } from '../shared/bare-server.ts';
import { createBenchDatabase, repositoryRoot, type BenchDatabase } from '../submit/prepare.ts';
import { runPhase, type PhaseResult } from './load.ts';

const { values: args } = parseArgs({ options: {
  seconds: { type: 'string', default: '6' },
  'requests-max': { type: 'string', default: '60000' },
  p99: { type: 'string', default: '300' },
  connections: { type: 'string', default: '1,2,4,8,16,32,64' },
} });

function whole(name: string, text: string | undefined, low: number, high: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < low || value > high) {
    throw new Error(`--${name} must be a whole number from ${low} to ${high} (got "${text}")`);
  }
  return value;
}

const seconds = whole('seconds', args.seconds, 1, 60);
const requestsMax = whole('requests-max', args['requests-max'], 100, 1_000_000);
const p99TargetMs = whole('p99', args.p99, 1, 60_000);
const steps = (args.connections ?? '').split(',').map((part) => whole('connections', part, 1, 512));
const token = `bench-ussd-token-${process.pid}-0123456789`;
const serviceSlug = 'driving-licence-renewal-one-year';
const billCount = 200;
const startedAt = performance.now();
const log = (text: string) => process.stderr.write(`bench:ussd ${
  ((performance.now() - startedAt) / 1000).toFixed(1).padStart(6)} s  ${text}\n`);

/** The app with the demo catalogue, a fixed USSD token and the per-phone lookup limit raised. */
function startUssdApp(database: BenchDatabase, port: number): Promise<ChildProcess> {
  return startApp({ database, port, startTimeoutMs: 180_000,
    env: { HUDUMA_DEMO_DATA: 'on', HUDUMA_USSD_GATEWAY_TOKEN: token,
      HUDUMA_USSD_LOOKUPS_PER_HOUR: '1000000' } });
}

async function issueBills(database: BenchDatabase): Promise<string[]> {
  const handle = await database.open();
  try {
    const deps = { db: handle.db, clock: systemClock, logger: createLogger({ level: 'silent' }) };
    const references: string[] = [];
    for (let index = 0; index < billCount; index += 1) {
      const created = await createInvoiceForService(deps, { service: serviceSlug,
        payerAccountId: uuidv7(), now: new Date() });
      if (!created.ok) throw new Error(`no bill: ${created.error.code}`);
      references.push(created.value.reference);
    }
    const version = await sql<{ v: string }>`select version() as v`.execute(handle.db);
    databaseVersion = (version.rows[0]?.v ?? '').split(' on ')[0] ?? '';
    return references;
  } finally {
    await handle.close();
  }
}
let databaseVersion = '';

/** One request by hand before the load: a misconfigured run stops here, saying why. */
async function checkOnce(url: string, reference: string): Promise<void> {
  const body = new URLSearchParams({ sessionId: `bench-check-${process.pid}`,
    serviceCode: '*384*222#', phoneNumber: '+254700000001', text: `2*${reference}` });
  const response = await fetch(url, { method: 'POST', body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const text = await response.text();
  if (response.status !== 200 || !text.startsWith(`CON Bill ${reference}`)) {
    throw new Error(`the USSD endpoint answered ${response.status}: ${text.slice(0, 80)}`);
  }
}

async function stepUp(url: string, label: string, bills: readonly string[]):
  Promise<PhaseResult[]> {
  const results: PhaseResult[] = [];
  for (const connections of steps) {
    const result = await runPhase({ url, connections, seconds, requestsMax,
      billReferences: bills });
    log(`${label}: ${connections} connections, ${result.perSecond.toFixed(0)}/s, p99 ` +
      `${result.p99Ms} ms, ${result.failed} failed`);
    results.push(result);
    if (result.p99Ms > p99TargetMs) break;
  }
  return results;
}

const cell = (value: number) => value.toLocaleString('en-GB', { maximumFractionDigits: 0 });

function table(results: readonly PhaseResult[]): string[] {
  return ['| connections | requests | per second | p50 ms | p90 ms | p99 ms | max ms | failed |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map((r) => `| ${r.connections} | ${cell(r.requests)} | ${cell(r.perSecond)} | ` +
      `${r.p50Ms} | ${r.p90Ms} | ${r.p99Ms} | ${r.maxMs} | ${r.failed} |`)];
}

function best(results: readonly PhaseResult[]): PhaseResult | undefined {
  return results.filter((r) => r.p99Ms <= p99TargetMs && r.failed === 0)
    .sort((a, b) => b.perSecond - a.perSecond)[0];
}

function report(app: readonly PhaseResult[], bare: readonly PhaseResult[], load: string):
  string {
  const top = best(app);
  const bareTop = best(bare);
  return [
    `Machine: ${os.availableParallelism()} CPU (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ` +
      `${Math.round(os.totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}, ` +
      `${databaseVersion}; load average ${load}; ` +
      `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    '',
    `USSD gateway (POST /ussd/africastalking/<token>), sessions of dial / 2 / 2*<bill>, ` +
      `${seconds} s or ${cell(requestsMax)} requests per step:`,
    '', ...table(app), '',
    'Bare Fastify (@fastify/formbody, a fixed CON screen), same requests and steps:',
    '', ...table(bare), '',
    `Requests per second at p99 <= ${p99TargetMs} ms: app ${top === undefined ? 'none'
      : `${cell(top.perSecond)} (${top.connections} connections, p99 ${top.p99Ms} ms)`}; ` +
      `bare framework ${bareTop === undefined ? 'none'
        : `${cell(bareTop.perSecond)} (${bareTop.connections} connections)`}.`,
  ].join('\n');
}

const database = await createBenchDatabase('postgres');
let appChild: ChildProcess | undefined;
let bareChild: ChildProcess | undefined;
try {
  const loadBefore = os.loadavg().map((v) => v.toFixed(1)).join(' ');
  log(`database: ${database.description}`);
  const port = await freePort();
  appChild = await startUssdApp(database, port);
  const bills = await issueBills(database);
  const url = `http://127.0.0.1:${port}/ussd/africastalking/${token}`;
  await checkOnce(url, bills[0] ?? '');
  const app = await stepUp(url, 'app', bills);
  await stopChild(appChild);
  const bare = await startBareServer('bench/ussd/bare-server.ts');
  bareChild = bare.child;
  const bareResults = await stepUp(`http://127.0.0.1:${bare.port}/ussd`, 'bare', bills);
  const load = `${loadBefore} at start, ${os.loadavg().map((v) => v.toFixed(1)).join(' ')} ` +
    'at the end';
  const markdown = report(app, bareResults, load);
  await mkdir(path.join(repositoryRoot, 'bench', '.out'), { recursive: true });
  await writeFile(path.join(repositoryRoot, 'bench', '.out', 'ussd.md'), `${markdown}\n`);
  process.stdout.write(`${markdown}\n`);
} finally {
  if (appChild !== undefined) await stopChild(appChild);
  if (bareChild !== undefined) await stopChild(bareChild);
  await database.drop();
}
