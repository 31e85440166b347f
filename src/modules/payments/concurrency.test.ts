/**
 * The same receipt delivered many times at once, by C2B confirmation and by STK callback,
 * over real HTTP to the running app: it is credited once.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { systemClock } from '#platform/clock/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { accountCodes, balanceOf, checkLedger } from '#modules/ledger/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  c2bConfirmationBody,
  fixtureIds,
  insertPaymentsFixture,
  insertSubmittedPush,
  newPayerId,
  startPaymentsHarness,
  stkCallbackBody,
  testCallbackToken,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { createInvoiceForService, invoiceView } from './invoice-service.ts';

const deliveriesPerRoute = 10;

describeOnDatabases('one receipt delivered 20 times at once', (database) => {
  let harness: PaymentsHarness;
  const deps = () => ({ db: database().db, clock: systemClock,
    logger: createLogger({ level: 'silent' }) });
  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database());
  });
  after(async () => {
    await harness.close();
  });

  it('credits it once, whichever delivery wins', async () => {
    const created = await createInvoiceForService(deps(),
      { service: fixtureIds.passport, payerAccountId: newPayerId(), now: new Date() });
    assert.ok(created.ok);
    const invoice = created.value;
    const checkoutRequestId = `ws_CO_${invoice.id.slice(-12)}`;
    await insertSubmittedPush(database(), { invoiceId: invoice.id, reference: invoice.reference,
      shillings: 1_050n, checkoutRequestId });
    const receipt = `CC${invoice.reference.slice(0, 8)}`;
    const payableBefore = await balanceOf(database().db,
      accountCodes.agencyPayable(fixtureIds.agency), 'KES');
    const base = `${harness.url}/api/v1/payments/callbacks/${testCallbackToken}`;
    const post = (path: string, body: string) => fetch(`${base}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const c2b = c2bConfirmationBody({ receipt, shillings: 1_050n,
      billReference: invoice.reference });
    const stk = stkCallbackBody({ checkoutRequestId, receipt, shillings: 1_050n });
    const answers = await Promise.all(Array.from({ length: deliveriesPerRoute }, () => [
      post('/c2b/confirmation', c2b), post('/stk/callback', stk)]).flat());
    assert.deepEqual(answers.map((answer) => answer.status),
      Array.from({ length: 2 * deliveriesPerRoute }, () => 200));
    const counts = await sql<{ payments: bigint; events: bigint; entries: bigint }>`select
      (select count(*) from payment where provider_reference = ${receipt}) as payments,
      (select count(*) from payment_event e join payment p on p.id = e.payment_id
        where p.provider_reference = ${receipt} and e.kind like 'CONFIRMED%') as events,
      (select count(*) from ledger_entry where reference->>'providerReceipt' = ${
        `mpesa:${receipt}`}) as entries`.execute(database().db);
    assert.deepEqual(counts.rows[0], { payments: 1n, events: 20n, entries: 1n });
    const payment = await sql<{ checkout: string | null }>`select checkout_request_id as checkout
      from payment where provider_reference = ${receipt}`.execute(database().db);
    assert.equal(payment.rows[0]?.checkout, checkoutRequestId);
    const payableAfter = await balanceOf(database().db,
      accountCodes.agencyPayable(fixtureIds.agency), 'KES');
    assert.equal(payableAfter.amountMinor - payableBefore.amountMinor, 1_000_00n);
    const view = await invoiceView(deps(), invoice.reference);
    assert.equal(view?.status, 'paid');
    assert.equal(view?.allocations.length, 1);
    assert.deepEqual((await checkLedger(database().db)).findings, []);
  });
});
