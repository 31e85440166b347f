import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LadderResult } from './ladder.ts';
import type { PgbenchReport } from './pgbench.ts';
import type { StepResult } from './report.ts';
import { machineTicks, processTicks } from './step-probe.ts';
import {
  cpuLimitPerSecond,
  cpuPerConfirmation,
  databaseConcurrency,
  fastest,
  ratios,
  spread,
} from './summary.ts';

const pgbench = (clients: number, transactionsPerSecond: number, failed = false):
  PgbenchReport => ({ clients, transactionsPerSecond, transactions: 0, failed, output: '' });

function step(ratePerSecond: number, passed: boolean, overrides: Partial<{ ok: number;
  cpuMs: number; connectionsBusy: number; appCpuMs: number; databaseCpuMs: number;
  postgresBackgroundCpuMs: number; machineCpuMs: number }> = {}): StepResult {
  return {
    ratePerSecond, passed,
    report: { sent: 0, fresh: 0, replays: 0, unknown: 0, ok: overrides.ok ?? 1_000, failed: 0,
      p50Ms: 1, p90Ms: 2, p99Ms: 3, maxMs: 4, achievedPerSecond: ratePerSecond,
      meanInFlight: 5, sendLagP99Ms: 1, sendLagMaxMs: 2, cpuMs: overrides.cpuMs ?? 0 },
    cost: { appCpuMs: overrides.appCpuMs ?? 0, databaseCpuMs: overrides.databaseCpuMs ?? 0,
      postgresBackgroundCpuMs: overrides.postgresBackgroundCpuMs ?? 0,
      machineCpuMs: overrides.machineCpuMs ?? 0, machineBusyShare: 0.5,
      connectionsBusy: overrides.connectionsBusy ?? 3, connectionsBusyAtOnceMax: 2,
      loadAverage1m: 1 },
  };
}

function ladder(best: StepResult | undefined): LadderResult {
  return { processes: 1, databaseVersion: 'x', steps: best === undefined ? [] : [best], best,
    doubleCredits: { paymentsPerReceipt: 0, ledgerEntriesPerReceipt: 0, invoicesPaidTwice: 0,
      acknowledgedButMissing: 0 } };
}

describe('ingest benchmark arithmetic', () => {
  it('divides by pgbench at its best client count and the one-row insert at the app\'s ' +
    'database concurrency', () => {
    const result = ratios(ladder(step(1_200, true, { connectionsBusy: 3 })), {
      statements: [pgbench(1, 300), pgbench(4, 600), pgbench(16, 900, true), pgbench(8, 500)],
      oneRow: [pgbench(1, 8_000), pgbench(3, 12_000), pgbench(4, 15_000)],
      loop: undefined,
    });
    assert.deepEqual(result, { statements: 2, oneRow: 0.1, loop: undefined });
  });

  it('has no ratio when nothing passed or the reference is missing', () => {
    assert.deepEqual(ratios(ladder(undefined), { statements: [pgbench(4, 600)],
      oneRow: [pgbench(1, 8_000)], loop: { transactionsPerSecond: 10 } }),
    { statements: undefined, oneRow: undefined, loop: undefined });
    assert.deepEqual(ratios(ladder(step(500, true, { connectionsBusy: 6 })), { statements: [],
      oneRow: [pgbench(3, 12_000)], loop: { transactionsPerSecond: 250 } }),
    { statements: undefined, oneRow: undefined, loop: 2 });
    assert.equal(databaseConcurrency(ladder(step(1, true, { connectionsBusy: 0 }))), 1);
    // The most connections seen busy in any step, not only at the best (a light step uses few).
    assert.equal(databaseConcurrency({ ...ladder(step(300, true, { connectionsBusy: 1 })),
      steps: [step(300, true, { connectionsBusy: 1 }), step(420, false, { connectionsBusy: 3 })],
    }), 3);
    assert.equal(databaseConcurrency({ ...ladder(undefined),
      steps: [step(300, false, { connectionsBusy: 3 })] }), undefined);
    assert.equal(fastest([pgbench(2, 100, true)]), undefined);
  });

  it('shares each party\'s CPU over the confirmations answered; the rest is everyone else', () => {
    assert.deepEqual(cpuPerConfirmation(step(100, true, { ok: 500, appCpuMs: 1_000,
      databaseCpuMs: 2_000, postgresBackgroundCpuMs: 100, cpuMs: 400, machineCpuMs: 4_000 })),
    { app: 2, database: 4, postgresBackground: 0.2, sender: 0.8, rest: 1 });
    assert.equal(cpuPerConfirmation(step(100, false, { ok: 0 })), undefined);
    // 2 + 4 + 0.2 + 0.8 = 7 ms of the platform's CPU each: 2 cores hold 2,000 / 7 a second.
    assert.equal(cpuLimitPerSecond({ app: 2, database: 4, postgresBackground: 0.2, sender: 0.8,
      rest: 1 }, 2), 2_000 / 7);
    assert.equal(cpuLimitPerSecond(undefined, 2), undefined);
  });

  it('spreads the runs as min, median and max, leaving out runs without a value', () => {
    assert.deepEqual(spread([3, undefined, 1, 2]), { min: 1, median: 2, max: 3, count: 3 });
    assert.deepEqual(spread([4, 1]), { min: 1, median: 2.5, max: 4, count: 2 });
    assert.equal(spread([undefined, Number.NaN]), undefined);
  });

  it('reads CPU ticks from /proc, a command with spaces and parentheses included', () => {
    const stat = '4242 (postgres: app (x) idle) S 1 2 3 0 -1 4194304 10 0 0 0 150 25 0 0 20 0';
    assert.equal(processTicks(stat), 175);
    assert.deepEqual(machineTicks('cpu  100 5 50 800 40 3 2 0 0 0\ncpu0 1 1 1 1 1 1 1 1\n'),
      { busy: 160, total: 1_000 });
  });
});
