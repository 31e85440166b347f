import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LadderResult } from './ladder.ts';
import type { PgbenchReport } from './pgbench.ts';
import { renderRun, type StepResult } from './report.ts';

const pgbench = (clients: number, transactionsPerSecond: number): PgbenchReport =>
  ({ clients, transactionsPerSecond, transactions: 0, failed: false, output: '' });

function step(ratePerSecond: number, passed: boolean, connectionsBusy: number): StepResult {
  return { ratePerSecond, passed,
    report: { sent: 0, fresh: 0, replays: 0, unknown: 0, ok: 1_000, failed: 0, p50Ms: 1,
      p90Ms: 2, p99Ms: passed ? 50 : 150, maxMs: 4, achievedPerSecond: ratePerSecond,
      meanInFlight: 4.2, sendLagP99Ms: 1.5, sendLagMaxMs: 2, cpuMs: 500 },
    cost: { appCpuMs: 1_000, databaseCpuMs: 2_000, postgresBackgroundCpuMs: 0,
      machineCpuMs: 4_000, machineBusyShare: 0.9, connectionsBusy, connectionsBusyAtOnceMax: 2,
      loadAverage1m: 1.25 } };
}

function ladder(processes: number, best: number): LadderResult {
  const steps = [step(best, true, processes), step(best * 2, false, 3 * processes)];
  return { processes, databaseVersion: 'PostgreSQL 15', steps, best: steps[0],
    doubleCredits: { paymentsPerReceipt: 0, ledgerEntriesPerReceipt: 0, invoicesPaidTwice: 0,
      acknowledgedButMissing: 0 } };
}

describe('ingest report', () => {
  it('has a row per run and process count with both ratios, then the spread and scaling', () => {
    const comparisons = { statements: [pgbench(1, 200), pgbench(4, 400), pgbench(16, 300)],
      oneRow: [pgbench(1, 5_000), pgbench(3, 8_000), pgbench(9, 16_000)], loop: undefined };
    const text = renderRun({ kind: 'postgres', command: 'npm run bench:ingest', machine: 'm',
      p99TargetMs: 100, runs: [
        { ladders: [ladder(1, 800), ladder(3, 1_600)], comparisons },
        { ladders: [ladder(1, 1_000), ladder(3, 1_500)], comparisons },
      ] });
    const rows = text.split('\n').filter((line) => /^\| [12] \| [13] \|/.test(line));
    assert.equal(rows.length, 4);
    // Run 1, 1 process: 800 / 400 (pgbench at its best, 4 clients) = 2.00; the concurrency is
    // the most connections any step kept busy (3), so 800 / 8,000 = 0.10. 3.5 ms of the
    // platform's CPU each: 2 cores would hold at most 571/s (on this machine's core count).
    assert.match(rows[0] ?? '', /^\| 1 \| 1 \| 800 \| 50\.0 \| 4\.2 \| 3 \| 400 \(4\) \| \*\*2\.00\*\* \| 8000 \| \*\*0\.10\*\* \| 3\.50 \(\d+\) \| 0, 0 \| 1\.3 \|$/);
    assert.match(rows[1] ?? '', /^\| 1 \| 3 \| 1600 \| .* \| 9 \| 400 \(4\) \| \*\*4\.00\*\* \| 16000 \| \*\*0\.10\*\* \|/);
    assert.ok(text.includes('- 1 app process, 2 run(s), min / median / max: best 800 / 900 / ' +
      '1000 confirmations/s; (a) 2.00 / 2.25 / 2.50; (b) 0.10 / 0.11 / 0.13.'));
    assert.ok(text.includes('- Scaling, best with 3 processes / best with 1 in the same run: ' +
      '2.00, 1.50 (min / median / max 1.50 / 1.75 / 2.00).'));
    assert.ok(text.includes('#### Run 2, 3 app processes'));
  });
});
