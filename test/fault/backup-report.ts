/** The drill's figures as text, for the terminal and RELIABILITY.md. */
import type { DrillResult } from './backup-run.ts';

export function drillPassed(result: DrillResult): boolean {
  return result.check.missing.length === 0 && result.check.ledgerCheck &&
    result.check.auditVerify;
}

export function formatDrillResult(result: DrillResult): string {
  const { check } = result;
  const how = result.database === 'postgres'
    ? 'pg_dumpall --globals-only + pg_dump -Fc of the running database, restored into a ' +
      'fresh cluster'
    : 'the stopped app\'s data folder copied, and copied into a fresh folder';
  const lines = [
    `backup (${result.database}): ${how}`,
    `  ${result.paymentsSent} payments sent, ${check.acknowledgedBeforeBackup} acknowledged ` +
      `before the backup began; ${check.paymentsInCopy} payments in the restored copy`,
    `  backup ${(result.backupMs / 1000).toFixed(1)} s, ` +
      `${(result.backupBytes / 1_048_576).toFixed(1)} MiB; restore ` +
      `${(result.restoreMs / 1000).toFixed(1)} s; sweep + ledger check + audit verify ` +
      `${(result.checksMs / 1000).toFixed(1)} s`,
    `  ledger check ${check.ledgerCheck ? 'ok' : 'FAILED'}, audit verify ` +
      `${check.auditVerify ? 'ok' : 'FAILED'}, acknowledged but missing: ${check.missing.length}`,
    ...check.missing.slice(0, 20).map((receipt) => `    missing ${receipt}`),
  ];
  return `${lines.join('\n')}\n`;
}
