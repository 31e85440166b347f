/**
 * CSV exports (RFC 4180): a run's lines with their class, paged from the database as they are
 * written (a million-line run is never in memory), and a day's totals per class and finding.
 * Text a payer typed is neutralised against spreadsheet formulas.
 */
import type { Database } from '#platform/db/index.ts';
import { listLines, type ClassTotal } from './run-repo.ts';
import { kenyaText, minorText } from './statement-formats.ts';

const pageSize = 5_000;

/** Quotes where needed; a text cell starting like a formula gets a leading apostrophe. */
export function csvCell(value: string, text = true): string {
  const safe = text && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const row = (cells: readonly string[]): string => `${cells.join(',')}\r\n`;

export const runCsvHeader = ['line', 'receipt', 'completed_kenya_time', 'paid_in', 'withdrawn',
  'balance', 'reason_type', 'account_reference', 'class', 'ledger_amount', 'note'] as const;

export async function* runCsv(db: Database, runId: string): AsyncGenerator<string> {
  yield row([...runCsvHeader]);
  let after = 0;
  for (;;) {
    const lines = await listLines(db, runId, { afterLine: after, limit: pageSize });
    if (lines.length === 0) return;
    after = lines.at(-1)?.lineNumber ?? after;
    yield lines.map((line) => row([String(line.lineNumber), csvCell(line.receipt),
      kenyaText(line.completedAt), minorText(line.paidInMinor), minorText(line.withdrawnMinor),
      line.balanceMinor === null ? '' : minorText(line.balanceMinor),
      csvCell(line.reasonType), csvCell(line.accountReference), line.class ?? '',
      line.ledgerMinor === null ? '' : minorText(line.ledgerMinor),
      csvCell(line.note ?? '')])).join('');
  }
}

export function dayCsv(day: string, totals: Readonly<{ classes: readonly ClassTotal[];
  findings: readonly ClassTotal[] }>): string {
  return row(['day', 'kind', 'name', 'count', 'amount']) +
    totals.classes.map((total) => row([day, 'class', total.name, String(total.count),
      minorText(total.amountMinor)])).join('') +
    totals.findings.map((total) => row([day, 'finding', total.name, String(total.count),
      minorText(total.amountMinor)])).join('');
}
