/**
 * `npm run bench:batch-cost -- [--database postgres|pglite] [--sizes 1,4,16,64] [--count 1024]`
 *
 * What one ingest batch costs, apart from its payments: C2B confirmations go through the
 * payments module's ingest batcher in this process (no HTTP, one lane), in batches of exactly
 * each size, each paying its own open invoice with the payer told by SMS, as in production.
 * For each size it prints the CPU per confirmation of this process (the app's share; on PGlite
 * the database's too, which runs here) and of the PostgreSQL backends serving it (read from
 * /proc, so other work on the machine does not count), and the wall time. A fit of
 * cost = fixed / size + per payment over the sizes gives the batch's fixed cost: what a busy
 * ingest saves by making batches bigger (ingest-batcher.ts opens a second lane only for a full
 * queue). CPU time, unlike latency, hardly depends on what else the machine runs.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { DatabaseKind } from '#platform/db/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { findAccountContactsInTrx } from '#modules/identity/index.ts';
import { createIngestBatcher, type RawCallback } from '#modules/payments/index.ts';
import { createBenchDatabase, prepareBenchDatabase } from '../ingest/bench-db.ts';
import { processTicks, ticksToMs } from '../ingest/step-probe.ts';
import { fitFixedCost, type SizeCost } from './fit.ts';

const { values: args } = parseArgs({ options: {
  database: { type: 'string', default: 'postgres' },
  sizes: { type: 'string', default: '1,4,16,64' },
  count: { type: 'string', default: '1024' },
} });
const kind: DatabaseKind = args.database === 'pglite' ? 'pglite' : 'postgres';
const sizes = args.sizes.split(',').map(Number).filter((size) => size >= 1 && size <= 64);
const count = Math.min(Math.max(Number(args.count), 64), 20_000);
const warmUp = 128;
const logger = createLogger({ level: 'silent' });
const log = (text: string) => process.stderr.write(`bench:batch-cost ${text}\n`);

/** CPU ms of the PostgreSQL backends connected to `database` (0 when none or not Linux). */
function backendCpuMs(database: string | undefined): number {
  if (database === undefined) return 0;
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (!command.startsWith('postgres:') || !command.includes(` ${database} `)) continue;
      ticks += processTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      // the process ended between listing and reading
    }
  }
  return ticksToMs(ticks);
}

function confirmation(reference: string): RawCallback {
  const kenyaNow = new Date(Date.now() + 3 * 3_600_000).toISOString();
  return { id: uuidv7(), kind: 'mpesa_c2b_confirmation', receivedAt: new Date(),
    sourceAddress: '127.0.0.1', headers: {},
    body: JSON.stringify({ TransactionType: 'Pay Bill',
      TransID: `B${randomBytes(5).toString('hex').toUpperCase()}`,
      TransTime: kenyaNow.replaceAll(/\D/g, '').slice(0, 14), TransAmount: '1050.00',
      BusinessShortCode: '222222', BillRefNumber: reference, InvoiceNumber: '',
      OrgAccountBalance: '', ThirdPartyTransID: '', MSISDN: '2547 ***** 001', FirstName: 'A',
      MiddleName: '', LastName: 'B' }) };
}

async function main(): Promise<void> {
  const database = await createBenchDatabase(kind, 'batchcost');
  const name = database.url === undefined ? undefined
    : new URL(database.url).pathname.slice(1);
  try {
    log(`preparing ${warmUp + sizes.length * count} invoices on ${kind}`);
    const references = await prepareBenchDatabase(database, warmUp + sizes.length * count);
    const handle = await database.open();
    const results: SizeCost[] = [];
    let used = 0;
    try {
      for (const [index, size] of [0, ...sizes].entries()) {
        const batchSize = size === 0 ? 8 : size;
        const total = size === 0 ? warmUp : Math.ceil(count / size) * size;
        const batcher = createIngestBatcher({ db: handle.db, logger, lanesMax: 1,
          windowMs: 60_000, batchSizeMax: batchSize, context: () => ({ now: new Date(),
            shortcode: '222222', logger, findPayerContact: findAccountContactsInTrx }) });
        const appStart = process.cpuUsage();
        const databaseStart = backendCpuMs(name);
        const wallStart = performance.now();
        for (let done = 0; done < total; done += batchSize) {
          const batch = references.slice(used, used + batchSize);
          used += batch.length;
          const answers = await Promise.all(batch.map((reference) =>
            batcher.submit(confirmation(reference))));
          if (answers.some((answer) => answer.outcome !== 'payment_recorded')) {
            throw new Error(`a confirmation was not recorded: ${JSON.stringify(answers)}`);
          }
        }
        const app = process.cpuUsage(appStart);
        if (size === 0) continue;
        results.push({ size, appMs: (app.user + app.system) / 1000 / total,
          databaseMs: (backendCpuMs(name) - databaseStart) / total,
          wallMs: (performance.now() - wallStart) / total });
        log(`size ${size} done (${index} of ${sizes.length})`);
      }
    } finally {
      await handle.close();
    }
    process.stdout.write(report(results));
  } finally {
    await database.drop();
  }
}

function report(results: readonly SizeCost[]): string {
  const where = kind === 'pglite' ? 'this process (app and PGlite)' : 'this process (app)';
  const rows = results.map((row) => `| ${row.size} | ${row.appMs.toFixed(3)} | ${
    kind === 'pglite' ? '-' : row.databaseMs.toFixed(3)} | ${row.wallMs.toFixed(3)} |`);
  const fit = fitFixedCost(results);
  return [`\`npm run bench:batch-cost -- --database ${kind} --sizes ${sizes.join(',')} --count ${
    count}\`; ${new Date().toISOString().slice(0, 16)} UTC.`, '',
  `| batch size | CPU ms per confirmation, ${where} | PostgreSQL backends | wall ms |`,
  '| ---: | ---: | ---: | ---: |', ...rows, '',
  `Fit (least squares, cost = fixed / size + per payment): ${where}: ${
    fit.app.fixedMs.toFixed(2)} ms per batch + ${fit.app.perPaymentMs.toFixed(3)} ms per payment` +
  (kind === 'pglite' ? '.' : `; PostgreSQL: ${fit.database.fixedMs.toFixed(2)} ms per batch + ${
    fit.database.perPaymentMs.toFixed(3)} ms per payment.`), ''].join('\n');
}

await main();
