/** The crash part's figures as text, for the terminal and for RELIABILITY.md. */
import type { CrashRunResult } from './crash-run.ts';

function spread(values: readonly number[]): string {
  if (values.length === 0) return 'none';
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `median ${(middle / 1000).toFixed(1)} s, max ${((sorted.at(-1) ?? 0) / 1000)
    .toFixed(1)} s`;
}

export function formatCrashResult(result: CrashRunResult): string {
  const { check, stream } = result;
  const lines = [
    `crash: ${result.appKills} app SIGKILLs, ${result.postgresStops.sigkill} PostgreSQL ` +
      `SIGKILLs + ${result.postgresStops.immediate} immediate stops, in ` +
      `${result.seconds.toFixed(0)} s`,
    `  confirmations: ${stream.payments} payments (${stream.unknownReferences} to unknown ` +
      `references), ${stream.duplicates} duplicate sends, ${stream.deliveries} deliveries`,
    `  answers: ${stream.answered200} x 200, ${stream.answeredOther} other (re-sent), ` +
      `${stream.connectionFailures} connection failures (re-sent)`,
    `  app restart to healthy: ${spread(result.appRestartMs)}; PostgreSQL stop to ` +
      `accepting: ${spread(result.postgresRestartMs)}; app exits not caused by us: ` +
      `${result.unplannedAppExits}`,
    `  after: ${check.receiptsChecked} receipts, ${check.invoicesChecked} invoices ` +
      `(${check.invoicesCovered} paid, ${check.invoicesPartPaid} part paid), ` +
      `${check.ledgerEntries} ledger entries; sent ${check.sentMinor} minor, collected ` +
      `${check.collectedMinor} minor; audit verify ${result.auditVerified ? 'ok' : 'FAILED'}, ` +
      `huduma ledger check ${result.ledgerCommandPassed ? 'ok' : 'FAILED'}`,
    check.problems.length === 0
      ? '  OK: every receipt once, every invoice\'s books right, totals equal'
      : `  FAILED: ${check.problems.length} problem(s)`,
    ...check.problems.map((problem) => `    ${problem}`),
  ];
  return `${lines.join('\n')}\n`;
}
