/**
 * Poison callbacks (issue 9, item 3): a confirmation that can never be processed is stored
 * (as bytes when it is not text), answered 200, quarantined with its reason and an alert,
 * and never blocks the sweep: 500 of them before a good one, and one sweep run credits the
 * good one. Over real HTTP to the app, as M-Pesa posts.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { createLogger } from '#platform/logging/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  c2bConfirmationBody,
  fixtureIds,
  insertPaymentsFixture,
  insertSubmittedPush,
  newPayerId,
  type PaymentsHarness,
  receiptNumbers,
  startPaymentsHarness,
  stkCallbackBody,
  testCallbackToken,
} from '#test/helpers/payments.ts';
import type { IngestContext } from './ingest-service.ts';
import { sweepAttemptsMax, sweepUnprocessedCallbacks } from './ingest-sweep.ts';
import { createInvoiceForService, invoiceView } from './invoice-service.ts';
import { paymentsDb } from './invoice-repo.ts';
import { insertRawCallbacksInTrx, type RawCallback } from './payment-repo.ts';

const logger = createLogger({ level: 'silent' });
const nextReceipt = receiptNumbers('PZ');

describeOnDatabases('poison callbacks', (database) => {
  let harness: PaymentsHarness;
  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database());
  });
  after(async () => {
    await harness.close();
  });

  const post = (path: string, body: string | Uint8Array<ArrayBuffer>,
    headers: Record<string, string> = { 'content-type': 'application/json' }) => fetch(
    `${harness.url}/api/v1/payments/callbacks/${testCallbackToken}${path}`,
    { method: 'POST', headers, body });
  const confirm = (body: string | Uint8Array<ArrayBuffer>) => post('/c2b/confirmation', body);

  async function issue() {
    const created = await createInvoiceForService(harness.deps, {
      service: fixtureIds.permit, payerAccountId: newPayerId(), now: new Date() });
    assert.ok(created.ok);
    return created.value;
  }

  async function stored(marker: string) {
    const rows = await sql<{ id: string; outcome: string | null; bytes: Uint8Array | null;
      alert: string | null; reason: string | null }>`
      select r.id, o.outcome, r.body_bytes as bytes, a.kind as alert, a.reason
      from payment_callback_raw r
      left join payment_callback_outcome o on o.raw_id = r.id
      left join payment_alert a on a.raw_id = r.id
      where r.body like ${`%${marker}%`}`.execute(database().db);
    return rows.rows;
  }

  it('stores a body with NUL bytes (UTF-16) as bytes, answers 200 and quarantines it',
    async () => {
      const receipt = nextReceipt();
      const text = c2bConfirmationBody({ receipt, shillings: 260n, billReference: 'X' });
      const utf16 = Buffer.from(text, 'utf16le');
      const answer = await confirm(new Uint8Array(utf16));
      assert.equal(answer.status, 200);
      const rows = await sql<{ outcome: string | null; bytes: Uint8Array | null;
        alert: string | null }>`select o.outcome, r.body_bytes as bytes, a.kind as alert
        from payment_callback_raw r
        left join payment_callback_outcome o on o.raw_id = r.id
        left join payment_alert a on a.raw_id = r.id
        where r.body_bytes is not null`.execute(database().db);
      const found = rows.rows.find((row) =>
        row.bytes !== null && Buffer.from(row.bytes).equals(utf16));
      assert.ok(found, 'the exact bytes are stored');
      assert.equal(found.outcome, 'quarantined');
      assert.equal(found.alert, 'CALLBACK_QUARANTINED');
      // Without a content type too: the body is still stored before the answer.
      const bare = nextReceipt();
      const answer2 = await post('/c2b/confirmation', new Uint8Array(Buffer.from(
        c2bConfirmationBody({ receipt: bare, shillings: 260n, billReference: 'X' }))), {});
      assert.equal(answer2.status, 200);
      assert.equal((await stored(bare)).length, 1);
    });

  it('stores bytes that are not UTF-8 and quarantines what does not parse, with alerts',
    async () => {
      const latin1 = Buffer.from(`{"TransID":"${nextReceipt()}","FirstName":"Zoë"}`, 'latin1');
      assert.equal((await confirm(new Uint8Array(latin1))).status, 200);
      const rows = await sql<{ outcome: string | null; alert: string | null }>`
        select o.outcome, a.kind as alert from payment_callback_raw r
        left join payment_callback_outcome o on o.raw_id = r.id
        left join payment_alert a on a.raw_id = r.id
        where r.body_bytes = ${latin1}`.execute(database().db);
      assert.deepEqual(rows.rows, [{ outcome: 'quarantined', alert: 'CALLBACK_QUARANTINED' }]);
      const broken = nextReceipt();
      assert.equal((await confirm(`{"TransID":"${broken}", "TransAmount": `)).status, 200);
      const [row] = await stored(broken);
      assert.equal(row?.outcome, 'malformed');
      assert.equal(row?.alert, 'CALLBACK_QUARANTINED');
      assert.match(row?.reason ?? '', /^not understood: body/);
    });

  it('STK callbacks: a NUL in CheckoutRequestID or an unpostable amount is quarantined; ' +
    'a NUL in ResultDesc is dropped and the payment credited', async () => {
    const invoice = await issue();
    const checkoutRequestId = `ws_CO_${nextReceipt()}`;
    await insertSubmittedPush(database(), { invoiceId: invoice.id,
      reference: invoice.reference, shillings: 260n, checkoutRequestId });
    const callback = (receipt: string, change: (body: { Body: { stkCallback:
      Record<string, unknown> } }) => void) => {
      const body = JSON.parse(stkCallbackBody({ checkoutRequestId, receipt, shillings: 260n })) as
        { Body: { stkCallback: Record<string, unknown> } };
      change(body);
      return JSON.stringify(body);
    };
    const nul = nextReceipt();
    assert.equal((await post('/stk/callback', callback(nul, (body) => {
      body.Body.stkCallback['CheckoutRequestID'] = `${checkoutRequestId}\u0000`;
    }))).status, 200);
    const huge = nextReceipt();
    assert.equal((await post('/stk/callback', callback(huge, (body) => {
      const items = (body.Body.stkCallback['CallbackMetadata'] as { Item: { Name: string;
        Value?: unknown }[] }).Item;
      const amount = items.find((item) => item.Name === 'Amount');
      if (amount !== undefined) amount.Value = 99_999_999_999_999;
    }))).status, 200);
    for (const receipt of [nul, huge]) {
      const [row] = await stored(receipt);
      assert.equal(row?.outcome, 'quarantined', receipt);
      assert.equal(row?.alert, 'CALLBACK_QUARANTINED', receipt);
    }
    assert.equal((await post('/stk/callback', callback(nextReceipt(), (body) => {
      body.Body.stkCallback['ResultDesc'] = 'Processed\u0000';
    }))).status, 200);
    assert.equal((await invoiceView(harness.deps, invoice.reference))?.status, 'paid');
  });

  it('quarantines an amount above the ledger\'s maximum and a NUL in BillRefNumber',
    async () => {
      const invoice = await issue();
      const huge = nextReceipt();
      const body = JSON.parse(c2bConfirmationBody({ receipt: huge, shillings: 1n,
        billReference: invoice.reference })) as Record<string, string>;
      assert.equal((await confirm(JSON.stringify(
        { ...body, TransAmount: '99999999999999.99' }))).status, 200);
      const nul = nextReceipt();
      assert.equal((await confirm(JSON.stringify({ ...body, TransID: nul, TransAmount: '260.00',
        BillRefNumber: `${invoice.reference}\u0000` }))).status, 200);
      for (const [receipt, reason] of [[huge, /ledger's maximum/], [nul, /NUL/]] as const) {
        const [row] = await stored(receipt);
        assert.equal(row?.outcome, 'quarantined', receipt);
        assert.equal(row?.alert, 'CALLBACK_QUARANTINED');
        assert.match(row?.reason ?? '', reason);
      }
      const payments = await sql<{ n: bigint }>`select count(*) as n from payment
        where provider_reference in (${huge}, ${nul})`.execute(database().db);
      assert.equal(payments.rows[0]?.n, 0n);
      assert.equal((await invoiceView(harness.deps, invoice.reference))?.status, 'unpaid');
    });

  const context = (overrides: Partial<IngestContext> = {}): IngestContext => ({
    now: new Date(), shortcode: '222222', logger, findPayerContact: undefined, ...overrides });

  function rawConfirmation(body: string, receivedAt: Date): RawCallback {
    return { id: uuidv7(receivedAt.getTime()), kind: 'mpesa_c2b_confirmation', receivedAt,
      sourceAddress: '127.0.0.1', headers: {}, body };
  }

  it('one sweep run moves past 500 poison callbacks and credits the good one behind them',
    async () => {
      const invoice = await issue();
      const stale = Date.now() - 10 * 60_000;
      const poison = Array.from({ length: 500 }, (_, index) => {
        const body = JSON.parse(c2bConfirmationBody({ receipt: nextReceipt(), shillings: 1n,
          billReference: invoice.reference })) as Record<string, string>;
        return rawConfirmation(JSON.stringify(index % 2 === 0
          ? { ...body, TransAmount: '99999999999999.99' }
          : { ...body, BillRefNumber: 'A\u0000B' }), new Date(stale + index));
      });
      const goodReceipt = nextReceipt();
      const good = rawConfirmation(c2bConfirmationBody({ receipt: goodReceipt, shillings: 260n,
        billReference: invoice.reference }), new Date(stale + 1_000));
      // As if a process had stored them and stopped before processing any.
      await paymentsDb(database().db).transaction().execute((trx) =>
        insertRawCallbacksInTrx(trx, [...poison, good]));
      const report = await sweepUnprocessedCallbacks(database().db, context());
      assert.equal(report.failed, 0);
      assert.equal(report.quarantined, 500);
      assert.equal((await invoiceView(harness.deps, invoice.reference))?.status, 'paid');
      const again = await sweepUnprocessedCallbacks(database().db, context());
      assert.deepEqual(again, { processed: 0, failed: 0, quarantined: 0 });
    });

  it('two sweeps at once (two processes) quarantine each poison callback once and credit ' +
    'the good one once', async () => {
    const invoice = await issue();
    const stale = Date.now() - 20 * 60_000;
    const poison = Array.from({ length: 100 }, (_, index) => rawConfirmation(JSON.stringify({
      ...JSON.parse(c2bConfirmationBody({ receipt: nextReceipt(), shillings: 1n,
        billReference: invoice.reference })) as Record<string, string>,
      TransAmount: '99999999999999.99' }), new Date(stale + index)));
    const goodReceipt = nextReceipt();
    const good = rawConfirmation(c2bConfirmationBody({ receipt: goodReceipt, shillings: 260n,
      billReference: invoice.reference }), new Date(stale + 50));
    await paymentsDb(database().db).transaction().execute((trx) =>
      insertRawCallbacksInTrx(trx, [...poison, good]));
    const reports = await Promise.all([sweepUnprocessedCallbacks(database().db, context()),
      sweepUnprocessedCallbacks(database().db, context())]);
    assert.ok(reports.every((report) => report.failed === 0), JSON.stringify(reports));
    const counts = await sql<{ alerts: bigint; outcomes: bigint; payments: bigint }>`select
      (select count(*) from payment_alert where raw_id in (${sql.join(poison.map((raw) =>
        raw.id))})) as alerts,
      (select count(*) from payment_callback_outcome where raw_id in (${sql.join(
        [...poison, good].map((raw) => raw.id))})) as outcomes,
      (select count(*) from payment where provider_reference = ${goodReceipt}) as payments`
      .execute(database().db);
    assert.deepEqual(counts.rows[0], { alerts: 100n, outcomes: 101n, payments: 1n });
    assert.equal((await invoiceView(harness.deps, invoice.reference))?.status, 'paid');
  });

  it('quarantines a callback whose processing keeps failing, after a few sweeps', async () => {
    const invoice = await issue();
    const receipt = nextReceipt();
    const raw = rawConfirmation(c2bConfirmationBody({ receipt, shillings: 260n,
      billReference: invoice.reference }), new Date(Date.now() - 5 * 60_000));
    await paymentsDb(database().db).transaction().execute((trx) =>
      insertRawCallbacksInTrx(trx, [raw]));
    const broken = context({ findPayerContact: () => {
      throw new Error('the contact lookup broke');
    } });
    for (let attempt = 1; attempt <= sweepAttemptsMax; attempt += 1) {
      const report = await sweepUnprocessedCallbacks(database().db, broken);
      assert.equal(report.failed, 1, `attempt ${attempt}`);
      assert.equal(report.quarantined, attempt === sweepAttemptsMax ? 1 : 0);
    }
    const [row] = await stored(receipt);
    assert.equal(row?.outcome, 'quarantined');
    assert.equal(row?.alert, 'CALLBACK_QUARANTINED');
    assert.match(row?.reason ?? '', /processing failed 3 times/);
    assert.equal((await invoiceView(harness.deps, invoice.reference))?.status, 'unpaid');
    const after = await sweepUnprocessedCallbacks(database().db, context());
    assert.equal(after.processed + after.failed, 0, 'a quarantined callback is not tried again');
  });
});
