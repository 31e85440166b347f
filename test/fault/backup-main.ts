/**
 * `npm run fault:backup`: the backup and restore drill on PostgreSQL (a running database,
 * restored into a fresh cluster) and on the embedded database (a copy of the stopped app's
 * data folder), with progress on stderr and the figures on stdout. Exit 1 when anything is
 * wrong. `--stream-seconds N --invoices N` change its size.
 */
import { parseArgs } from 'node:util';
import { drillPassed, formatDrillResult } from './backup-report.ts';
import { embeddedDrill, postgresDrill } from './backup-run.ts';

export async function backupMain(args: readonly string[]): Promise<boolean> {
  const { values } = parseArgs({ args: [...args], options: {
    'stream-seconds': { type: 'string', default: '20' },
    invoices: { type: 'string', default: '300' },
  } });
  const options = { invoices: Number(values.invoices),
    streamMs: Number(values['stream-seconds']) * 1000, seed: 3,
    progress: (line: string) => process.stderr.write(`${line}\n`) };
  const results = [await postgresDrill(options), await embeddedDrill(options)];
  for (const result of results) process.stdout.write(formatDrillResult(result));
  return results.every(drillPassed);
}

if (import.meta.main) process.exit(await backupMain(process.argv.slice(2)) ? 0 : 1);
