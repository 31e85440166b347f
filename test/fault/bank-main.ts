/**
 * `npm run fault:bank`: the bank test at its full size on a private PostgreSQL cluster (the
 * server is stopped abruptly too), with progress on stderr and the figures on stdout. Exit 1
 * when anything is wrong. `--operations N --workers N --server-stops N --seed N` change it.
 */
import { parseArgs } from 'node:util';
import { formatBankResult, openBankDatabase } from './bank-report.ts';
import { runBankTest } from './bank-run.ts';
import { createPrivateCluster } from './crash-postgres.ts';

export const bankFullCounts = { operations: 20_000, workers: 16, serverStops: 5 } as const;

export async function bankMain(args: readonly string[]): Promise<boolean> {
  const { values } = parseArgs({ args: [...args], options: {
    operations: { type: 'string', default: String(bankFullCounts.operations) },
    workers: { type: 'string', default: String(bankFullCounts.workers) },
    'server-stops': { type: 'string', default: String(bankFullCounts.serverStops) },
    seed: { type: 'string', default: '1' },
  } });
  const cluster = await createPrivateCluster();
  try {
    await cluster.adminQuery('create database huduma_bank');
    const workers = Number(values.workers);
    const database = await openBankDatabase(cluster.url('huduma_bank'), workers);
    try {
      const result = await runBankTest({
        database, adminUrl: cluster.url('postgres'), databaseName: 'huduma_bank', workers,
        operations: Number(values.operations), payers: 4, invoices: 8,
        seed: Number(values.seed), connectionKillEveryMs: 150,
        serverStops: { cluster, count: Number(values['server-stops']) },
        progress: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(formatBankResult(result));
      return result.check.problems.length === 0;
    } finally {
      await database.close();
    }
  } finally {
    await cluster.remove();
  }
}

if (import.meta.main) process.exit(await bankMain(process.argv.slice(2)) ? 0 : 1);
