/**
 * `npm run bench:ingest -- --database postgres|pglite --rate N --seconds S [--steps K]
 *   [--factor F] [--p99 MS] [--processes 1,3] [--runs R] [--reference-seconds S] [--no-write]`
 *
 * Payment ingest end to end (issue 14's goals). Each run, for each app process count: a fresh
 * database with enough open invoices, the app in that many child processes (each its own port),
 * and C2B confirmations fired at them round robin from another child process at a fixed arrival
 * rate (20% replays, 2% unknown references), the rate rising by `factor` each step until two
 * steps in a row miss the p99 target (or `steps` ran); the result is the highest rate that met
 * it. Double credits are counted in the database after each ladder (must be 0). Then the run's
 * references, on fresh databases of the same server: on PostgreSQL pgbench of the same
 * per-payment transaction at 1, 2, 4, 8, 16 clients and the ladders' in-flight counts, and of
 * a one-row insert at 1 client, the ladders' database concurrency and in-flight counts; on
 * PGlite the bare loop of the same transaction in this process. `runs` repeats all of it with
 * fresh databases. Writes BENCHMARKS.md (with --no-write, prints the Markdown instead).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DatabaseKind } from '#platform/db/index.ts';
import { measureComparisons } from './comparisons.ts';
import { runLadder, type LadderResult } from './ladder.ts';
import {
  describeMachine,
  renderRun,
  writeRun,
  type IngestRun,
  type RunResult,
} from './report.ts';
import { ratios } from './summary.ts';

const { values: args } = parseArgs({ options: {
  database: { type: 'string', default: 'postgres' },
  rate: { type: 'string', default: '100' },
  seconds: { type: 'string', default: '15' },
  steps: { type: 'string', default: '6' },
  factor: { type: 'string', default: '1.4' },
  p99: { type: 'string', default: '100' },
  processes: { type: 'string', default: '1' },
  runs: { type: 'string', default: '1' },
  'reference-seconds': { type: 'string' },
  'no-write': { type: 'boolean', default: false },
} });
const kind: DatabaseKind = args.database === 'pglite' ? 'pglite' : 'postgres';
const seconds = Number(args.seconds);
const processCounts = [...new Set(args.processes.split(',').map(Number))]
  .filter((count) => Number.isInteger(count) && count >= 1 && count <= 8);
const runsCount = Math.min(Math.max(Number(args.runs), 1), 5);
const referenceSeconds = Number(args['reference-seconds'] ?? args.seconds);
const log = (text: string) => process.stderr.write(`bench:ingest ${text}\n`);

function command(): string {
  return `npm run bench:ingest -- --database ${kind} --rate ${args.rate} --seconds ` +
    `${args.seconds} --steps ${args.steps} --factor ${args.factor}` +
    `${args.p99 === '100' ? '' : ` --p99 ${args.p99}`}` +
    `${processCounts.join(',') === '1' ? '' : ` --processes ${processCounts.join(',')}`}` +
    `${runsCount === 1 ? '' : ` --runs ${runsCount}`}` +
    `${args['reference-seconds'] === undefined ? ''
      : ` --reference-seconds ${args['reference-seconds']}`}`;
}

async function oneRun(index: number, folder: string): Promise<RunResult> {
  const ladders: LadderResult[] = [];
  for (const processes of processCounts) {
    log(`run ${index + 1} of ${runsCount}: ${processes} app process(es)`);
    ladders.push(await runLadder({
      kind, processes, startRate: Number(args.rate), seconds,
      stepsMax: Math.min(Number(args.steps), 12), factor: Number(args.factor),
      p99TargetMs: Number(args.p99), folder, log,
    }));
  }
  const comparisons = await measureComparisons(ladders, { kind, seconds: referenceSeconds, log });
  for (const ladder of ladders) {
    const ratio = ratios(ladder, comparisons);
    log(`run ${index + 1}, ${ladder.processes} process(es): best ` +
      `${ladder.best?.ratePerSecond ?? 'none'}/s; ratios ${JSON.stringify(ratio)}`);
  }
  return { ladders, comparisons };
}

async function main(): Promise<void> {
  if (processCounts.length === 0) throw new Error('--processes: counts from 1 to 8, e.g. 1,3');
  if (kind === 'pglite' && processCounts.some((count) => count !== 1)) {
    throw new Error('PGlite is embedded in the app\'s one process: --processes 1 only');
  }
  const folder = await mkdtemp(path.join(os.tmpdir(), 'huduma-bench-ingest-'));
  try {
    const startedAt = { loadAverage: os.loadavg(), at: new Date() };
    const runs: RunResult[] = [];
    for (let index = 0; index < runsCount; index += 1) runs.push(await oneRun(index, folder));
    const machine = describeMachine(runs[0]?.ladders[0]?.databaseVersion ?? 'unknown', startedAt);
    const result: IngestRun = { kind, command: command(), machine, p99TargetMs: Number(args.p99),
      runs };
    if (args['no-write']) process.stdout.write(`${renderRun(result)}\n\n`);
    else await writeRun(result);
    process.stdout.write(`${JSON.stringify(runs.map((run) => run.ladders.map((ladder) => ({
      processes: ladder.processes, best: ladder.best?.ratePerSecond, ...ratios(ladder,
        run.comparisons), doubleCredits: ladder.doubleCredits }))))}\n`);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

await main();
