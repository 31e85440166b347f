/**
 * The ingest benchmark's tables in Markdown: per ladder its steps (latency, the generator's
 * lag, the load average at each step's end) and where each step's CPU went; per run its
 * references (pgbench by client count, the bare PGlite loop).
 */
import type { Comparisons } from './comparisons.ts';
import type { LadderResult } from './ladder.ts';
import { cpuPerConfirmation, fastest } from './summary.ts';

export const fixed = (value: number | undefined, digits = 0) =>
  value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : '-';

export function stepsTable(ladder: LadderResult, p99TargetMs: number): string[] {
  return [
    '| offered /s | acknowledged /s | p50 ms | p90 ms | p99 ms | max ms | in flight | ' +
      `send lag p99 ms | failed | p99 <= ${p99TargetMs} ms | load 1 min |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    ...ladder.steps.map(({ ratePerSecond, passed, report, cost }) => `| ${ratePerSecond} | ` +
      `${fixed(report.achievedPerSecond)} | ${fixed(report.p50Ms, 1)} | ` +
      `${fixed(report.p90Ms, 1)} | ${fixed(report.p99Ms, 1)} | ${fixed(report.maxMs, 1)} | ` +
      `${fixed(report.meanInFlight, 1)} | ${fixed(report.sendLagP99Ms, 1)} | ` +
      `${report.failed} | ${passed ? 'yes' : 'no'} | ${fixed(cost.loadAverage1m, 1)} |`),
  ];
}

export function cpuTable(ladder: LadderResult, databaseInApp: boolean): string[] {
  const database = databaseInApp ? 'database (in the app)' : 'database backends';
  return [
    `| offered /s | app ms | ${database} ms | PostgreSQL background ms | sender ms | ` +
      'rest of the machine ms | machine busy | DB connections busy (most at once) | load 1 min |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...ladder.steps.map((step) => {
      const cpu = cpuPerConfirmation(step);
      return `| ${step.ratePerSecond} | ${fixed(cpu?.app, 2)} | ` +
        `${databaseInApp ? '(in app)' : fixed(cpu?.database, 2)} | ` +
        `${databaseInApp ? '-' : fixed(cpu?.postgresBackground, 2)} | ` +
        `${fixed(cpu?.sender, 2)} | ` +
        `${fixed(cpu?.rest, 2)} | ${fixed(step.cost.machineBusyShare * 100)}% | ` +
        `${step.cost.connectionsBusy} (${step.cost.connectionsBusyAtOnceMax}) | ` +
        `${fixed(step.cost.loadAverage1m, 1)} |`;
    }),
  ];
}

export function ladderSection(run: number, ladder: LadderResult, p99TargetMs: number,
  databaseInApp: boolean): string[] {
  const best = ladder.best;
  const credits = ladder.doubleCredits;
  return [
    `#### Run ${run}, ${ladder.processes} app process${ladder.processes === 1 ? '' : 'es'}`,
    '',
    ...stepsTable(ladder, p99TargetMs),
    '',
    best === undefined
      ? `No rate met p99 <= ${p99TargetMs} ms.`
      : `Highest sustained rate with p99 <= ${p99TargetMs} ms: **${best.ratePerSecond} ` +
        `confirmations/s** (${best.report.fresh} fresh, ${best.report.replays} replays, ` +
        `${best.report.unknown} unknown references in that step). Double credits, counted in ` +
        `the database after the ladder: ${credits.paymentsPerReceipt +
          credits.ledgerEntriesPerReceipt + credits.invoicesPaidTwice} (payments per receipt > ` +
        `1: ${credits.paymentsPerReceipt}; ledger receipt entries per receipt > 1: ` +
        `${credits.ledgerEntriesPerReceipt}; invoices allocated twice: ` +
        `${credits.invoicesPaidTwice}); acknowledged but not recorded: ` +
        `${credits.acknowledgedButMissing}.`,
    '',
    'CPU per confirmation answered (ms), by party, over each step:',
    '',
    ...cpuTable(ladder, databaseInApp),
  ];
}

export function referencesSection(run: number, comparisons: Comparisons): string[] {
  if (comparisons.loop !== undefined) {
    const loop = comparisons.loop;
    return [`#### Run ${run}: the bare PGlite loop`, '',
      `The same per-payment transaction in a loop in the bench process (bench/ingest/` +
      `pglite-loop.ts): **${fixed(loop.transactionsPerSecond)} transactions/s** ` +
      `(${loop.transactions} in ${fixed(loop.seconds, 1)} s` +
      `${loop.ranOut ? ', stopped when the prepared invoices ran out' : ''}).`];
  }
  const best = fastest(comparisons.statements);
  const row = (report: Comparisons['statements'][number], marked: boolean) =>
    `| ${report.clients} | ${marked ? '**' : ''}${fixed(report.transactionsPerSecond)}` +
    `${marked ? '**' : ''} | ${report.failed ? 'errors (see the log)' : ''} |`;
  return [
    `#### Run ${run}: pgbench, fresh databases on the same server`, '',
    'The platform\'s per-payment transaction (bench/ingest/pgbench.ts), best in bold:', '',
    '| clients | transactions/s | |', '| ---: | ---: | --- |',
    ...comparisons.statements.map((report) => row(report, report === best)), '',
    'A one-row insert into a one-table database (the commit limit):', '',
    '| clients | transactions/s | |', '| ---: | ---: | --- |',
    ...comparisons.oneRow.map((report) => row(report, false)),
  ];
}
