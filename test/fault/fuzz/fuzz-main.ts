/**
 * `npm run fault:fuzz [-- --requests 100000 --database pglite|postgres --seed S]`: the full
 * route fuzz, in batches of a thousand (a fresh seed each, so batches differ), with progress on
 * stderr. Prints the answers by status, every failure kept, the log scan and the machine, and
 * exits 1 if any request got a 5xx, hung or crashed the process, or personal data was logged.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { DatabaseKind } from '#platform/db/index.ts';
import { startProgress } from '#platform/progress.ts';
import { openTestDatabase } from '#test/helpers/databases.ts';
import { emptyResult, runFuzz, scanLog, startFuzzTarget, type FuzzResult } from './fuzz-run.ts';

const batchSize = 1_000;
const concurrency = 4;

const { values } = parseArgs({ options: {
  requests: { type: 'string', default: '100000' },
  database: { type: 'string', default: 'pglite' },
  seed: { type: 'string', default: '20261203' },
} });
const requests = Number(values.requests);
const seed = Number(values.seed);
const kind = values.database as DatabaseKind;
if (!Number.isInteger(requests) || requests < 1 || !Number.isInteger(seed) ||
  !['pglite', 'postgres'].includes(kind)) {
  process.stderr.write('usage: npm run fault:fuzz -- [--requests N] ' +
    '[--database pglite|postgres] [--seed S]\n');
  process.exit(2);
}

const startedAt = Date.now();
const { handle, dispose } = await openTestDatabase(kind);
const target = await startFuzzTarget(handle);
const result = emptyResult();
const progress = startProgress(`fuzz (${kind})`, requests);
for (let batch = 0; batch * batchSize < requests; batch += 1) {
  const count = Math.min(batchSize, requests - batch * batchSize);
  if (batch > 0) await target.renewCallers();
  await runFuzz(target, { count, seed: seed + batch, concurrency }, result);
  scanLog(target, result);
  target.logLines.length = 0;
  progress.tick(count);
}
progress.done();
const health = await target.app.inject('/healthz');
await target.close();
await dispose();
report(result, health.statusCode);

function report(outcome: FuzzResult, healthStatus: number): void {
  const seconds = (Date.now() - startedAt) / 1000;
  const statuses = [...outcome.byStatus].sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}: ${count}`).join(', ');
  const fivexx = [...outcome.byStatus].filter(([status]) => status >= 500)
    .reduce((sum, [, count]) => sum + count, 0);
  const cpus = os.cpus();
  const lines = [
    `command: npm run fault:fuzz -- --requests ${requests} --database ${kind} --seed ${seed}`,
    `machine: ${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, ` +
      `Node ${process.versions.node}`,
    `routes: ${target.routes.length}; callers: ${target.callers.map((c) => c.name).join(', ')}`,
    `requests: ${outcome.requests} in ${seconds.toFixed(0)} s; by status: ${statuses}`,
    `busy (503 + Retry-After, sent again after the wait): ${outcome.busy}`,
    `5xx in the end: ${fivexx}; failures (5xx, hung, threw): ${outcome.failureCount}; ` +
      `crashes: ${outcome.crashes.length}; /healthz after: ${healthStatus}`,
    `log lines scanned: ${outcome.logLines}; with personal data: ` +
      `${outcome.personalDataLines.length}`,
    ...outcome.failures.map(({ request, outcome: what }) =>
      `  FAILED ${request.method} ${request.route} as ${request.caller}: ${what}`),
    ...outcome.crashes.map((crash) => `  CRASH ${crash}`),
    ...outcome.personalDataLines.map((line) => `  PERSONAL DATA IN LOG: ${line.slice(0, 300)}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const clean = outcome.failureCount === 0 && outcome.crashes.length === 0 &&
    outcome.personalDataLines.length === 0 && healthStatus === 200;
  process.exit(clean ? 0 : 1);
}
