/** The bank test's database and its figures as text, for the terminal and RELIABILITY.md. */
import {
  appRole,
  openAppDatabase,
  openPostgresDatabase,
  type DatabaseHandle,
} from '#platform/db/index.ts';
import type { BankResult } from './bank-run.ts';

/** Migrates the database, then opens it as the app does, with a connection per worker. */
export async function openBankDatabase(url: string, workers: number): Promise<DatabaseHandle> {
  const { database } = await openAppDatabase({ databaseUrl: url, dataDirectory: undefined });
  await database.close();
  // One more than the workers, for the sampler.
  return openPostgresDatabase(url, { role: appRole, poolSizeMax: workers + 1 });
}

export function formatBankResult(result: BankResult): string {
  const { figures, check } = result;
  const kinds = Object.entries(figures.byKind)
    .map(([kind, count]) => `${kind} ${count.posted}/${count.posted + count.refused}`)
    .join(', ');
  const lines = [
    `bank: ${figures.posted + figures.refused} operations in ${result.seconds.toFixed(0)} s: ` +
      `${figures.posted} posted, ${figures.refused} refused (money not there), ` +
      `${figures.resent} re-sent after a killed connection`,
    `  posted/tried by kind: ${kinds}`,
    `  faults: ${figures.connectionsKilled} connections terminated, ${figures.serverStops} ` +
      `abrupt server stops; ${figures.samples} samples of every guarded balance`,
    `  after: ${check.entries} entries, ${check.accounts} accounts; put in ` +
      `${check.fundedMinor}, paid out ${check.paidOutMinor}, liabilities ` +
      `${check.liabilitiesMinor}, collection ${check.collectedMinor} (minor units)`,
    check.problems.length === 0
      ? '  OK: exactly the acknowledged entries, balances as they add up, totals constant, ' +
        'nothing below zero'
      : `  FAILED: ${check.problems.length} problem(s)`,
    ...check.problems.map((problem) => `    ${problem}`),
  ];
  return `${lines.join('\n')}\n`;
}
