/**
 * `node bench/ledger/run.ts [--entries 2000] [--concurrency 8] [--lines 200000]`: the ledger's
 * posting rate (one receipt per transaction, one after another and on several connections at
 * once; and many per transaction, as micro-batched ingest commits them) and the cost of a
 * derived balance on a busy account, which decides whether balances need roll-ups.
 * Runs on PGlite (in memory) and on a throw-away PostgreSQL database.
 */
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import {
  accountCodes,
  balanceOf,
  postEntryInTrx,
  receiptMatched,
  receiptUnmatched,
  suspenseMatched,
} from '#modules/ledger/index.ts';
import { openTestDatabase, switchTriggersOffInTrx } from '#test/helpers/databases.ts';

const { values } = parseArgs({ options: {
  entries: { type: 'string', default: '2000' },
  concurrency: { type: 'string', default: '8' },
  lines: { type: 'string', default: '200000' },
} });
const entries = Number(values.entries);
const concurrency = Number(values.concurrency);
const busyLines = Number(values.lines);
const paybill = { kind: 'mpesa', shortcode: '222222' } as const;
let receipts = 0;

function receiptEntry() {
  receipts += 1;
  return receiptMatched({ receipt: { channel: paybill, receiptNumber: `BENCH${receipts}` },
    invoiceId: uuidv7(), amount: money(1_050_00n, 'KES'), occurredAt: new Date() });
}

async function postOne(db: Kysely<unknown>): Promise<void> {
  const result = await db.transaction().execute((trx) => postEntryInTrx(trx, receiptEntry()));
  if (!result.ok) throw new Error(result.error.code);
}

async function rate(label: string, count: number, work: () => Promise<void>): Promise<void> {
  const startedAt = performance.now();
  await work();
  const seconds = (performance.now() - startedAt) / 1000;
  process.stdout.write(`  ${label}: ${count} entries in ${seconds.toFixed(2)} s, ` +
    `${Math.round(count / seconds)} entries/s\n`);
}

/**
 * Gives suspense `count` receipt lines, written straight in SQL with triggers off (a bench
 * shortcut to a busy account, not a way to post): each is a balanced two-line entry.
 */
async function fillSuspense(db: Kysely<unknown>, count: number): Promise<void> {
  const seed = await db.transaction().execute((trx) => postEntryInTrx(trx, receiptUnmatched({
    receipt: { channel: paybill, receiptNumber: 'BENCHSEED' }, amount: money(1n, 'KES'),
    occurredAt: new Date() })));
  if (!seed.ok) throw new Error(seed.error.code);
  // In chunks, so no one statement meets the statement time limit.
  const chunk = 50_000;
  for (let from = 1; from <= count; from += chunk) {
    const to = Math.min(from + chunk - 1, count);
    await db.transaction().execute(async (trx) => {
      await switchTriggersOffInTrx(trx);
      await sql`
      with entry as (
        insert into ledger_entry (id, code, currency, idempotency_key, reference, occurred_at)
        select gen_random_uuid(), 'RECEIPT_HELD_IN_SUSPENSE', 'KES', 'bench:' || n,
          jsonb_build_object('providerReceipt', 'mpesa:BENCH' || n), now()
        from generate_series(${from}::int, ${to}::int) as n
        returning id)
      insert into ledger_line
        (entry_id, line_number, account_code, currency, side, amount_minor)
      select entry.id, line.number, line.account, 'KES', line.side, 100
      from entry cross join (values (1, 'collection:mpesa:222222', 'debit'),
        (2, 'suspense', 'credit')) as line (number, account, side)`.execute(trx);
    });
  }
  await sql`analyze ledger_line`.execute(db);
}

async function median(runs: number, work: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const startedAt = performance.now();
    await work();
    times.push(performance.now() - startedAt);
  }
  return times.sort((left, right) => left - right)[Math.floor(runs / 2)] ?? 0;
}

for (const kind of ['pglite', 'postgres'] as const) {
  const { handle, dispose } = await openTestDatabase(kind);
  const db = handle.db as unknown as Kysely<unknown>;
  process.stdout.write(`${handle.description}\n`);
  try {
    await rate('sequential receipts', entries, async () => {
      for (let index = 0; index < entries; index += 1) await postOne(db);
    });
    await rate(`receipts on ${concurrency} connections`, entries, async () => {
      let next = 0;
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < entries) {
          next += 1;
          await postOne(db);
        }
      }));
    });
    const batchSize = 100;
    await rate(`receipts, ${batchSize} per transaction (one commit)`, entries, async () => {
      for (let done = 0; done < entries; done += batchSize) {
        await db.transaction().execute(async (trx) => {
          for (let index = 0; index < batchSize; index += 1) {
            const result = await postEntryInTrx(trx, receiptEntry());
            if (!result.ok) throw new Error(result.error.code);
          }
        });
      }
    });
    await fillSuspense(db, busyLines);
    const balanceMs = await median(9, async () => {
      await balanceOf(db, accountCodes.suspense(), 'KES');
    });
    const matchMs = await median(9, async () => {
      const result = await db.transaction().execute((trx) => postEntryInTrx(trx,
        suspenseMatched({ receipt: { channel: paybill, receiptNumber: `M${uuidv7()}` },
          invoiceId: uuidv7(), amount: money(1n, 'KES'), occurredAt: new Date() })));
      if (!result.ok) throw new Error(result.error.code);
    });
    process.stdout.write(`  balance of suspense with ~${busyLines} lines: ` +
      `${balanceMs.toFixed(1)} ms (median of 9)\n` +
      `  a debit of that suspense (locked balance check + post): ${matchMs.toFixed(1)} ms\n`);
  } finally {
    await dispose();
  }
}
