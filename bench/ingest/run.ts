/**
 * `npm run bench:ingest -- --database postgres|pglite --rate N --seconds S [--steps K]
 *   [--factor F] [--p99 MS] [--no-write]`
 *
 * Payment ingest end to end: prepares a fresh database with enough open invoices, starts the
 * app in a child process, and fires C2B confirmations at it from another child process at a
 * fixed arrival rate (20% replays, 2% unknown references), raising the rate by `factor` each
 * step until two steps in a row miss the p99 target (or `steps` ran); the result is the
 * highest rate that met it. Then counts double credits in the database
 * (must be 0) and, on PostgreSQL, runs pgbench with the same per-payment transaction at the
 * same concurrency on a fresh database of the same server. Writes BENCHMARKS.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { DatabaseKind } from '#platform/db/index.ts';
import { createBenchDatabase, prepareBenchDatabase, type BenchDatabase } from './bench-db.ts';
import {
  confirmationUrl as appConfirmationUrl,
  runSender as runSenderProcess,
  startApp,
  stopApp,
} from './app-process.ts';
import type { SenderPlan, SenderReport } from './load-sender.ts';
import { preparePgbench, runPgbench, type PgbenchReport } from './pgbench.ts';
import { describeMachine, writeRun, type DoubleCredits, type StepResult } from './report.ts';

const { values: args } = parseArgs({ options: {
  database: { type: 'string', default: 'postgres' },
  rate: { type: 'string', default: '100' },
  seconds: { type: 'string', default: '15' },
  steps: { type: 'string', default: '6' },
  factor: { type: 'string', default: '1.4' },
  p99: { type: 'string', default: '100' },
  'no-write': { type: 'boolean', default: false },
} });
const kind: DatabaseKind = args.database === 'pglite' ? 'pglite' : 'postgres';
const startRate = Number(args.rate);
const seconds = Number(args.seconds);
const stepsMax = Math.min(Number(args.steps), 12);
const factor = Number(args.factor);
const p99TargetMs = Number(args.p99);
const token = randomBytes(24).toString('hex');
const port = 43_000 + (process.pid % 1_000);
/** Every child is killed after this, whatever happens: a benchmark never hangs. */
const stepTimeoutMs = (seconds + 60) * 1000;
const warmUpSeconds = 5;
const confirmationUrl = appConfirmationUrl(port, token);

const log = (text: string) => process.stderr.write(`bench:ingest ${text}\n`);

function ratesPlanned(): number[] {
  return Array.from({ length: stepsMax }, (_, index) => Math.round(startRate * factor ** index));
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
    return kind === 'pglite' ? `PGlite (${version}, in the app process)` : version;
  } finally {
    await handle.close();
  }
}

const runSender = (plan: SenderPlan, folder: string): Promise<SenderReport> =>
  runSenderProcess(plan, folder, stepTimeoutMs);

async function loadSteps(references: readonly string[], folder: string):
  Promise<{ steps: StepResult[]; acknowledged: string[] }> {
  const steps: StepResult[] = [];
  const acknowledged: string[] = [];
  // A warm-up, not measured: the app compiles its hot paths and fills its connection pool.
  const warmUpCount = Math.min(references.length, Math.ceil(startRate * warmUpSeconds));
  log(`warm-up: ${startRate} confirmations/s for ${warmUpSeconds} s`);
  const warmUp = await runSender({ url: confirmationUrl, ratePerSecond: startRate,
    seconds: warmUpSeconds, references: references.slice(0, warmUpCount),
    receiptPrefix: `W${randomBytes(2).toString('hex').toUpperCase()}`, replayShare: 0.2,
    unknownShare: 0.02, seed: 999 }, folder);
  acknowledged.push(...warmUp.freshReceipts);
  let used = warmUpCount;
  for (const [index, rate] of ratesPlanned().entries()) {
    const needed = Math.ceil(rate * seconds);
    const plan: SenderPlan = {
      url: confirmationUrl,
      ratePerSecond: rate, seconds, references: references.slice(used, used + needed),
      receiptPrefix: `S${index}${randomBytes(2).toString('hex').toUpperCase()}`,
      replayShare: 0.2, unknownShare: 0.02, seed: 1_000 + index,
    };
    used += needed;
    log(`step ${index + 1}: ${rate} confirmations/s for ${seconds} s`);
    const report = await runSender(plan, folder);
    const { freshReceipts, ...rest } = report;
    acknowledged.push(...freshReceipts);
    const passed = report.failed === 0 && report.p99Ms <= p99TargetMs;
    log(`  p50 ${report.p50Ms.toFixed(1)} ms, p99 ${report.p99Ms.toFixed(1)} ms, ` +
      `${report.achievedPerSecond.toFixed(0)}/s acknowledged, ${report.failed} failed`);
    steps.push({ ratePerSecond: rate, passed, report: rest });
    // One bad step can be a neighbour's burst on a shared machine; two in a row is the limit.
    if (!passed && steps.at(-2)?.passed === false) break;
  }
  return { steps, acknowledged };
}

async function main(): Promise<void> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'huduma-bench-ingest-'));
  const invoicesNeeded = ratesPlanned().reduce((total, rate) => total + Math.ceil(rate * seconds),
    Math.ceil(startRate * warmUpSeconds));
  log(`preparing ${invoicesNeeded} invoices on ${kind}`);
  const database = await createBenchDatabase(kind, 'app');
  const pgbenchReports: PgbenchReport[] = [];
  try {
    const references = await prepareBenchDatabase(database, invoicesNeeded);
    const machine = describeMachine(await databaseVersion(database));
    const server = await startApp({ database, port, callbackToken: token });
    let outcome: Awaited<ReturnType<typeof loadSteps>>;
    try {
      outcome = await loadSteps(references, folder);
    } finally {
      await stopApp(server);
    }
    const doubleCredits = await countDoubleCredits(database, outcome.acknowledged);
    log(`double credits: ${JSON.stringify(doubleCredits)}`);
    const best = [...outcome.steps].reverse().find((step) => step.passed);
    if (kind === 'postgres') pgbenchReports.push(...await comparePgbench(best));
    const run = {
      kind, machine, p99TargetMs, steps: outcome.steps, best, doubleCredits,
      pgbench: pgbenchReports,
      command: `npm run bench:ingest -- --database ${kind} --rate ${startRate} --seconds ` +
        `${seconds} --steps ${stepsMax} --factor ${factor}`,
    };
    if (!args['no-write']) await writeRun(run);
    process.stdout.write(`${JSON.stringify({ best: best?.ratePerSecond, doubleCredits,
      pgbench: pgbenchReports.map((r) => [r.clients, r.transactionsPerSecond]) })}\n`);
  } finally {
    await database.drop();
    await rm(folder, { recursive: true, force: true });
  }
}

/** pgbench at the platform's concurrency: its mean requests in flight, and its DB lanes. */
async function comparePgbench(best: StepResult | undefined): Promise<PgbenchReport[]> {
  const inFlight = Math.max(1, Math.ceil(best?.report.meanInFlight ?? 1));
  const clientCounts = [...new Set([inFlight, 4])].sort((a, b) => a - b);
  const database = await createBenchDatabase('postgres', 'pgbench');
  try {
    // Enough invoices for a fast pgbench: each transaction pays a different one.
    await prepareBenchDatabase(database, Math.max(30_000, (best?.ratePerSecond ?? 100) *
      seconds * 4 * clientCounts.length));
    if (database.url === undefined) throw new Error('pgbench needs PostgreSQL');
    await preparePgbench(database.url);
    const reports: PgbenchReport[] = [];
    for (const clients of clientCounts) {
      log(`pgbench: ${clients} client(s) for ${seconds} s`);
      const report = await runPgbench(database.url, clients, seconds);
      if (report.failed) log(report.output.slice(-2_000));
      log(`  ${report.transactionsPerSecond.toFixed(0)} transactions/s`);
      reports.push(report);
    }
    return reports;
  } finally {
    await database.drop();
  }
}

await main();
