/**
 * The ingest benchmark's section of BENCHMARKS.md: one block per database kind, between its own
 * markers, so a run replaces only its own lines and never what others wrote there.
 */
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repositoryRoot } from './bench-db.ts';
import type { SenderReport } from './load-sender.ts';
import type { PgbenchReport } from './pgbench.ts';

export type StepResult = Readonly<{ ratePerSecond: number; passed: boolean;
  report: Omit<SenderReport, 'freshReceipts'> }>;

export type DoubleCredits = Readonly<{
  /** Receipts with more than one payment row. */
  paymentsPerReceipt: number;
  /** Receipts in more than one standing receipt entry of the ledger. */
  ledgerEntriesPerReceipt: number;
  /** Invoices that took more than one allocation (each was paid by one receipt). */
  invoicesPaidTwice: number;
  /** Fresh receipts answered 200 but not recorded. */
  acknowledgedButMissing: number;
}>;

export type IngestRun = Readonly<{
  kind: 'postgres' | 'pglite';
  command: string;
  machine: string;
  p99TargetMs: number;
  steps: readonly StepResult[];
  best: StepResult | undefined;
  doubleCredits: DoubleCredits;
  pgbench: readonly PgbenchReport[];
}>;

export function describeMachine(databaseVersion: string): string {
  return `${os.availableParallelism()} CPU (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ` +
    `${Math.round(os.totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}, ` +
    `${databaseVersion}; load average at start ${os.loadavg().map((v) => v.toFixed(1))
      .join(' ')}; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const fixed = (value: number, digits = 0) => Number.isFinite(value) ? value.toFixed(digits) : '-';

export function renderRun(run: IngestRun): string {
  const lines = [
    `### ${run.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}`,
    '',
    `\`${run.command}\`. ${run.machine}.`,
    '',
    '| offered /s | acknowledged /s | p50 ms | p90 ms | p99 ms | max ms | in flight | ' +
      `failed | p99 <= ${run.p99TargetMs} ms |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...run.steps.map(({ ratePerSecond, passed, report }) => `| ${ratePerSecond} | ` +
      `${fixed(report.achievedPerSecond)} | ${fixed(report.p50Ms, 1)} | ` +
      `${fixed(report.p90Ms, 1)} | ${fixed(report.p99Ms, 1)} | ${fixed(report.maxMs, 1)} | ` +
      `${fixed(report.meanInFlight, 1)} | ${report.failed} | ${passed ? 'yes' : 'no'} |`),
    '',
  ];
  const best = run.best;
  lines.push(best === undefined
    ? `No rate met p99 <= ${run.p99TargetMs} ms.`
    : `Highest sustained rate with p99 <= ${run.p99TargetMs} ms: **${best.ratePerSecond} ` +
      `confirmations/s** (${best.report.fresh} fresh, ${best.report.replays} replays, ` +
      `${best.report.unknown} unknown references in that step).`);
  const credits = run.doubleCredits;
  lines.push('', `Double credits, counted in the database after the run: ` +
    `${credits.paymentsPerReceipt + credits.ledgerEntriesPerReceipt + credits.invoicesPaidTwice}` +
    ` (payments per receipt > 1: ${credits.paymentsPerReceipt}; ledger receipt entries per ` +
    `receipt > 1: ${credits.ledgerEntriesPerReceipt}; invoices allocated twice: ` +
    `${credits.invoicesPaidTwice}). Acknowledged but not recorded: ` +
    `${credits.acknowledgedButMissing}.`);
  for (const pgbench of run.pgbench) {
    const ratio = best === undefined || pgbench.transactionsPerSecond === 0 ? '-'
      : (best.ratePerSecond / pgbench.transactionsPerSecond).toFixed(2);
    lines.push('', `pgbench, the same per-payment transaction (bench/ingest/pgbench.ts), ` +
      `${pgbench.clients} client(s), fresh database on the same server: ` +
      `**${fixed(pgbench.transactionsPerSecond)} transactions/s**` +
      `${pgbench.failed ? ' (pgbench reported errors)' : ''}; platform / pgbench = **${ratio}**.`);
  }
  return lines.join('\n');
}

/** Replaces this kind's block in BENCHMARKS.md (adding the section the first time). */
export async function writeRun(run: IngestRun): Promise<void> {
  const file = path.join(repositoryRoot, 'BENCHMARKS.md');
  const text = await readFile(file, 'utf8');
  const start = `<!-- bench:ingest:${run.kind} -->`;
  const end = `<!-- /bench:ingest:${run.kind} -->`;
  const block = `${start}\n${renderRun(run)}\n${end}`;
  const heading = '## Payment ingest: C2B confirmations end to end';
  let next: string;
  if (text.includes(start) && text.includes(end)) {
    next = text.slice(0, text.indexOf(start)) + block + text.slice(text.indexOf(end) + end.length);
  } else if (text.includes(heading)) {
    const at = text.indexOf(heading) + heading.length;
    const sectionEnd = text.indexOf('\n## ', at);
    const insertAt = sectionEnd === -1 ? text.length : sectionEnd;
    next = `${text.slice(0, insertAt).trimEnd()}\n\n${block}\n${text.slice(insertAt)}`;
  } else {
    next = `${text.trimEnd()}\n\n${heading}\n\n${block}\n`;
  }
  await writeFile(file, next);
}
