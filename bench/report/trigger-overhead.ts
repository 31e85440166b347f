/**
 * bench/report/trigger-overhead (`node bench/report/trigger-overhead.ts [--rounds R]
 * [--transactions T] [--batch B]`): what reporting's trigger on ledger_line adds to the
 * posting hot path. On a fresh PostgreSQL database, rounds alternate between the trigger
 * enabled and disabled (as the owner; the app cannot); each round commits T transactions of
 * B receipts posted with postEntriesInTrx (the ingest batch's call) and one invoice-covered
 * entry per receipt, from 4 concurrent connections. Alternating rounds keeps a busy machine's
 * drift out of the comparison. Prints the median per-transaction time of each side.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import {
  invoiceCovered,
  postEntriesInTrx,
  receiptMatched,
  type Entry,
} from '#modules/ledger/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import { migrate, type Database } from '#platform/db/index.ts';
import { createBenchDatabase } from '../ingest/bench-db.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '6' },
  transactions: { type: 'string', default: '400' }, batch: { type: 'string', default: '10' } } });
const rounds = Number(values.rounds);
const transactions = Number(values.transactions);
const batch = Number(values.batch);
const connections = 4;
let receiptNumber = 0;

function entriesOfOneTransaction(): Entry[] {
  const entries: Entry[] = [];
  for (let index = 0; index < batch; index += 1) {
    receiptNumber += 1;
    const invoiceId = uuidv7();
    const amount = money(105_000n, 'KES');
    entries.push(receiptMatched({ invoiceId, amount, occurredAt: new Date(),
      receipt: { channel: { kind: 'mpesa', shortcode: '222222' },
        receiptNumber: `OVH${receiptNumber}` } }));
    const covered = invoiceCovered({ invoiceId, deposits: amount, payerId: uuidv7(),
      agencyFees: [{ agencyId: '00000000-0000-7000-8000-00000000c001',
        amount: money(100_000n, 'KES') }], accessFee: money(5_000n, 'KES'),
      occurredAt: new Date() });
    if (!covered.ok) throw new Error(covered.error.code);
    entries.push(covered.value);
  }
  return entries;
}

async function round(db: Database): Promise<number[]> {
  const samples: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < transactions) {
      next += 1;
      const entries = entriesOfOneTransaction();
      const started = performance.now();
      const posted = await db.transaction().execute((trx) => postEntriesInTrx(trx, entries));
      samples.push(performance.now() - started);
      if (!posted.ok) throw new Error(posted.error.code);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return samples.sort((a, b) => a - b);
}

const median = (sorted: readonly number[]): number => sorted[Math.floor(sorted.length / 2)] ?? 0;
const percentile99 = (sorted: readonly number[]): number =>
  sorted[Math.ceil(sorted.length * 0.99) - 1] ?? 0;

const database = await createBenchDatabase('postgres', 'overhead');
const handle = await database.open();
try {
  await migrate(handle.db);
  const results: { trigger: boolean; medianMs: number; p99Ms: number; seconds: number }[] = [];
  for (let index = 0; index < rounds * 2; index += 1) {
    const enabled = index % 2 === 1;
    await sql`alter table ledger_line ${sql.raw(enabled ? 'enable always' : 'disable')}
      trigger reporting_add_ledger_lines`.execute(handle.db);
    const started = performance.now();
    const samples = await round(handle.db);
    results.push({ trigger: enabled, medianMs: median(samples), p99Ms: percentile99(samples),
      seconds: (performance.now() - started) / 1000 });
    process.stderr.write(`round ${index + 1}: trigger ${enabled ? 'on ' : 'off'} median ${
      median(samples).toFixed(2)} ms\n`);
  }
  const side = (enabled: boolean) => results.filter((result) => result.trigger === enabled);
  const summary = (enabled: boolean) => ({
    medianMs: median(side(enabled).map((result) => result.medianMs).sort((a, b) => a - b)),
    p99Ms: median(side(enabled).map((result) => result.p99Ms).sort((a, b) => a - b)),
    transactionsPerSecond: transactions / median(side(enabled).map((result) => result.seconds)
      .sort((a, b) => a - b)),
  });
  process.stdout.write(`${JSON.stringify({ rounds, transactions, batch, connections,
    entriesPerTransaction: batch * 2, off: summary(false), on: summary(true), results },
  null, 2)}\n`);
} finally {
  await handle.close();
  await database.drop();
}
