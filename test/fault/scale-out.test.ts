/**
 * The scale-out part of the fault suite: 3 app processes (workers on) against one fresh
 * PostgreSQL database. PostgreSQL only (PGlite is one process's embedded database); skipped
 * loudly where the server is not reachable (a failure under HUDUMA_REQUIRE_ALL_TESTS=1).
 * Results: RELIABILITY.md, "Scale-out".
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { postgresProblem } from '#test/helpers/databases.ts';
import { reportSkip } from '#test/helpers/skips.ts';
import { formatScaleOut } from './scale-out-report.ts';
import { runScaleOut } from './scale-out-run.ts';

/** How often a process's search checks catalogue_version (refreshCheckIntervalMsDefault). */
const searchCheckIntervalMs = 5_000;
/** A rebuild of this small catalogue takes milliseconds; the rest is for a busy machine. */
const rebuildSlackMs = 5_000;

if (postgresProblem !== undefined) {
  reportSkip(`fault suite (scale-out): PostgreSQL not reachable (${postgresProblem}); not run`);
}

it('3 processes: confirmations spread and raced across them credit once, every outbox job ' +
  'runs once and all three share them, a catalogue change reaches every search index',
{ skip: postgresProblem === undefined ? false : `PostgreSQL not reachable: ${postgresProblem}`,
  timeout: 150_000 }, async () => {
  const result = await runScaleOut({ processes: 3, invoices: 45, extraJobs: 300, seed: 11,
    concurrency: 6, progress: () => undefined });
  const report = formatScaleOut(result);
  assert.deepEqual(result.check.problems, [], report);
  assert.ok(result.traffic.sentToAllAtOnce > 5, report);
  assert.equal(result.check.money.receiptsChecked, result.traffic.payments, report);
  for (const each of result.search) {
    for (const ms of [each.insertedMs, each.renamedMs]) {
      assert.ok(ms !== undefined && ms <= searchCheckIntervalMs + rebuildSlackMs,
        `process ${each.process} saw the change after ${ms} ms\n${report}`);
    }
  }
  process.stderr.write(`${report}\n`);
});
