/**
 * The references a run's platform figures are divided by, measured in the same run after its
 * ladders, each on a fresh database of the same PostgreSQL server: pgbench of the platform's
 * per-payment transaction at 1, 2, 4, 8 and 16 clients and at each ladder's mean in-flight
 * requests (the best of them is goal (a)'s denominator), and pgbench of a one-row insert (the
 * commit limit) at 1 client, at each ladder's database concurrency (summary.ts: goal (b)'s
 * denominator) and at its in-flight count. On PGlite: the bare loop of the same transaction,
 * in this process.
 */
import { createBenchDatabase, prepareBenchDatabase, type BenchDatabase } from './bench-db.ts';
import type { LadderResult } from './ladder.ts';
import {
  oneRowInsertScript,
  prepareOneRowInsert,
  preparePgbench,
  runPgbench,
  type PgbenchReport,
} from './pgbench.ts';
import { runPgliteLoop, type LoopReport } from './pglite-loop.ts';
import { databaseConcurrency } from './summary.ts';

export type Comparisons = Readonly<{
  /** pgbench of the same per-payment statements, by client count. */
  statements: readonly PgbenchReport[];
  /** pgbench of a one-row insert, by client count. */
  oneRow: readonly PgbenchReport[];
  /** PGlite only: the bare loop of the same statements in the bench process. */
  loop: LoopReport | undefined;
}>;

/** More clients than this would crowd a shared server's connection limit (100). */
const clientsMax = 48;
const sweep = [1, 2, 4, 8, 16];

const inFlightOf = (ladder: LadderResult) =>
  ladder.best === undefined ? undefined : Math.max(1, Math.ceil(ladder.best.report.meanInFlight));

function clientCounts(values: readonly (number | undefined)[]): number[] {
  return [...new Set(values.filter((value) => value !== undefined)
    .map((value) => Math.min(clientsMax, value)))].sort((a, b) => a - b);
}

/** pgbench of one script at each client count, on a database made and dropped around it. */
async function sweepPgbench(what: 'the per-payment transaction' | 'a one-row insert',
  counts: readonly number[], seconds: number, log: (text: string) => void,
  prepare: (database: BenchDatabase, url: string) => Promise<void>, script?: string):
  Promise<PgbenchReport[]> {
  const database = await createBenchDatabase('postgres',
    what === 'a one-row insert' ? 'onerow' : 'pgbench');
  try {
    if (database.url === undefined) throw new Error('pgbench needs PostgreSQL');
    await prepare(database, database.url);
    const reports: PgbenchReport[] = [];
    for (const clients of counts) {
      log(`pgbench, ${what}: ${clients} client(s) for ${seconds} s`);
      const report = await runPgbench(database.url, clients, seconds, script);
      if (report.failed) log(report.output.slice(-2_000));
      log(`  ${report.transactionsPerSecond.toFixed(0)} transactions/s`);
      reports.push(report);
    }
    return reports;
  } finally {
    await database.drop();
  }
}

const sweepStatements = (counts: readonly number[], seconds: number, invoices: number,
  log: (text: string) => void) => sweepPgbench('the per-payment transaction', counts, seconds,
  log, async (database, url) => {
    await prepareBenchDatabase(database, invoices);
    await preparePgbench(url);
  });

const sweepOneRow = (counts: readonly number[], seconds: number,
  log: (text: string) => void) => sweepPgbench('a one-row insert', counts, seconds, log,
  (_database, url) => prepareOneRowInsert(url), oneRowInsertScript);

/** Measures the run's references after its ladders (the apps stopped, the machine as quiet). */
export async function measureComparisons(ladders: readonly LadderResult[], options: Readonly<{
  kind: 'postgres' | 'pglite'; seconds: number; log: (text: string) => void }>):
  Promise<Comparisons> {
  if (options.kind === 'pglite') {
    options.log(`bare PGlite loop of the per-payment transaction for ${options.seconds} s`);
    const loop = await runPgliteLoop(options.seconds);
    options.log(`  ${loop.transactionsPerSecond.toFixed(0)} transactions/s`);
    return { statements: [], oneRow: [], loop };
  }
  const inFlight = ladders.map(inFlightOf);
  const statementCounts = clientCounts([...sweep, ...inFlight]);
  // Each transaction pays a different invoice (pgbench stops a client that finds none): enough
  // for a sweep faster than the platform's best (15,000 invoices take about a second to make).
  const bestRate = Math.max(...ladders.map((ladder) => ladder.best?.ratePerSecond ?? 0));
  const invoices = Math.ceil(Math.max(1_000, bestRate * 1.5) * options.seconds *
    statementCounts.length);
  const statements = await sweepStatements(statementCounts, options.seconds, invoices,
    options.log);
  const oneRowCounts = clientCounts([1, ...ladders.map(databaseConcurrency), ...inFlight]);
  const oneRow = await sweepOneRow(oneRowCounts, options.seconds, options.log);
  return { statements, oneRow, loop: undefined };
}
