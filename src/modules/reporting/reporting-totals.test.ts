/**
 * The daily totals are exact (both databases): after random histories of receipts (matched,
 * for closed invoices, unmatched; over Kenya-day boundaries, two channels), batches of receipts
 * in one statement, provider reversals, and folds at random moments (some racing postings in
 * other transactions), every report equals an independent model of the history to the cent,
 * equals the same report computed by a GROUP BY over the ledger, and checkDailyTotals finds
 * nothing. A total changed behind the trigger's back is found by the check.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import {
  postCorrectionInTrx,
  postEntriesInTrx,
  receiptForClosedInvoice,
  receiptMatched,
  receiptUnmatched,
  type Channel,
  type Entry,
} from '#modules/ledger/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createReportingAgency, insertTestInvoice } from '#test/helpers/reporting.ts';
import {
  collectionsByAgency,
  collectionsByChannel,
  collectionsByDay,
  collectionsByService,
  type Period,
} from './reporting-read.ts';
import { settlementPosition } from './reporting-position.ts';
import { checkDailyTotals, foldDailyTotals, foldLockKey } from './reporting-totals.ts';

const channels: readonly Channel[] = [{ kind: 'mpesa', shortcode: '222222' },
  { kind: 'card', provider: 'visa' }];
const channelCode = (channel: Channel): string => channel.kind === 'mpesa'
  ? `collection:mpesa:${channel.shortcode}` : channel.kind === 'card'
    ? `collection:card:${channel.provider}` : `collection:bank:${channel.bank}`;
const start = Date.parse('2026-11-01T00:00:00Z');
const period: Period = { from: '2026-10-01', to: '2026-12-31' };

type Receipt = Readonly<{ kind: 'matched' | 'closed' | 'unmatched'; invoice: number;
  channel: number; hour: number; amountMinor: bigint }>;
type Command =
  | Readonly<{ kind: 'post'; receipts: readonly Receipt[] }>
  | Readonly<{ kind: 'reverse'; pick: number }>
  | Readonly<{ kind: 'fold' }>
  | Readonly<{ kind: 'race'; left: readonly Receipt[]; right: readonly Receipt[] }>;

const receipt: fc.Arbitrary<Receipt> = fc.record({
  kind: fc.constantFrom('matched' as const, 'closed' as const, 'unmatched' as const),
  invoice: fc.nat({ max: 7 }), channel: fc.nat({ max: 1 }),
  // Hours from the start: crosses Kenya midnight (21:00 UTC) many times over six days.
  hour: fc.nat({ max: 24 * 6 }), amountMinor: fc.bigInt({ min: 1n, max: 500_000n }) });
const receipts = fc.array(receipt, { minLength: 1, maxLength: 4 });
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('post' as const), receipts }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const),
    pick: fc.nat({ max: 50 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fold' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('race' as const), left: receipts,
    right: receipts }) },
);

type Key = Readonly<{ day: string; agencyId: string | null; serviceId: string | null;
  channel: string }>;
type Tally = { amountMinor: bigint; receipts: bigint };

describeOnDatabases('reporting daily totals: exact after random histories', (database, kind) => {
  const model = new Map<string, Readonly<{ key: Key; tally: Tally }>>();
  const posted: { entryId: string; key: Key; amountMinor: bigint; reversed: boolean }[] = [];
  let receiptNumber = 0;

  const tally = (key: Key, amountMinor: bigint, count: bigint) => {
    const id = JSON.stringify(key);
    const found = model.get(id) ?? { key, tally: { amountMinor: 0n, receipts: 0n } };
    found.tally.amountMinor += amountMinor;
    found.tally.receipts += count;
    model.set(id, found);
  };

  it('matches the model and the ledger, folded or not', async () => {
    const db = database().db;
    const agencies = [await createReportingAgency(database(), 'Totals Agency One'),
      await createReportingAgency(database(), 'Totals Agency Two')];
    await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 12 }),
      async (commands) => {
        const invoices = await Promise.all(Array.from({ length: 8 }, async (_, index) => {
          const agency = agencies[index % 2] ?? agencies[0];
          assert.ok(agency !== undefined);
          const serviceIndex = Math.floor(index / 2) % 2;
          const serviceId = agency.serviceIds[serviceIndex] ?? '';
          const id = await insertTestInvoice(database(), { agencyId: agency.agencyId,
            serviceId, feeVersionId: agency.feeVersionIds[serviceIndex] ?? '',
            serviceFeeMinor: 100_000n, accessFeeMinor: 5_000n, issuedAt: new Date(start) });
          return { id, agencyId: agency.agencyId, serviceId };
        }));
        const entryOf = (spec: Receipt): { entry: Entry; key: Key } => {
          receiptNumber += 1;
          const channel = channels[spec.channel] ?? channels[0];
          assert.ok(channel !== undefined);
          const occurredAt = new Date(start + spec.hour * 3_600_000 + 1_800_000);
          const day = new Date(occurredAt.getTime() + 3 * 3_600_000).toISOString().slice(0, 10);
          const invoice = invoices[spec.invoice];
          assert.ok(invoice !== undefined);
          const input = { receipt: { channel, receiptNumber: `RPT${receiptNumber}` },
            amount: money(spec.amountMinor, 'KES'), occurredAt };
          const matched = spec.kind !== 'unmatched';
          const key = { day, agencyId: matched ? invoice.agencyId : null,
            serviceId: matched ? invoice.serviceId : null, channel: channelCode(channel) };
          const entry = spec.kind === 'matched'
            ? receiptMatched({ ...input, invoiceId: invoice.id })
            : spec.kind === 'closed' ? receiptForClosedInvoice({ ...input,
              invoiceId: invoice.id, payerId: uuidv7() }) : receiptUnmatched(input);
          return { entry, key };
        };
        const post = async (specs: readonly Receipt[]) => {
          const built = specs.map(entryOf);
          const result = await db.transaction().execute((trx) =>
            postEntriesInTrx(trx, built.map((item) => item.entry)));
          assert.ok(result.ok);
          for (const [index, item] of built.entries()) {
            const entryId = result.value[index]?.entryId ?? '';
            posted.push({ entryId, key: item.key, amountMinor: item.entry.lines[0]?.amount
              .amountMinor ?? 0n, reversed: false });
            tally(item.key, item.entry.lines[0]?.amount.amountMinor ?? 0n, 1n);
          }
        };
        for (const step of commands) {
          if (step.kind === 'post') await post(step.receipts);
          if (step.kind === 'fold') assert.equal((await foldDailyTotals(db)).folded, true);
          if (step.kind === 'race') {
            await Promise.all([post(step.left), foldDailyTotals(db), post(step.right)]);
          }
          if (step.kind === 'reverse') {
            const target = posted.filter((item) => !item.reversed)[step.pick % 51];
            if (target === undefined) continue;
            const reversed = await db.transaction().execute((trx) => postCorrectionInTrx(trx, {
              entryId: target.entryId, idempotencyKey: `reverse:${target.entryId}`,
              occurredAt: new Date(start + 5 * 86_400_000),
              code: 'RECEIPT_REVERSED_BY_PROVIDER' }));
            assert.ok(reversed.ok, reversed.ok ? '' : reversed.error.code);
            target.reversed = true;
            // A reversal counts on the day it happened, against the receipt's invoice.
            tally({ ...target.key, day: '2026-11-06' }, -target.amountMinor, -1n);
          }
        }
        await assertExact(db);
      }), { numRuns: 15 });
  });

  const assertExact = async (db: ReturnType<typeof database>['db']) => {
    assert.deepEqual(await checkDailyTotals(db), []);
    for (const read of [collectionsByDay, collectionsByAgency, collectionsByService,
      collectionsByChannel]) {
      assert.deepEqual(await read(db, period, 'all', 'totals'),
        await read(db, period, 'all', 'ledger'), read.name);
    }
    assert.deepEqual(await settlementPosition(db, period, 'all', 'totals'),
      await settlementPosition(db, period, 'all', 'ledger'));
    const byDay = new Map<string, bigint>();
    for (const { key, tally: sum } of model.values()) {
      byDay.set(key.day, (byDay.get(key.day) ?? 0n) + sum.amountMinor);
    }
    const days = await collectionsByDay(db, period);
    assert.deepEqual(new Map(days.map((row) => [row.day, row.amountMinor])), byDay);
    const byChannel = new Map<string, bigint>();
    for (const { key, tally: sum } of model.values()) {
      byChannel.set(key.channel, (byChannel.get(key.channel) ?? 0n) + sum.amountMinor);
    }
    const channelsRead = await collectionsByChannel(db, period);
    assert.deepEqual(new Map(channelsRead.map((row) => [row.channel, row.amountMinor])),
      byChannel);
    const receiptsRead = channelsRead.reduce((sum, row) => sum + row.receipts, 0n);
    const receiptsModel = [...model.values()].reduce((sum, item) => sum + item.tally.receipts,
      0n);
    assert.equal(receiptsRead, receiptsModel);
  };

  if (kind === 'postgres') {
    it('lets one fold run at a time: another process skips its turn', async () => {
      const db = database().db;
      let release = (): void => undefined;
      const held = new Promise<void>((resolve) => { release = resolve; });
      let locked = (): void => undefined;
      const lockTaken = new Promise<void>((resolve) => { locked = resolve; });
      const holder = db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${foldLockKey}::int8)`.execute(trx);
        locked();
        await held;
      });
      await lockTaken;
      try {
        assert.deepEqual(await foldDailyTotals(db),
          { folded: false, collectionRows: 0, movementRows: 0 });
      } finally {
        release();
        await holder;
      }
      assert.equal((await foldDailyTotals(db)).folded, true);
    });
  }

  it('finds a total changed behind the trigger\'s back', async () => {
    const db = database().db;
    await foldDailyTotals(db);
    await sql`update reporting_collection_total set amount_minor = amount_minor + 1
      where ctid = (select ctid from reporting_collection_total limit 1)`.execute(db);
    const findings = await checkDailyTotals(db);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.rule, 'REPORTING_TOTALS_MATCH_LEDGER');
    assert.match(findings[0]?.subject ?? '', /^collections /);
  });
});
