import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { percentile, renderRun, summarise, type SubmitRun } from './report.ts';

const result = (latenciesMs: number[], statuses: Record<string, number>, errors = 0) => ({
  latenciesMs, statuses, errors, timeouts: 0, durationSeconds: 2, targetsUsed: 0,
});

describe('bench/submit report', () => {
  it('percentiles stay within the samples and grow with p', () => {
    fc.assert(fc.property(
      fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1 }),
      fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 }),
      (values, p, q) => {
        const sorted = [...values].sort((a, b) => a - b);
        const [low, high] = p <= q ? [p, q] : [q, p];
        assert.ok(percentile(sorted, low) <= percentile(sorted, high));
        assert.ok(percentile(sorted, low) >= (sorted[0] ?? 0));
        assert.ok(percentile(sorted, high) <= (sorted.at(-1) ?? 0));
      }));
    assert.ok(Number.isNaN(percentile([], 99)));
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9);
  });

  it('counts only 303 answers as submits; other statuses and socket errors fail', () => {
    const phase = summarise(result([5, 1, 3, 2], { 303: 2, 403: 1, 500: 1 }, 3));
    assert.equal(phase.ok, 2);
    assert.equal(phase.failed, 2 + 3);
    assert.equal(phase.perSecond, 1);
    assert.equal(phase.p50Ms, 2);
    assert.equal(phase.maxMs, 5);
  });

  it('says the goal is not met when the p99 is over it or anything failed', () => {
    const submits = summarise(result([100, 200], { 303: 2 }));
    const bare = summarise(result([1, 1], { 303: 2_000 }));
    const verification = { statuses: { 'awaiting-payment': 2 }, awaitingPayment: 2,
      invoicesNotOne: 0, invoices: 2, auditRecords: 6, submittedWithoutAudit: 0,
      outboxByTopic: { 'notification.deliver': 2 }, checkedByCheckApplications: 2, findings: [] };
    const run: SubmitRun = { command: 'npm run bench:submit', machine: 'test machine',
      database: 'PostgreSQL (test)', connections: 8, p99TargetMs: 300, submits, bare,
      verification, preparedSeconds: 1, counters: undefined, waits: undefined };
    const met = renderRun(run, 2);
    assert.match(met, /Goal p99 <= 300 ms: \*\*met\*\*/);
    assert.match(met, /Submits \/ bare framework POSTs: \*\*0\.001\*\* \(1 : 1,000\)/);
    assert.match(renderRun({ ...run, p99TargetMs: 150 }, 2), /\*\*not met\*\*/);
    const failed = summarise(result([100, 200], { 303: 1, 500: 1 }));
    assert.match(renderRun({ ...run, submits: failed }, 1), /\*\*not met\*\* \(200\.0 ms, 1/);
  });
});
