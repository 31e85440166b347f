/**
 * `huduma reconcile --file statement.csv [--shortcode 222222]` and
 * `huduma reconcile --pull --from YYYY-MM-DD --to YYYY-MM-DD`: imports the paybill statement
 * (streamed from the file) or the provider's transactions for Kenya days, reconciles them, and
 * prints the run's report. Progress on stderr. Exit code 0 when there is nothing to look at,
 * 1 when the run has findings or was refused, 2 for a usage mistake.
 */
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { reconcilePull, reconcileStatementCsv, type RunReport } from
  '#modules/reconciliation/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { startProgress } from '#platform/progress.ts';
import type { CliCommand } from './cli-command.ts';
import { withDatabase } from './cli-context.ts';

const usage = 'huduma reconcile --file <statement.csv> [--shortcode <paybill>]\n' +
  '       huduma reconcile --pull --from <YYYY-MM-DD> --to <YYYY-MM-DD>';
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const kenyaOffsetMs = 3 * 3_600_000;

function minor(amountMinor: bigint): string {
  return `${(amountMinor / 100n).toString()}.${(amountMinor % 100n).toString().padStart(2, '0')}`;
}

/** The report as text: the run, then counts and amounts per class and per finding. */
export function describeRun(report: RunReport): string {
  const { run } = report;
  const lines = [`run ${run.id}: ${run.status}, ${run.lineCount} line(s), ` +
    `${run.findingCount} finding(s)`];
  if (run.rejection !== null) lines.push(`refused: ${run.rejection}`);
  if (run.repeatOf !== null) {
    lines.push(`the same statement as run ${run.repeatOf}: nothing changed`);
  }
  for (const [title, rows] of [['class', report.classes], ['finding', report.findings]] as const) {
    if (rows.length === 0) continue;
    lines.push(`${title.padEnd(20)}${'count'.padStart(10)}${'amount'.padStart(18)}`);
    for (const row of rows) {
      lines.push(`${row.name.padEnd(20)}${String(row.count).padStart(10)}` +
        `${minor(row.amountMinor).padStart(18)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

type Options = Readonly<{ file?: string; shortcode?: string; pull: boolean; from?: string;
  to?: string }>;

function readOptions(args: readonly string[]): Options | undefined {
  try {
    const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true,
      options: { file: { type: 'string' }, shortcode: { type: 'string' },
        pull: { type: 'boolean', default: false }, from: { type: 'string' },
        to: { type: 'string' } } });
    if (positionals.length > 0) return undefined;
    const options: Options = { ...values, pull: values.pull };
    if (options.pull === (options.file !== undefined)) return undefined;
    if (options.pull && !(dayPattern.test(options.from ?? '') &&
      dayPattern.test(options.to ?? ''))) return undefined;
    if (options.shortcode !== undefined && !/^\d{5,7}$/.test(options.shortcode)) return undefined;
    return options;
  } catch {
    return undefined;
  }
}

/** Runs the command over open deps; output streams given for tests. */
export async function runReconcile(deps: ModuleDeps, options: Options,
  out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const progress = startProgress('reconciling (lines)', undefined);
  let shown = 0;
  const onProgress = ({ lines }: Readonly<{ step: string; lines: number }>) => {
    if (lines > shown) progress.tick(lines - shown);
    shown = Math.max(shown, lines);
  };
  const startedBy = 'system:cli';
  let report: RunReport;
  if (options.file !== undefined) {
    report = await reconcileStatementCsv(deps, { csv: createReadStream(options.file),
      shortcode: options.shortcode ?? deps.config.mpesa.shortcode, startedBy, onProgress });
  } else {
    const from = new Date(Date.parse(`${options.from ?? ''}T00:00:00Z`) - kenyaOffsetMs);
    const to = new Date(Date.parse(`${options.to ?? ''}T00:00:00Z`) - kenyaOffsetMs +
      86_399_000);
    report = await reconcilePull(deps, { from, to, startedBy, onProgress });
  }
  progress.done();
  out.write(describeRun(report));
  return report.run.status === 'rejected' || report.run.findingCount > 0 ? 1 : 0;
}

export const reconcileCommand: CliCommand = {
  words: ['reconcile'],
  usage,
  summary: 'Reconcile the M-Pesa statement (a CSV file, or Pull Transactions for days).',
  run: async (args) => {
    const options = readOptions(args);
    if (options === undefined) {
      process.stderr.write(`Usage: ${usage}\n`);
      return 2;
    }
    return withDatabase((deps) => runReconcile(deps, options));
  },
};
