/**
 * The ingest benchmark's arithmetic, kept pure so it is tested: issue 14's ratios from one
 * run's ladders and references, CPU per confirmation by party, and the spread over runs.
 */
import type { LadderResult } from './ladder.ts';
import type { PgbenchReport } from './pgbench.ts';
import type { StepResult } from './report.ts';

/**
 * The app's database concurrency: the most distinct database connections its ingest kept busy
 * (active or inside a transaction, sampled from pg_stat_activity) in any step of the ladder,
 * which by design is its ingest lanes x processes once the load needs them all (at a light
 * step fewer are seen). Undefined when no step passed. PGlite has one connection.
 */
export function databaseConcurrency(ladder: LadderResult): number | undefined {
  if (ladder.best === undefined) return undefined;
  return Math.max(1, ...ladder.steps.map((step) => step.cost.connectionsBusy));
}

/** The report with the most transactions/s (pgbench at its best client count). */
export function fastest(reports: readonly PgbenchReport[]): PgbenchReport | undefined {
  return reports.filter((report) => !report.failed).reduce<PgbenchReport | undefined>(
    (best, report) => best === undefined ||
      report.transactionsPerSecond > best.transactionsPerSecond ? report : best, undefined);
}

export function atClients(reports: readonly PgbenchReport[], clients: number | undefined):
  PgbenchReport | undefined {
  return reports.find((report) => report.clients === clients && !report.failed);
}

const ratio = (rate: number | undefined, reference: number | undefined) =>
  rate === undefined || reference === undefined || reference <= 0 ? undefined : rate / reference;

export type Ratios = Readonly<{
  /** Confirmations/s at p99 <= target, over pgbench of the same statements at its best. */
  statements: number | undefined;
  /** The same, over pgbench of a one-row insert at the app's database concurrency. */
  oneRow: number | undefined;
  /** PGlite: over the bare loop of the same statements in one process. */
  loop: number | undefined;
}>;

export function ratios(ladder: LadderResult, references: Readonly<{
  statements: readonly PgbenchReport[]; oneRow: readonly PgbenchReport[];
  loop: Readonly<{ transactionsPerSecond: number }> | undefined }>): Ratios {
  const rate = ladder.best?.ratePerSecond;
  return {
    statements: ratio(rate, fastest(references.statements)?.transactionsPerSecond),
    oneRow: ratio(rate, atClients(references.oneRow, databaseConcurrency(ladder))
      ?.transactionsPerSecond),
    loop: ratio(rate, references.loop?.transactionsPerSecond),
  };
}

export type CpuPerConfirmation = Readonly<{
  app: number; database: number; postgresBackground: number; sender: number;
  /** Everything else the machine ran meanwhile (other work sharing it, this runner). */
  rest: number;
}>;

/** CPU ms per confirmation answered 200 (fresh, replays and unknown references alike). */
export function cpuPerConfirmation(step: StepResult): CpuPerConfirmation | undefined {
  const answered = step.report.ok;
  if (answered === 0) return undefined;
  const { appCpuMs, databaseCpuMs, postgresBackgroundCpuMs, machineCpuMs } = step.cost;
  const senderCpuMs = step.report.cpuMs;
  const rest = machineCpuMs - appCpuMs - databaseCpuMs - postgresBackgroundCpuMs - senderCpuMs;
  return { app: appCpuMs / answered, database: databaseCpuMs / answered,
    postgresBackground: postgresBackgroundCpuMs / answered, sender: senderCpuMs / answered,
    rest: Math.max(0, rest) / answered };
}

/**
 * The rate the machine's cores could hold if the platform's own parties (app, database
 * backends and background, sender) had them all, at the step's CPU cost per confirmation.
 */
export function cpuLimitPerSecond(cpu: CpuPerConfirmation | undefined, cores: number):
  number | undefined {
  if (cpu === undefined) return undefined;
  const platformMs = cpu.app + cpu.database + cpu.postgresBackground + cpu.sender;
  return platformMs <= 0 ? undefined : (cores * 1000) / platformMs;
}

export type Spread = Readonly<{ min: number; median: number; max: number; count: number }>;

/** Min, median and max of the values that exist (a run with no passing step has none). */
export function spread(values: readonly (number | undefined)[]): Spread | undefined {
  const sorted = values.filter((value): value is number => value !== undefined &&
    Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] ?? 0
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { min: sorted[0] ?? 0, median, max: sorted.at(-1) ?? 0, count: sorted.length };
}
