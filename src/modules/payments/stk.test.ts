/**
 * STK push through the Daraja emulator over real HTTP: paid, refused, duplicated, lost and
 * late callbacks, status queries that settle a lost callback, and the C2B confirmation of the
 * same money; all of them credit once.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { manualClock } from '#platform/clock/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { money } from '#platform/money/index.ts';
import { runOutboxBatch } from '#platform/outbox/index.ts';
import { checkLedger } from '#modules/ledger/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  fixtureIds,
  insertPaymentsFixture,
  newPayerId,
  startPaymentsHarness,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { createInvoiceForService, invoiceView } from './invoice-service.ts';
import { stkDepsFor } from './payments-routes.ts';
import { runStkQuery, stkQueryHandler, type StkQueryDeps } from './stk-query-worker.ts';
import { initiateStkPush, stkPushView, stkQueryTopic } from './stk-service.ts';

const kes = (amountMinor: bigint) => money(amountMinor, 'KES');

describeOnDatabases('STK push through the emulator', (database) => {
  let harness: PaymentsHarness;
  let confirming: PaymentsHarness;
  let deps: StkQueryDeps;
  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database());
    confirming = await startPaymentsHarness(database(), { emulator: { stkConfirmsC2b: true } });
    deps = stkDepsFor(harness.deps);
  });
  after(async () => {
    await harness.close();
    await confirming.close();
  });

  async function issue() {
    const created = await createInvoiceForService(deps, {
      service: fixtureIds.passport, payerAccountId: newPayerId(), now: new Date() });
    assert.ok(created.ok);
    return created.value;
  }

  async function push(reference: string, phone: string, using: StkQueryDeps = deps) {
    const started = await initiateStkPush(using, { invoiceReference: reference, phone,
      requestedBy: newPayerId(), now: new Date() });
    assert.ok(started.ok, started.ok ? '' : started.error.code);
    return started.value;
  }

  async function settle(h: PaymentsHarness) {
    await h.daraja.emulator.idle();
  }

  async function paymentCount(invoiceId: string): Promise<bigint> {
    const rows = await sql<{ n: bigint }>`select count(*) as n from payment
      where invoice_id = ${invoiceId}`.execute(database().db);
    return rows.rows[0]?.n ?? -1n;
  }

  it('pays an invoice when the payer enters the PIN', async () => {
    const invoice = await issue();
    const started = await push(invoice.reference, '0708374149');
    assert.equal(started.state, 'STK_PUSH_SUBMITTED');
    assert.equal(started.status.kind, 'waiting');
    await settle(harness);
    const view = await stkPushView(deps, started.id);
    assert.equal(view?.state, 'CONFIRMED');
    assert.equal(view?.status.kind, 'confirmed');
    const invoiceNow = await invoiceView(deps, invoice.reference);
    assert.equal(invoiceNow?.status, 'paid');
    assert.equal(invoiceNow?.allocations[0]?.channel, 'mpesa_stk');
    assert.match(invoiceNow?.allocations[0]?.receiptNumber ?? '', /^[A-Z0-9]{10}$/);
  });

  it('records a refusal with its reason and moves no money', async () => {
    const invoice = await issue();
    const started = await push(invoice.reference, '0708371032');
    await settle(harness);
    const view = await stkPushView(deps, started.id);
    assert.equal(view?.state, 'FAILED');
    assert.deepEqual(view?.status,
      { kind: 'failed', reason: 'cancelled', messageKey: 'payments.stk.failed.cancelled' });
    assert.equal(await paymentCount(invoice.id), 0n);
    assert.equal((await invoiceView(deps, invoice.reference))?.status, 'unpaid');
  });

  it('refuses a bad phone number, a closed invoice and an amount that is not whole shillings',
    async () => {
      const invoice = await issue();
      const base = { invoiceReference: invoice.reference, requestedBy: newPayerId(),
        now: new Date() };
      const phone = await initiateStkPush(deps, { ...base, phone: '0812 345 678' });
      assert.equal(phone.ok ? 'ok' : phone.error.code, 'PAY_PHONE_NUMBER_INVALID');
      const cents = await initiateStkPush(deps,
        { ...base, phone: '0708374149', amount: kes(100_50n) });
      assert.equal(cents.ok ? 'ok' : cents.error.code, 'PAY_AMOUNT_NOT_ACCEPTED');
      await push(invoice.reference, '0708374149');
      await settle(harness);
      const closed = await initiateStkPush(deps, { ...base, phone: '0708374149' });
      assert.equal(closed.ok ? 'ok' : closed.error.code, 'PAY_INVOICE_NOT_PAYABLE');
    });

  it('returns the same push for a repeated request key', async () => {
    const invoice = await issue();
    const input = { invoiceReference: invoice.reference, phone: '0708374149',
      requestedBy: newPayerId(), requestKey: `form-${invoice.id}`, now: new Date() };
    const first = await initiateStkPush(deps, input);
    const second = await initiateStkPush(deps, input);
    assert.ok(first.ok && second.ok);
    assert.equal(second.value.id, first.value.id);
    await settle(harness);
    assert.equal(await paymentCount(invoice.id), 1n);
  });

  it('credits once when the callback comes twice', async () => {
    const invoice = await issue();
    await push(invoice.reference, '0708379002');
    await settle(harness);
    assert.equal(await paymentCount(invoice.id), 1n);
    const events = await sql<{ kind: string }>`select e.kind from payment_event e
      join payment p on p.id = e.payment_id where p.invoice_id = ${invoice.id}`
      .execute(database().db);
    assert.deepEqual(events.rows.map((row) => row.kind),
      ['CONFIRMED_BY_STK_CALLBACK', 'CONFIRMED_BY_STK_CALLBACK']);
  });

  it('settles a lost callback with the scheduled status query (through the outbox)', async () => {
    const invoice = await issue();
    const started = await push(invoice.reference, '0708379001');
    await settle(harness);
    assert.equal((await stkPushView(deps, started.id))?.state, 'STK_PUSH_SUBMITTED');
    const minuteLater = manualClock(new Date(Date.now() + 61_000));
    const report = await runOutboxBatch({ db: database().db, clock: minuteLater,
      logger: createLogger({ level: 'silent' }),
      handlers: { [stkQueryTopic]: stkQueryHandler(deps) } });
    assert.ok(report.delivered >= 1);
    assert.equal((await stkPushView(deps, started.id))?.state, 'CONFIRMED');
    const view = await invoiceView(deps, invoice.reference);
    assert.equal(view?.status, 'paid');
    assert.equal(view?.allocations[0]?.receiptNumber, null);
    // A later query finds it settled and asks M-Pesa nothing.
    assert.equal(await runStkQuery(deps, { stkPushId: started.id, attempt: 2, final: false }),
      'skipped');
  });

  it('learns the receipt from a late callback after a query settled it, crediting once',
    async () => {
      const invoice = await issue();
      const started = await push(invoice.reference, '0708379003');
      await new Promise((resolve) => setTimeout(resolve, 60));
      assert.equal(await runStkQuery(deps, { stkPushId: started.id, attempt: 1, final: false }),
        'confirmed');
      await settle(harness);
      assert.equal(await paymentCount(invoice.id), 1n);
      const view = await invoiceView(deps, invoice.reference);
      assert.match(view?.allocations[0]?.receiptNumber ?? '', /^[A-Z0-9]{10}$/);
      assert.equal(view?.status, 'paid');
    });

  it('keeps a push pending on 1037, then expires it after the last query', async () => {
    const invoice = await issue();
    const started = await push(invoice.reference, '0708371037');
    await settle(harness);
    assert.equal(await runStkQuery(deps, { stkPushId: started.id, attempt: 1, final: false }),
      'pending');
    const pending = await stkPushView(deps, started.id);
    assert.equal(pending?.state, 'STK_PUSH_SUBMITTED');
    assert.equal(pending?.status.kind, 'pending');
    assert.equal(await runStkQuery(deps, { stkPushId: started.id, attempt: 3, final: true }),
      'expired');
    assert.equal((await stkPushView(deps, started.id))?.status.kind, 'unconfirmed');
    assert.equal(await paymentCount(invoice.id), 0n);
  });

  it('credits once when both the STK callback and the C2B confirmation arrive', async () => {
    const confirmingDeps = stkDepsFor(confirming.deps);
    const invoice = await issue();
    await push(invoice.reference, '0708374149', confirmingDeps);
    await settle(confirming);
    assert.equal(await paymentCount(invoice.id), 1n);
    const kinds = await sql<{ kind: string }>`select e.kind from payment_event e
      join payment p on p.id = e.payment_id where p.invoice_id = ${invoice.id}
      and e.kind like 'CONFIRMED%' order by e.kind`.execute(database().db);
    assert.deepEqual(kinds.rows.map((row) => row.kind),
      ['CONFIRMED_BY_C2B_CONFIRMATION', 'CONFIRMED_BY_STK_CALLBACK']);
    assert.equal((await invoiceView(deps, invoice.reference))?.status, 'paid');
  });

  it('processes a callback that beat the record of its own push', async () => {
    const invoice = await issue();
    const checkoutRequestId = `ws_CO_race_${invoice.id.slice(-12)}`;
    const callback = { Body: { stkCallback: {
      MerchantRequestID: 'race-1', CheckoutRequestID: checkoutRequestId, ResultCode: 0,
      ResultDesc: 'The service request is processed successfully.',
      CallbackMetadata: { Item: [{ Name: 'Amount', Value: 1050 },
        { Name: 'MpesaReceiptNumber', Value: 'RACE000001' },
        { Name: 'TransactionDate', Value: 20261128101500 },
        { Name: 'PhoneNumber', Value: 254708374149 }] } } } };
    const racing: StkQueryDeps = { ...deps, daraja: { ...deps.daraja, stkPush: async () => {
      const answer = await fetch(deps.stkCallbackUrl, { method: 'POST',
        headers: { 'content-type': 'application/json' }, body: JSON.stringify(callback) });
      assert.equal(answer.status, 200);
      return { ok: true, value: { checkoutRequestId, merchantRequestId: 'race-1',
        responseDescription: 'Success', customerMessage: 'Success' } };
    } } };
    const started = await push(invoice.reference, '0708374149', racing);
    assert.equal((await stkPushView(deps, started.id))?.state, 'CONFIRMED');
    assert.equal((await invoiceView(deps, invoice.reference))?.status, 'paid');
  });

  it('keeps the ledger balanced after all of it', async () => {
    assert.deepEqual((await checkLedger(database().db)).findings, []);
  });
});
