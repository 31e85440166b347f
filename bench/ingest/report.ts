/**
 * The ingest benchmark's section of BENCHMARKS.md: one block per database kind, between its own
 * markers, so a run replaces only its own lines and never what others wrote there. The block
 * opens with issue 14's ratios, one row per run and app process count, and their spread over
 * the runs; then each ladder's steps and each run's references.
 */
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repositoryRoot } from './bench-db.ts';
import type { Comparisons } from './comparisons.ts';
import type { LadderResult } from './ladder.ts';
import type { SenderReport } from './load-sender.ts';
import { fixed, ladderSection, referencesSection } from './report-tables.ts';
import type { StepCost } from './step-probe.ts';
import {
  atClients,
  cpuLimitPerSecond,
  cpuPerConfirmation,
  databaseConcurrency,
  fastest,
  ratios,
  spread,
  type Spread,
} from './summary.ts';

export type StepResult = Readonly<{ ratePerSecond: number; passed: boolean;
  report: Omit<SenderReport, 'freshReceipts'>; cost: StepCost }>;

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

/** One run: a ladder per app process count, then the references they are divided by. */
export type RunResult = Readonly<{ ladders: readonly LadderResult[]; comparisons: Comparisons }>;

export type IngestRun = Readonly<{
  kind: 'postgres' | 'pglite';
  command: string;
  machine: string;
  p99TargetMs: number;
  runs: readonly RunResult[];
}>;

/** The machine, the database and the load average when the benchmark started. */
export function describeMachine(databaseVersion: string,
  startedAt: Readonly<{ loadAverage: readonly number[]; at: Date }>): string {
  return `${os.availableParallelism()} CPU (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ` +
    `${Math.round(os.totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}, ` +
    `${databaseVersion}; load average at start ${startedAt.loadAverage.map((v) => v.toFixed(1))
      .join(' ')}; started ${startedAt.at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const bold = (value: number | undefined) => value === undefined ? '-' : `**${fixed(value, 2)}**`;

const doubleCredits = (ladder: LadderResult) => {
  const credits = ladder.doubleCredits;
  return `${credits.paymentsPerReceipt + credits.ledgerEntriesPerReceipt +
    credits.invoicesPaidTwice}, ${credits.acknowledgedButMissing}`;
};

function summaryRow(index: number, ladder: LadderResult, comparisons: Comparisons): string {
  const best = ladder.best;
  const ratio = ratios(ladder, comparisons);
  const head = `| ${index + 1} | ${ladder.processes} | ${best?.ratePerSecond ?? 'none'} | ` +
    `${fixed(best?.report.p99Ms, 1)} | ${fixed(best?.report.meanInFlight, 1)} | `;
  const cpu = best === undefined ? undefined : cpuPerConfirmation(best);
  const platformCpuMs = cpu === undefined ? undefined
    : cpu.app + cpu.database + cpu.postgresBackground + cpu.sender;
  const tail = `${fixed(platformCpuMs, 2)} (${fixed(cpuLimitPerSecond(cpu,
    os.availableParallelism()))}) | ${doubleCredits(ladder)} | ` +
    `${fixed(best?.cost.loadAverage1m, 1)} |`;
  if (comparisons.loop !== undefined) {
    return `${head}${fixed(comparisons.loop.transactionsPerSecond)} | ` +
      `${bold(ratio.loop)} | ${tail}`;
  }
  const statements = fastest(comparisons.statements);
  const concurrency = databaseConcurrency(ladder);
  const oneRow = atClients(comparisons.oneRow, concurrency);
  return `${head}${concurrency ?? '-'} | ${fixed(statements?.transactionsPerSecond)} ` +
    `(${statements?.clients ?? '-'}) | ${bold(ratio.statements)} | ` +
    `${fixed(oneRow?.transactionsPerSecond)} | ${bold(ratio.oneRow)} | ${tail}`;
}

const spreadText = (value: Spread | undefined, digits: number) => value === undefined ? '-'
  : `${fixed(value.min, digits)} / ${fixed(value.median, digits)} / ${fixed(value.max, digits)}`;

/** Min / median / max over the runs, per app process count, and the scaling between them. */
function spreadLines(run: IngestRun): string[] {
  const counts = [...new Set(run.runs.flatMap((one) => one.ladders.map((l) => l.processes)))];
  const lines: string[] = [];
  for (const processes of counts) {
    const pairs = run.runs.flatMap((one) => one.ladders.filter((l) => l.processes === processes)
      .map((ladder) => ({ ladder, ratio: ratios(ladder, one.comparisons) })));
    const best = spread(pairs.map((pair) => pair.ladder.best?.ratePerSecond));
    const ratioText = run.kind === 'pglite'
      ? `platform / bare loop ${spreadText(spread(pairs.map((pair) => pair.ratio.loop)), 2)}`
      : `(a) ${spreadText(spread(pairs.map((pair) => pair.ratio.statements)), 2)}; ` +
        `(b) ${spreadText(spread(pairs.map((pair) => pair.ratio.oneRow)), 2)}`;
    lines.push(`- ${processes} app process${processes === 1 ? '' : 'es'}, ${pairs.length} ` +
      `run(s), min / median / max: best ${spreadText(best, 0)} confirmations/s; ${ratioText}.`);
  }
  const scaling = (processes: number) => run.runs.map((one) => {
    const rate = (count: number) =>
      one.ladders.find((ladder) => ladder.processes === count)?.best?.ratePerSecond;
    const single = rate(1);
    const many = rate(processes);
    return single === undefined || many === undefined ? undefined : many / single;
  });
  for (const processes of counts.filter((count) => count > 1 && counts.includes(1))) {
    const values = scaling(processes);
    lines.push(`- Scaling, best with ${processes} processes / best with 1 in the same run: ` +
      `${values.map((value) => fixed(value, 2)).join(', ')} (min / median / max ` +
      `${spreadText(spread(values), 2)}).`);
  }
  return lines;
}

export function renderRun(run: IngestRun): string {
  const pglite = run.kind === 'pglite';
  const head = '| run | app processes | best /s at p99 <= ' + `${run.p99TargetMs} ms | p99 ms | ` +
    'in flight | ';
  const tail = 'CPU ms per confirmation: app + database + sender (limit /s on ' +
    `${os.availableParallelism()} cores) | double credits, acknowledged missing | ` +
    'load 1 min at the best step |';
  const lines = [
    `### ${pglite ? 'PGlite' : 'PostgreSQL'}`, '',
    `\`${run.command}\`. ${run.machine}.`, '',
    pglite ? `${head}bare loop /s | platform / bare loop (>= 1.0) | ${tail}`
      : `${head}DB concurrency | pgbench same statements, best /s (clients) | ` +
        `(a) platform / it (>= 2.0) | one-row insert /s at that concurrency | ` +
        `(b) platform / it (>= 0.25) | ${tail}`,
    pglite ? '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |'
      : '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ' +
        '---: |',
    ...run.runs.flatMap((one, index) =>
      one.ladders.map((ladder) => summaryRow(index, ladder, one.comparisons))),
    '',
    ...spreadLines(run),
  ];
  for (const [index, one] of run.runs.entries()) {
    for (const ladder of one.ladders) {
      lines.push('', ...ladderSection(index + 1, ladder, run.p99TargetMs, pglite));
    }
    lines.push('', ...referencesSection(index + 1, one.comparisons));
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
