/**
 * `huduma payments sweep`: processes the M-Pesa callbacks that were stored but never processed
 * (their batch and their retry both failed, or the process stopped in between). Safe to run at
 * any time, from cron or by hand: processing is idempotent on the receipt.
 */
import { ingestContextFor, sweepUnprocessedCallbacks } from '#modules/payments/index.ts';
import type { CliCommand } from './cli-command.ts';
import { withDatabase } from './cli-context.ts';

export const paymentsSweepCommand: CliCommand = {
  words: ['payments', 'sweep'],
  usage: 'huduma payments sweep',
  summary: 'Process stored M-Pesa callbacks that have no outcome yet (idempotent).',
  run: async () => withDatabase(async (deps) => {
    const report = await sweepUnprocessedCallbacks(deps.db,
      ingestContextFor(deps)());
    process.stdout.write(`payments sweep: ${report.processed} processed, ` +
      `${report.failed} failed, ${report.quarantined} quarantined\n`);
    return report.failed === 0 ? 0 : 1;
  }),
};
