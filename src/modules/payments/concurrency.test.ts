/**
 * The same receipt delivered many times at once, by C2B confirmation and by STK callback,
 * over real HTTP to the running app: it is credited once. And different receipts for the same
 * invoices at once (part payments racing through the ingest lanes): each invoice covered once.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { systemClock } from '#platform/clock/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { accountCodes, balanceOf } from '#modules/ledger/index.ts';
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
import { checkBooks } from './books-check-service.ts';

const deliveriesPerRoute = 10;
const invoicesInBurst = 12;

describeOnDatabases('payments delivered at once over HTTP', (database) => {
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
    assert.deepEqual((await checkBooks(database().db)).findings, []);
  });

  it('different receipts for the same invoices at once: each paid once, books right',
    async () => {
      const invoices = await Promise.all(Array.from({ length: invoicesInBurst }, async () => {
        const created = await createInvoiceForService(deps(), { service: fixtureIds.passport,
          payerAccountId: newPayerId(), now: new Date(), allowsPartPayment: true });
        assert.ok(created.ok);
        return created.value;
      }));
      const url = `${harness.url}/api/v1/payments/callbacks/${testCallbackToken}/c2b/confirmation`;
      // Five part payments per invoice that sum to 1,250.00 (1,050.00 due): covered, then over.
      const parts = [250n, 250n, 250n, 250n, 250n];
      const answers = await Promise.all(invoices.flatMap((invoice, which) =>
        parts.map((shillings, part) => fetch(url, { method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: c2bConfirmationBody({ receipt: `PB${String(which).padStart(3, '0')}${part}X` +
            invoice.reference.slice(0, 4), shillings, billReference: invoice.reference }) }))));
      assert.ok(answers.every((answer) => answer.status === 200));
      for (const invoice of invoices) {
        const view = await invoiceView(deps(), invoice.reference);
        assert.equal(view?.status, 'overpaid');
        assert.equal(view?.allocations.length, parts.length);
        const deposits = await balanceOf(database().db, accountCodes.invoiceDeposits(invoice.id),
          'KES');
        assert.equal(deposits.amountMinor, 0n);
        const credit = await balanceOf(database().db,
          accountCodes.payerCredit(invoice.payerAccountId), 'KES');
        assert.equal(credit.amountMinor, 200_00n);
      }
      assert.deepEqual((await checkBooks(database().db)).findings, []);
    });
});
