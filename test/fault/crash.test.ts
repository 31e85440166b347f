/**
 * The fast crash run npm test and CI run: the app killed with SIGKILL 3 times and PostgreSQL
 * stopped abruptly once under a stream of confirmations, on a private cluster (never the
 * shared server). `npm run fault:crash` runs the full counts. Skipped loudly where no
 * PostgreSQL server programs are installed (a failure under HUDUMA_REQUIRE_ALL_TESTS=1).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { reportSkip, requireAllTests } from '#test/helpers/skips.ts';
import { formatCrashResult } from './crash-report.ts';
import { runCrashSuite } from './crash-run.ts';
import { privateClusterProblem } from './crash-postgres.ts';

const problem = privateClusterProblem();
if (problem !== undefined) {
  const message = `fault suite (crash): ${problem}; not run`;
  if (requireAllTests) throw new Error(`${message}, and HUDUMA_REQUIRE_ALL_TESTS=1 forbids it`);
  reportSkip(message);
}

it('a stream of confirmations through 3 app kills and an abrupt PostgreSQL stop: every ' +
  'receipt recorded once, every invoice\'s books right, totals equal',
{ skip: problem ?? false, timeout: 180_000 }, async () => {
  const result = await runCrashSuite({ appKills: 3, postgresStops: 1, invoices: 300, seed: 7,
    senders: 6, pauseMs: 20, faultGapMs: [1_000, 2_500], progress: () => undefined });
  const report = formatCrashResult(result);
  assert.deepEqual(result.check.problems, [], report);
  assert.ok(result.auditVerified, report);
  assert.ok(result.ledgerCommandPassed, report);
  assert.equal(result.stream.answered200, result.stream.deliveries, report);
  assert.ok(result.stream.connectionFailures + result.stream.answeredOther > 0,
    `the faults were felt by the stream\n${report}`);
  // Whether some invoices are still part paid at the end depends on the machine's speed.
  assert.ok(result.check.invoicesCovered > 0, report);
});
