/**
 * Exactly-once crediting, as a property: for any set of payments to a few invoices (part,
 * exact, over, split, unknown reference; by C2B, by STK, or both; invoices that lapsed an hour
 * ago, paid before and after their expiry), delivering every callback several times,
 * shuffled, in concurrent bursts gives the same invoices and the same ledger as delivering
 * each once in order (once the outbox has applied payments made after expiry,
 * docs/decisions/0003); and the ledger passes its check after every burst.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { systemClock } from '#platform/clock/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { runOutboxBatch } from '#platform/outbox/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  c2bConfirmationBody,
  fixtureIds,
  insertPaymentsFixture,
  insertSubmittedPush,
  newPayerId,
  stkCallbackBody,
} from '#test/helpers/payments.ts';
import { expiryReapplyHandler, expiryReapplyTopic } from './expiry-reapply-service.ts';
import { createIngestBatcher, type IngestBatcher } from './ingest-batcher.ts';
import { createInvoiceForService, invoiceViewById } from './invoice-service.ts';
import type { RawCallback } from './payment-repo.ts';
import { checkBooks } from './books-check-service.ts';

const logger = createLogger({ level: 'silent' });
const deps = (db: Parameters<typeof createInvoiceForService>[0]['db']) =>
  ({ db, clock: systemClock, logger });

type Route = 'c2b' | 'stk' | 'both';
type PaymentSpec = Readonly<{ invoice: number; shillings: bigint; route: Route;
  afterExpiry: boolean }>;
type Scenario = Readonly<{
  invoices: number;
  /** The invoices expired an hour ago (payments then by C2B, made before or after expiry). */
  lapsed: boolean;
  payments: readonly PaymentSpec[];
  copies: readonly number[];
  order: readonly number[];
  burst: number;
}>;

/** Amounts that are part, exact, over and split payments of KES 1,050. */
const amount = fc.constantFrom(1n, 260n, 500n, 550n, 1_050n, 1_100n);
const route = fc.constantFrom<Route>('c2b', 'stk', 'both');
const scenarios: fc.Arbitrary<Scenario> = fc.record({
  invoices: fc.integer({ min: 1, max: 3 }),
  lapsed: fc.boolean(),
  payments: fc.array(fc.record({
    invoice: fc.integer({ min: -1, max: 2 }), shillings: amount, route,
    afterExpiry: fc.boolean(),
  }), { minLength: 1, maxLength: 6 }),
  copies: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 12, maxLength: 12 }),
  order: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
  burst: fc.integer({ min: 1, max: 8 }),
});

let run = 0;
const hourMs = 60 * 60 * 1000;

/** M-Pesa's TransTime: Kenya time (UTC+3), yyyyMMddHHmmss. */
function kenyaTime(at: Date): string {
  return new Date(at.getTime() + 3 * hourMs).toISOString().replace(/[-T:]/g, '').slice(0, 14);
}

describeOnDatabases('exactly-once crediting (property)', (database, kind) => {
  let batcher: IngestBatcher;
  before(async () => {
    await insertPaymentsFixture(database());
    batcher = createIngestBatcher({ db: database().db, logger,
      // Every waiting callback may open a lane: batches race each other in separate lanes.
      lanesMax: kind === 'pglite' ? 1 : 4, windowMs: 1, extraLaneQueueMin: 1,
      context: () => ({ now: new Date(), shortcode: '222222', logger,
        findPayerContact: undefined }) });
  });

  /** Runs the outbox's `payments.expiry-reapply` events until none is left. */
  async function applyPaymentsAfterExpiry() {
    const handlers = { [expiryReapplyTopic]:
      expiryReapplyHandler(deps(database().db)) };
    for (;;) {
      const report = await runOutboxBatch({ db: database().db, clock: systemClock, logger,
        handlers });
      if (report.delivered === 0) return;
    }
  }

  /** Invoices, pushes and the callbacks of one realisation of the scenario. */
  async function realise(scenario: Scenario) {
    run += 1;
    const payerId = newPayerId();
    const invoiceIds: string[] = [];
    const references: string[] = [];
    const now = Date.now();
    const expiresAt = new Date(now - hourMs);
    for (let index = 0; index < scenario.invoices; index += 1) {
      const created = await createInvoiceForService(deps(database().db), scenario.lapsed
        ? { service: fixtureIds.passport, payerAccountId: payerId,
          now: new Date(now - 48 * hourMs), expiresAt }
        : { service: fixtureIds.passport, payerAccountId: payerId, now: new Date(now) });
      assert.ok(created.ok);
      invoiceIds.push(created.value.id);
      references.push(created.value.reference);
    }
    const deliveries: RawCallback[][] = [];
    const receipts: string[] = [];
    for (const [index, payment] of scenario.payments.entries()) {
      const target = payment.invoice < 0 ? -1 : payment.invoice % scenario.invoices;
      // STK pushes are dated by the emulator's clock: a lapsed invoice is paid by C2B only.
      const paymentRoute = target < 0 || scenario.lapsed ? 'c2b' : payment.route;
      const paidAt = new Date(expiresAt.getTime() +
        (scenario.lapsed && payment.afterExpiry ? 30 * 60_000 : -2 * hourMs));
      const receipt = `P${String(run).padStart(5, '0')}X${String(index).padStart(3, '0')}`;
      receipts.push(receipt);
      const raws: RawCallback[] = [];
      if (paymentRoute !== 'stk') {
        raws.push(raw('mpesa_c2b_confirmation', c2bConfirmationBody({ receipt,
          shillings: payment.shillings, time: kenyaTime(paidAt),
          billReference: target < 0 ? 'NO SUCH BILL' : references[target] ?? '' })));
      }
      if (paymentRoute !== 'c2b') {
        const checkoutRequestId = `ws_CO_${receipt}`;
        await insertSubmittedPush(database(), { invoiceId: invoiceIds[target] ?? '',
          reference: references[target] ?? '', shillings: payment.shillings, checkoutRequestId });
        raws.push(raw('mpesa_stk_callback',
          stkCallbackBody({ checkoutRequestId, receipt, shillings: payment.shillings })));
      }
      deliveries.push(raws);
    }
    return { payerId, invoiceIds, receipts, deliveries };
  }

  function raw(kind: RawCallback['kind'], body: string): RawCallback {
    return { id: uuidv7(), kind, receivedAt: new Date(), sourceAddress: '127.0.0.1',
      headers: {}, body };
  }

  const copyOf = (item: RawCallback): RawCallback => ({ ...item, id: uuidv7() });

  /** What the run left behind, with its ids replaced by their place in the scenario. */
  async function footprint(realised: Awaited<ReturnType<typeof realise>>) {
    const invoices = [];
    for (const id of realised.invoiceIds) {
      const view = await invoiceViewById(deps(database().db), id);
      invoices.push([view?.status, view?.paid.amountMinor, view?.balanceDue.amountMinor,
        view?.allocations.map((a) => a.amount.amountMinor).sort()]);
    }
    const providerReceipts = realised.receipts.map((receipt) => `mpesa:${receipt}`);
    const lines = await sql<{ account: string; net: string }>`
      select l.account_code as account, sum(case when l.side = 'debit' then l.amount_minor
        else -l.amount_minor end)::text as net
      from ledger_line l join ledger_entry e on e.id = l.entry_id
      where e.reference->>'invoiceId' = any(${realised.invoiceIds}::text[])
         or e.reference->>'providerReceipt' = any(${providerReceipts}::text[])
      group by l.account_code
      -- Balances, not paths: a payment held as credit and then applied (the order that meets
      -- a lapsed invoice first) leaves the payer's credit at zero, as if never touched.
      having sum(case when l.side = 'debit' then l.amount_minor else -l.amount_minor end) <> 0`
      .execute(database().db);
    const named = (account: string) => realised.invoiceIds.reduce(
      (text, id, index) => text.replace(id, `invoice-${index}`),
      account.replace(realised.payerId, 'payer'));
    const ledger = Object.fromEntries(lines.rows.map((row) => [named(row.account), row.net])
      .sort(([left], [right]) => String(left).localeCompare(String(right))));
    return { invoices, ledger };
  }

  it('converges whatever the duplicates, order and concurrency', async () => {
    await fc.assert(fc.asyncProperty(scenarios, async (scenario) => {
      const inOrder = await realise(scenario);
      for (const raws of inOrder.deliveries) {
        for (const item of raws) await batcher.submit(item);
      }
      await applyPaymentsAfterExpiry();
      const scrambled = await realise(scenario);
      const all = scrambled.deliveries.flat().flatMap((item, index) =>
        Array.from({ length: scenario.copies[index % scenario.copies.length] ?? 1 },
          () => copyOf(item)));
      const keyed = all.map((item, index) => ({ item, key: scenario.order[index % 40] ?? 0 }));
      keyed.sort((left, right) => left.key - right.key);
      for (let start = 0; start < keyed.length; start += scenario.burst) {
        const burst = keyed.slice(start, start + scenario.burst);
        await Promise.all(burst.map(({ item }) => batcher.submit(item)));
        const report = await checkBooks(database().db);
        assert.deepEqual(report.findings, []);
      }
      await applyPaymentsAfterExpiry();
      assert.deepEqual((await checkBooks(database().db)).findings, []);
      assert.deepEqual(await footprint(scrambled), await footprint(inOrder));
    }), { numRuns: kind === 'pglite' ? 8 : 15 });
  });
});
