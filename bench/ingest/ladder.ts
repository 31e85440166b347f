/**
 * One ladder of the ingest benchmark: a fresh database with enough open invoices, N app
 * processes on it (each its own port), a warm-up, then steps of rising fixed arrival rate until
 * two in a row miss the p99 target; each step measured by the sender (latency from when each
 * request was due, its own lag and CPU) and by a probe (CPU by party, busy connections, load
 * average). Then the double credits are counted in the database and the database is dropped.
 */
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import type { DatabaseKind } from '#platform/db/index.ts';
import { createBenchDatabase, prepareBenchDatabase, type BenchDatabase } from './bench-db.ts';
import { confirmationUrl, freePort, runSender, startApp, stopApp } from './app-process.ts';
import type { SenderPlan } from './load-sender.ts';
import type { DoubleCredits, StepResult } from './report.ts';
import { startStepProbe } from './step-probe.ts';

export type LadderOptions = Readonly<{
  kind: DatabaseKind;
  processes: number;
  startRate: number;
  seconds: number;
  stepsMax: number;
  factor: number;
  p99TargetMs: number;
  folder: string;
  log: (text: string) => void;
}>;

export type LadderResult = Readonly<{
  processes: number;
  databaseVersion: string;
  steps: readonly StepResult[];
  best: StepResult | undefined;
  doubleCredits: DoubleCredits;
}>;

const warmUpSeconds = 5;

export function ratesPlanned(options: LadderOptions): number[] {
  return Array.from({ length: options.stepsMax },
    (_, index) => Math.round(options.startRate * options.factor ** index));
}

async function countDoubleCredits(database: BenchDatabase, acknowledged: readonly string[]):
  Promise<DoubleCredits> {
  const handle = await database.open();
  try {
    const one = async (query: ReturnType<typeof sql<{ n: bigint }>>) =>
      Number((await query.execute(handle.db)).rows[0]?.n ?? -1n);
    const recorded = await sql<{ r: string }>`select provider_reference as r from payment
      where provider_reference = any(${[...acknowledged]}::text[])`.execute(handle.db);
    return {
      paymentsPerReceipt: await one(sql`select count(*) as n from (select provider_reference
        from payment group by provider_reference having count(*) > 1) as twice`),
      ledgerEntriesPerReceipt: await one(sql`select count(*) as n from (select
        reference->>'providerReceipt' from ledger_entry where code in
        ('RECEIPT_ALLOCATED_TO_INVOICE', 'RECEIPT_CREDITED_TO_PAYER', 'RECEIPT_HELD_IN_SUSPENSE')
        group by 1 having count(*) > 1) as twice`),
      invoicesPaidTwice: await one(sql`select count(*) as n from (select invoice_id
        from payment_allocation group by invoice_id having count(*) > 1) as twice`),
      acknowledgedButMissing: acknowledged.length - recorded.rows.length,
    };
  } finally {
    await handle.close();
  }
}

async function databaseVersion(database: BenchDatabase): Promise<string> {
  const handle = await database.open();
  try {
    const row = await sql<{ v: string }>`select version() as v`.execute(handle.db);
    const version = (row.rows[0]?.v ?? 'unknown').split(' on ')[0] ?? 'unknown';
    return database.kind === 'pglite' ? `PGlite (${version}, in the app process)` : version;
  } finally {
    await handle.close();
  }
}

type Running = Readonly<{ urls: string[]; pids: number[]; databaseName: string | undefined }>;

async function loadSteps(options: LadderOptions, apps: Running, references: readonly string[]):
  Promise<{ steps: StepResult[]; acknowledged: string[] }> {
  const { seconds, startRate, p99TargetMs, log } = options;
  const timeoutMs = (seconds + 60) * 1000;
  const steps: StepResult[] = [];
  const acknowledged: string[] = [];
  const plan = (rate: number, span: number, used: number, prefix: string, seed: number):
    SenderPlan => ({ urls: apps.urls, ratePerSecond: rate, seconds: span,
    references: references.slice(used, used + Math.ceil(rate * span)),
    receiptPrefix: `${prefix}${randomBytes(2).toString('hex').toUpperCase()}`,
    replayShare: 0.2, unknownShare: 0.02, seed });
  // A warm-up, not measured: the app compiles its hot paths and fills its connection pool.
  log(`warm-up: ${startRate} confirmations/s for ${warmUpSeconds} s`);
  const warmUp = await runSender(plan(startRate, warmUpSeconds, 0, 'W', 999), options.folder,
    timeoutMs);
  acknowledged.push(...warmUp.freshReceipts);
  let used = Math.ceil(startRate * warmUpSeconds);
  for (const [index, rate] of ratesPlanned(options).entries()) {
    const stepPlan = plan(rate, seconds, used, `S${index}`, 1_000 + index);
    used += Math.ceil(rate * seconds);
    log(`step ${index + 1}: ${rate} confirmations/s for ${seconds} s`);
    const probe = await startStepProbe(apps.pids, apps.databaseName);
    const report = await runSender(stepPlan, options.folder, timeoutMs);
    const cost = await probe.stop();
    const { freshReceipts, ...rest } = report;
    acknowledged.push(...freshReceipts);
    const passed = report.failed === 0 && report.p99Ms <= p99TargetMs;
    log(`  p50 ${report.p50Ms.toFixed(1)} ms, p99 ${report.p99Ms.toFixed(1)} ms, ` +
      `${report.achievedPerSecond.toFixed(0)}/s acknowledged, ${report.failed} failed, ` +
      `send lag p99 ${report.sendLagP99Ms.toFixed(1)} ms, load ${cost.loadAverage1m.toFixed(1)}`);
    steps.push({ ratePerSecond: rate, passed, report: rest, cost });
    // One bad step can be a neighbour's burst on a shared machine; two in a row is the limit.
    if (!passed && steps.at(-2)?.passed === false) break;
  }
  return { steps, acknowledged };
}

type App = Readonly<{ child: ChildProcess; port: number }>;

async function startApps(options: LadderOptions, database: BenchDatabase, token: string):
  Promise<App[]> {
  const apps: App[] = [];
  try {
    // One after another: each migrates at start (a no-op after the first) and fills its pool.
    for (let index = 0; index < options.processes; index += 1) {
      const port = await freePort();
      apps.push({ child: await startApp({ database, port, callbackToken: token }), port });
    }
  } catch (error) {
    await Promise.all(apps.map((app) => stopApp(app.child)));
    throw error;
  }
  return apps;
}

/** Runs one ladder on a fresh database (dropped at the end). */
export async function runLadder(options: LadderOptions): Promise<LadderResult> {
  if (options.kind === 'pglite' && options.processes !== 1) {
    throw new Error('PGlite is embedded in one process: --processes 1 only');
  }
  const invoicesNeeded = ratesPlanned(options).reduce((total, rate) =>
    total + Math.ceil(rate * options.seconds), Math.ceil(options.startRate * warmUpSeconds));
  options.log(`preparing ${invoicesNeeded} invoices on ${options.kind}, ` +
    `${options.processes} app process(es)`);
  const database = await createBenchDatabase(options.kind, 'app');
  try {
    const references = await prepareBenchDatabase(database, invoicesNeeded);
    const version = await databaseVersion(database);
    const token = randomBytes(24).toString('hex');
    const apps = await startApps(options, database, token);
    let outcome: Awaited<ReturnType<typeof loadSteps>>;
    try {
      outcome = await loadSteps(options, {
        urls: apps.map((app) => confirmationUrl(app.port, token)),
        pids: apps.map((app) => app.child.pid ?? 0),
        databaseName: database.url === undefined ? undefined
          : new URL(database.url).pathname.slice(1),
      }, references);
    } finally {
      await Promise.all(apps.map((app) => stopApp(app.child)));
    }
    const doubleCredits = await countDoubleCredits(database, outcome.acknowledged);
    options.log(`double credits: ${JSON.stringify(doubleCredits)}`);
    const best = [...outcome.steps].reverse().find((step) => step.passed);
    return { processes: options.processes, databaseVersion: version, steps: outcome.steps, best,
      doubleCredits };
  } finally {
    await database.drop();
  }
}
