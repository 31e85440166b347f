/**
 * `npm run fault:crash`: the crash part at its full counts (20 app kills, 5 abrupt PostgreSQL
 * stops), with progress on stderr and the figures on stdout. Exit 1 when anything is wrong.
 * `--app-kills N --postgres-stops N --invoices N --seed N` change the counts.
 */
import { parseArgs } from 'node:util';
import { formatCrashResult } from './crash-report.ts';
import { runCrashSuite } from './crash-run.ts';

export const crashFullCounts = { appKills: 20, postgresStops: 5, invoices: 1_000 } as const;

export async function crashMain(args: readonly string[]): Promise<boolean> {
  const { values } = parseArgs({ args: [...args], options: {
    'app-kills': { type: 'string', default: String(crashFullCounts.appKills) },
    'postgres-stops': { type: 'string', default: String(crashFullCounts.postgresStops) },
    invoices: { type: 'string', default: String(crashFullCounts.invoices) },
    seed: { type: 'string', default: '1' },
  } });
  const result = await runCrashSuite({
    appKills: Number(values['app-kills']), postgresStops: Number(values['postgres-stops']),
    invoices: Number(values.invoices), seed: Number(values.seed), senders: 8, pauseMs: 20,
    faultGapMs: [1_500, 4_000],
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(formatCrashResult(result));
  return result.check.problems.length === 0 && result.auditVerified &&
    result.ledgerCommandPassed;
}

if (import.meta.main) process.exit(await crashMain(process.argv.slice(2)) ? 0 : 1);
