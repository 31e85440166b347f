/**
 * STK push when things go wrong: two requests with one key at once, a process that stops
 * between recording a push and recording Daraja's answer, two real payments of one invoice
 * that agree on amount and time, and the callback's TransactionDate read in Kenya time.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { manualClock } from '#platform/clock/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { runOutboxBatch } from '#platform/outbox/index.ts';
import { checkLedger } from '#modules/ledger/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  c2bConfirmationBody,
  fixtureIds,
  insertPaymentsFixture,
  newPayerId,
  startPaymentsHarness,
  stkCallbackBody,
  testCallbackToken,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { createInvoiceForService } from './invoice-service.ts';
import { darajaTimestamp } from './mpesa/index.ts';
import { paymentsDb } from './invoice-repo.ts';
import { stkDepsFor } from './payments-routes.ts';
import { findStkPush } from './stk-repo.ts';
import { runStkQuery, stkQueryHandler, type StkQueryDeps } from './stk-query-worker.ts';
import {
  initiateStkPush,
  intentCheckDelayMs,
  stkPushView,
  stkQueryTopic,
} from './stk-service.ts';

describeOnDatabases('STK push under concurrency and crashes', (database) => {
  let harness: PaymentsHarness;
  let deps: StkQueryDeps;
  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database());
    deps = stkDepsFor(harness.deps);
  });
  after(async () => {
    await harness.close();
  });

  async function issue() {
    const created = await createInvoiceForService(deps, {
      service: fixtureIds.passport, payerAccountId: newPayerId(), now: new Date() });
    assert.ok(created.ok);
    return created.value;
  }

  const callbacks = (path: string, body: string) => fetch(
    `${harness.url}/api/v1/payments/callbacks/${testCallbackToken}${path}`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  const workersAt = (at: Date) => runOutboxBatch({ db: database().db, clock: manualClock(at),
    logger: createLogger({ level: 'silent' }),
    handlers: { [stkQueryTopic]: stkQueryHandler(deps) } });

  it('reads the same push back for two requests with one key at once', async () => {
    for (let round = 0; round < 4; round += 1) {
      const invoice = await issue();
      const input = { invoiceReference: invoice.reference, phone: '0708374149',
        requestedBy: newPayerId(), requestKey: `race-${invoice.id}`, now: new Date() };
      const [first, second] = await Promise.all(
        [initiateStkPush(deps, input), initiateStkPush(deps, input)]);
      assert.ok(first?.ok && second?.ok, 'neither request throws');
      assert.equal(second.value.id, first.value.id);
      const pushes = await sql<{ n: bigint }>`select count(*) as n from stk_push
        where invoice_id = ${invoice.id}`.execute(database().db);
      assert.equal(pushes.rows[0]?.n, 1n);
    }
    await harness.daraja.emulator.idle();
  });

  /** An STK push whose process stopped during Daraja's call: its intent recorded, no answer. */
  async function pushStoppedBeforeDarajaAnswered(invoiceReference: string, requestKey: string) {
    const stopping: StkQueryDeps = { ...deps, daraja: { ...deps.daraja, stkPush: async () => {
      throw new Error('the process stopped here');
    } } };
    await assert.rejects(initiateStkPush(stopping, { invoiceReference,
      phone: '0708374149', requestedBy: newPayerId(), requestKey, now: new Date() }));
    const push = await findStkPush(paymentsDb(database().db), { requestKey });
    assert.ok(push !== undefined);
    return push;
  }

  it('closes a push whose process stopped before Daraja\'s answer was recorded', async () => {
    const invoice = await issue();
    const requestKey = `crash-${invoice.id}`;
    const push = await pushStoppedBeforeDarajaAnswered(invoice.reference, requestKey);
    assert.equal((await stkPushView(deps, push.id))?.state, 'STK_PUSH_READY');
    await workersAt(new Date(Date.now() + 60_000));
    assert.equal((await stkPushView(deps, push.id))?.state, 'STK_PUSH_READY',
      'not before the call could have ended');
    await workersAt(new Date(Date.now() + intentCheckDelayMs + 1_000));
    const view = await stkPushView(deps, push.id);
    assert.equal(view?.state, 'EXPIRED');
    assert.equal(view?.status.kind, 'unconfirmed', 'the payer checks M-Pesa before paying again');
  });

  it('gives pushes recorded before the intent check existed a check of their own', async () => {
    const invoice = await issue();
    const requestKey = `old-${invoice.id}`;
    const push = await pushStoppedBeforeDarajaAnswered(invoice.reference, requestKey);
    // As if recorded before: no check queued.
    await sql`delete from outbox_event where payload->>'stkPushId' = ${push.id}`
      .execute(database().db);
    const migration = await readFile(new URL(
      '../../../migrations/202612031201_enqueue-stk-intent-checks.sql', import.meta.url), 'utf8');
    await sql.raw(migration).execute(database().db);
    await workersAt(new Date(Date.now() + intentCheckDelayMs + 1_000));
    assert.equal((await stkPushView(deps, push.id))?.state, 'EXPIRED');
  });

  it('asks M-Pesa nothing at the intent check of a push whose answer was recorded', async () => {
    const invoice = await issue();
    const started = await initiateStkPush(deps, { invoiceReference: invoice.reference,
      phone: '0708371037', requestedBy: newPayerId(), now: new Date() });
    assert.ok(started.ok);
    assert.equal(await runStkQuery(deps, { stkPushId: started.value.id, attempt: 0,
      final: false }), 'skipped');
    await harness.daraja.emulator.idle();
  });

  it('keeps two real payments of one invoice apart when only amount and time agree',
    async () => {
      const invoice = await issue();
      const started = await initiateStkPush(deps, { invoiceReference: invoice.reference,
        phone: '0708379001', requestedBy: newPayerId(), now: new Date() });
      assert.ok(started.ok);
      await harness.daraja.emulator.idle();
      assert.equal(await runStkQuery(deps, { stkPushId: started.value.id, attempt: 1,
        final: false }), 'confirmed');
      // The same sum paid again through the paybill, a minute later: a second payment.
      const answer = await callbacks('/c2b/confirmation', c2bConfirmationBody({
        receipt: `TWO${invoice.id.slice(-7).toUpperCase()}`,
        shillings: invoice.total.amountMinor / 100n, billReference: invoice.reference,
        time: darajaTimestamp(new Date(Date.now() + 60_000)) }));
      assert.equal(answer.status, 200);
      const payments = await sql<{ channel: string; disposition: string }>`select channel,
        disposition from payment where invoice_id = ${invoice.id} order by recorded_at`
        .execute(database().db);
      assert.deepEqual(payments.rows, [
        { channel: 'mpesa_stk', disposition: 'allocated' },
        { channel: 'mpesa_c2b', disposition: 'credited' },
      ]);
    });

  it('reads the callback\'s TransactionDate as Kenya time', async () => {
    const invoice = await issue();
    const checkoutRequestId = `ws_CO_kenya_${invoice.id.slice(-12)}`;
    const quiet: StkQueryDeps = { ...deps, daraja: { ...deps.daraja, stkPush: async () => ({
      ok: true, value: { checkoutRequestId, merchantRequestId: 'kenya-1',
        responseDescription: 'Success', customerMessage: 'Success' } }) } };
    const started = await initiateStkPush(quiet, { invoiceReference: invoice.reference,
      phone: '0708374149', requestedBy: newPayerId(), now: new Date() });
    assert.ok(started.ok);
    const answer = await callbacks('/stk/callback', stkCallbackBody({ checkoutRequestId,
      receipt: `KEN${invoice.id.slice(-7).toUpperCase()}`,
      shillings: invoice.total.amountMinor / 100n }));
    assert.equal(answer.status, 200);
    // stkCallbackBody says TransactionDate 20261128101500: 10:15 in Nairobi, 07:15 UTC.
    const paid = await sql<{ paid_at: Date }>`select paid_at from payment
      where invoice_id = ${invoice.id}`.execute(database().db);
    assert.equal(paid.rows[0]?.paid_at.toISOString(), '2026-11-28T07:15:00.000Z');
  });

  it('keeps the ledger balanced after all of it', async () => {
    assert.deepEqual((await checkLedger(database().db)).findings, []);
  });
});
