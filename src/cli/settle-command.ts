/**
 * `huduma settle prepare [--cutoff ISO] [--currency KES|USD]`: prepares a settlement batch per
 * currency by hand (as the system; two people then approve it on /staff/settlement), listing
 * payees with money and no bank profile. `huduma settle status`: the recent batches, each
 * payee's lag and SLA, the open alerts. Progress on stderr, the report on stdout.
 */
import type { Database } from '#platform/db/index.ts';
import { money, toMajorString, type Currency } from '#platform/money/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { startProgress } from '#platform/progress.ts';
import {
  listBatches,
  listSettlementAlerts,
  measureLag,
  prepareBatch,
  settlementDb,
} from '#modules/settlement/index.ts';
import type { CliCommand } from './cli-command.ts';
import { withDatabase } from './cli-context.ts';

export type SettleStreams = Readonly<{
  output: Pick<NodeJS.WriteStream, 'write'>;
  progress: NodeJS.WriteStream;
}>;

export type PrepareArgs = Readonly<{ cutoff: Date; currencies: readonly Currency[] }>;

/** The arguments of `settle prepare`, or a message saying what is wrong. */
export function parsePrepareArgs(args: readonly string[], now: Date): PrepareArgs | string {
  let cutoff = now;
  let currencies: readonly Currency[] = ['KES', 'USD'];
  for (let index = 0; index < args.length; index += 2) {
    const [flag, value] = [args[index], args[index + 1]];
    if (flag === '--cutoff' && value !== undefined) {
      cutoff = new Date(value);
      if (Number.isNaN(cutoff.getTime()) || cutoff > now) return 'the cut-off must be a past time';
    } else if (flag === '--currency' && (value === 'KES' || value === 'USD')) {
      currencies = [value];
    } else {
      return `unknown argument: ${flag ?? ''}`;
    }
  }
  return { cutoff, currencies };
}

export async function runSettlePrepare(deps: Pick<ModuleDeps, 'db' | 'clock'>,
  args: PrepareArgs, streams: SettleStreams): Promise<number> {
  const progress = startProgress('preparing settlement', args.currencies.length,
    streams.progress);
  let problems = 0;
  for (const currency of args.currencies) {
    const prepared = await prepareBatch(deps, { currency, cutoff: args.cutoff,
      actor: { kind: 'system', id: 'cli' }, now: deps.clock.now() });
    progress.tick(1);
    streams.output.write(prepared.batch === undefined
      ? `${currency}: nothing to settle up to ${args.cutoff.toISOString()}\n`
      : `${currency}: batch ${prepared.batch.reference} prepared (${prepared.batch.id}); ` +
        'two people must approve it\n');
    for (const problem of prepared.problems) {
      problems += 1;
      streams.output.write(`  PROBLEM no bank profile for payee ${problem.payee}: ` +
        `${toMajorString(money(problem.amountMinor, currency))} ${currency} waits\n`);
    }
  }
  progress.done();
  return problems === 0 ? 0 : 1;
}

export async function runSettleStatus(db: Database, now: Date, streams: SettleStreams):
  Promise<number> {
  const progress = startProgress('reading settlement', 3, streams.progress);
  const batches = await listBatches(settlementDb(db), { limit: 20, offset: 0 });
  progress.tick(1);
  const lag = await measureLag(db, now);
  progress.tick(1);
  const alerts = await listSettlementAlerts(db, 'open');
  progress.tick(1);
  progress.done();
  const lines = [`settlement status: ${batches.length} recent batch(es)`];
  for (const batch of batches) {
    lines.push(`  ${batch.reference}  ${batch.state.padEnd(8)}  cut-off ` +
      `${batch.cutoff.toISOString()}${batch.bank_reference === null ? ''
        : `  bank ${batch.bank_reference}`}`);
  }
  lines.push('lag per payee (T+schedule, SLA days):');
  for (const row of lag) {
    const status = !row.hasProfile ? 'NO PROFILE' : row.breached ? 'BREACHED' : 'ok';
    lines.push(`  ${row.payee}  T+${row.scheduleDays} SLA ${row.slaDays}  median ` +
      `${row.medianHours === null ? '-' : `${Math.round(row.medianHours)}h`}  oldest unsettled ` +
      `${row.oldestUnsettledAt?.toISOString() ?? '-'}  ${status}`);
  }
  lines.push(`open alerts: ${alerts.length}`);
  streams.output.write(`${lines.join('\n')}\n`);
  return lag.some((row) => row.breached || !row.hasProfile) || alerts.length > 0 ? 1 : 0;
}

const streams = (): SettleStreams => ({ output: process.stdout, progress: process.stderr });

export const settlePrepareCommand: CliCommand = {
  words: ['settle', 'prepare'],
  usage: 'huduma settle prepare [--cutoff ISO] [--currency KES|USD]',
  summary: 'Prepare settlement batches up to a cut-off (default now); two people approve them.',
  run: async (args) => withDatabase(async (deps) => {
    const parsed = parsePrepareArgs(args, deps.clock.now());
    if (typeof parsed === 'string') {
      process.stderr.write(`huduma settle prepare: ${parsed}\n`);
      return 2;
    }
    return runSettlePrepare(deps, parsed, streams());
  }),
};

export const settleStatusCommand: CliCommand = {
  words: ['settle', 'status'],
  usage: 'huduma settle status',
  summary: 'Recent settlement batches, each payee\'s lag against its SLA, open alerts.',
  run: async () => withDatabase((deps) =>
    runSettleStatus(deps.db, deps.clock.now(), streams())),
};
