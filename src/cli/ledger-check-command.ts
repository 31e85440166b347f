/**
 * `huduma ledger check`: proves the books keep their invariants (every entry balances per
 * currency, the trial balance sums to zero, a provider receipt stands in one receipt entry, no
 * invoice deposit or other liability below zero, accounts agree with the chart; and, tying the
 * ledger to the payments: every invoice covered by its allocations has its one covered entry and
 * zero deposits, every other invoice's deposits equal its allocations, each payer's credit equals
 * what they overpaid, suspense equals the payments held, each payment has its one receipt entry)
 * and prints a report; then that every application's state is the one its action log implies,
 * and that reporting's daily totals equal the raw aggregate over the ledger.
 * Exit 0 when they do, 1 when they do not.
 */
import type { Database } from '#platform/db/index.ts';
import { toMajorString } from '#platform/money/index.ts';
import { startProgress } from '#platform/progress.ts';
import {
  checkApplications,
  type ApplicationsCheckReport,
} from '#modules/applications/index.ts';
import { checkBooks, type BooksCheckReport } from '#modules/payments/index.ts';
import { checkDailyTotals, type DailyTotalsFinding } from '#modules/reporting/index.ts';
import { checkSettlement, type SettlementFinding } from '#modules/settlement/index.ts';
import type { CliCommand } from './cli-command.ts';
import { withDatabase } from './cli-context.ts';

export type LedgerCheckStreams = Readonly<{
  output: Pick<NodeJS.WriteStream, 'write'>;
  progress: NodeJS.WriteStream;
}>;

/** The report as text, for people and for CI logs. */
export function formatLedgerReport(report: BooksCheckReport): string {
  const lines = [
    `ledger check: ${report.entriesChecked} entries, ${report.accountsChecked} accounts, ` +
      `${report.invoicesChecked} invoices`,
    'trial balance (debits = credits in every currency):',
  ];
  for (const currency of report.trialBalance.currencies) {
    lines.push(`  ${currency.currency}  debits ${toMajorString(currency.debits)}  ` +
      `credits ${toMajorString(currency.credits)}  ` +
      (currency.balanced ? 'balanced' : 'NOT BALANCED'));
    for (const kind of currency.kinds) {
      lines.push(`    ${kind.kind.padEnd(26)} ${kind.type.padEnd(9)} ` +
        `${toMajorString(kind.balance).padStart(20)}  (${kind.accounts} accounts)`);
    }
  }
  if (report.ok) {
    lines.push('OK: every invariant holds');
  } else {
    lines.push(`FAILED: ${report.findingsCount} finding(s)` +
      (report.findingsCount > report.findings.length
        ? `, the first ${report.findings.length} listed` : ''));
    for (const finding of report.findings) {
      lines.push(`  ${finding.rule}  ${finding.subject}: ${finding.detail}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function runLedgerCheck(
  db: Database,
  streams: LedgerCheckStreams,
): Promise<number> {
  const progress = startProgress('checking ledger', undefined, streams.progress);
  let reported = 0;
  const report = await checkBooks(db, {
    onProgress: (done, total) => {
      progress.setTotal(total);
      progress.tick(done - reported);
      reported = done;
    },
  });
  progress.done();
  streams.output.write(formatLedgerReport(report));
  // Invariant 4 for applications: each state is the one its action log implies.
  const applicationsProgress = startProgress('checking applications', undefined,
    streams.progress);
  let applicationsReported = 0;
  const applications = await checkApplications(db, (done) => {
    applicationsProgress.tick(done - applicationsReported);
    applicationsReported = done;
  });
  applicationsProgress.done();
  streams.output.write(formatApplicationsReport(applications));
  // Settlement: lines equal their entries, no entry twice, clearing = released and unsettled.
  const settlement = await checkSettlement(db);
  streams.output.write(formatSettlementReport(settlement));
  // Reporting: the precomputed daily totals (+ unfolded deltas) equal the ledger's GROUP BY.
  const totals = await checkDailyTotals(db);
  streams.output.write(formatDailyTotalsReport(totals));
  return report.ok && applications.findings.length === 0 && settlement.length === 0 &&
    totals.length === 0 ? 0 : 1;
}

export function formatDailyTotalsReport(findings: readonly DailyTotalsFinding[]): string {
  const lines = ['reporting totals check:'];
  if (findings.length === 0) {
    lines.push('OK: the daily totals equal the ledger\'s collections and movements to the cent');
  } else {
    lines.push(`FAILED: ${findings.length} finding(s)`);
    for (const finding of findings) {
      lines.push(`  ${finding.rule}  ${finding.subject}: ${finding.detail}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function formatSettlementReport(findings: readonly SettlementFinding[]): string {
  const lines = ['settlement check:'];
  if (findings.length === 0) {
    lines.push('OK: every batch line equals its entries; settlement-clearing equals the lines ' +
      'released and not settled');
  } else {
    lines.push(`FAILED: ${findings.length} finding(s)`);
    for (const finding of findings) {
      lines.push(`  ${finding.rule}  ${finding.subject}: ${finding.detail}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function formatApplicationsReport(report: ApplicationsCheckReport): string {
  const lines = [`applications check: ${report.applicationsChecked} applications`];
  if (report.findings.length === 0) {
    lines.push('OK: every application\'s state is the one its action log implies');
  } else {
    lines.push(`FAILED: ${report.findings.length} finding(s)`);
    for (const finding of report.findings) {
      lines.push(`  APPLICATION_STATE_MATCHES_LOG  application ${finding.applicationId}: ${
        finding.detail}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export const ledgerCheckCommand: CliCommand = {
  words: ['ledger', 'check'],
  usage: 'huduma ledger check',
  summary: 'Prove the books: entries balance, trial balance zero, every invoice, credit, '
    + 'suspense and receipt agrees with the payments, every application\'s state its log\'s; '
    + 'list what does not.',
  run: async () => withDatabase((deps) =>
    runLedgerCheck(deps.db, { output: process.stdout, progress: process.stderr })),
};
