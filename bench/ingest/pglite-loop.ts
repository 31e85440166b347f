/**
 * `npm run bench:ingest:pglite-loop -- [--seconds 15]`: the bare PGlite loop issue 14's PGlite
 * goal is measured against (bench:ingest --database pglite runs it too). A PGlite database
 * prepared like the app's (bench-db.ts: migrated, the same agency, service, payer and open
 * invoices) is opened in this process with the app's options (data folder, extensions, int8 as
 * bigint), and the platform's per-payment transaction (pgbench.ts's script, read by
 * pgbench-script.ts: statement for statement, one payment per transaction) runs in a loop for
 * the given seconds: no HTTP, no Kysely, no batching, one statement after another through
 * PGlite's own query call. "In the same process" means the loop and the database share one
 * Node process and its event loop, the way the app runs PGlite inside its own process; in
 * bench:ingest the loop runs in the bench process after the app has stopped. Like pgbench, it
 * runs as the tables' owner. Prints transactions/s as JSON.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { createBenchDatabase, prepareBenchDatabase } from './bench-db.ts';
import { paymentTransactionPreparation, paymentTransactionScript } from './pgbench.ts';
import { parameterValues, parsePgbenchScript } from './pgbench-script.ts';

export type LoopReport = Readonly<{
  transactions: number;
  seconds: number;
  transactionsPerSecond: number;
  /** The loop ran out of prepared invoices before its time was up (its rate still holds). */
  ranOut: boolean;
}>;

/** Invoices prepared per second of loop: above what one process has done (about 1,000/s). */
const invoicesPerSecond = 2_500;

/**
 * Runs the per-payment transaction until `seconds` pass or the prepared invoices run out, on a
 * database prepared by bench-db.ts and paymentTransactionPreparation.
 */
export async function runPaymentTransactions(pglite: PGlite, seconds: number): Promise<
  Omit<LoopReport, 'seconds' | 'transactionsPerSecond'> & { elapsedSeconds: number }> {
  const commands = parsePgbenchScript(paymentTransactionScript);
  const variables = new Map<string, string>();
  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1000;
  let transactions = 0;
  let ranOut = false;
  while (!ranOut && performance.now() < deadline) {
    for (const command of commands) {
      const result = await pglite.query<Record<string, unknown>>(command.text,
        parameterValues(command, variables));
      if (!command.storesRow) continue;
      const row = result.rows[0];
      // Only the invoice lookup before BEGIN can find no row: every invoice is paid.
      if (row === undefined) {
        ranOut = true;
        break;
      }
      for (const [name, value] of Object.entries(row)) variables.set(name, String(value));
    }
    if (!ranOut) transactions += 1;
  }
  return { transactions, ranOut, elapsedSeconds: (performance.now() - startedAt) / 1000 };
}

/** Opens a bench database's folder as src/platform/db/database.ts opens it for the app. */
export function openLikeTheApp(directory: string): Promise<PGlite> {
  return PGlite.create({ dataDir: path.resolve(directory, 'pgdata'),
    extensions: { pg_trgm, unaccent },
    parsers: { [pgliteTypes.INT8]: (value: string) => BigInt(value) } });
}

/** Prepares a PGlite database like the app's, runs the loop in this process, drops it. */
export async function runPgliteLoop(seconds: number): Promise<LoopReport> {
  const database = await createBenchDatabase('pglite', 'loop');
  try {
    await prepareBenchDatabase(database, Math.ceil(seconds * invoicesPerSecond));
    const directory = database.env.HUDUMA_DATA_DIR;
    if (directory === undefined) throw new Error('a PGlite bench database has a folder');
    const pglite = await openLikeTheApp(directory);
    try {
      for (const statement of paymentTransactionPreparation) await pglite.exec(statement);
      const outcome = await runPaymentTransactions(pglite, seconds);
      return { transactions: outcome.transactions, seconds: outcome.elapsedSeconds,
        transactionsPerSecond: outcome.transactions / outcome.elapsedSeconds,
        ranOut: outcome.ranOut };
    } finally {
      await pglite.close();
    }
  } finally {
    await database.drop();
  }
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '15' } } });
  const seconds = Math.min(Math.max(Number(values.seconds), 1), 300);
  process.stdout.write(`${JSON.stringify(await runPgliteLoop(seconds))}\n`);
}
