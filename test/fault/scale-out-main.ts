/**
 * `npm run fault:scale-out`: the scale-out part at larger counts than npm test runs (5
 * processes, 300 invoices, 1,000 extra outbox jobs), with progress on stderr and the figures
 * on stdout. Exit 1 when anything is wrong, a process never saw the catalogue change included.
 * `--processes N --invoices N --jobs N --concurrency N --seed N` change the counts.
 */
import { parseArgs } from 'node:util';
import { formatScaleOut } from './scale-out-report.ts';
import { runScaleOut } from './scale-out-run.ts';

export async function scaleOutMain(args: readonly string[]): Promise<boolean> {
  const { values } = parseArgs({ args: [...args], options: {
    processes: { type: 'string', default: '5' },
    invoices: { type: 'string', default: '300' },
    jobs: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '12' },
    seed: { type: 'string', default: '1' },
  } });
  const result = await runScaleOut({
    processes: Number(values.processes), invoices: Number(values.invoices),
    extraJobs: Number(values.jobs), concurrency: Number(values.concurrency),
    seed: Number(values.seed), progress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${formatScaleOut(result)}\n`);
  const unseen = result.search.filter((each) =>
    each.insertedMs === undefined || each.renamedMs === undefined);
  return result.check.problems.length === 0 && unseen.length === 0;
}

if (import.meta.main) process.exit(await scaleOutMain(process.argv.slice(2)) ? 0 : 1);
