/**
 * An STK status query confirms money without naming its M-Pesa receipt. Payments are one only
 * by receipt or CheckoutRequestID, so a later paybill confirmation of the same amount for the
 * same invoice is recorded as a payment of its own (the payer's credit, never lost), and a
 * C2B_MAY_REPEAT_STK_PAYMENT alert asks a person to check it is not the same money twice.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { systemClock } from '#platform/clock/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { money } from '#platform/money/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  c2bConfirmationBody,
  fixtureIds,
  insertPaymentsFixture,
  newPayerId,
  startPaymentsHarness,
  testCallbackToken,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { checkBooks } from './books-check-service.ts';
import { createInvoiceForService } from './invoice-service.ts';
import { recordNoticeInTrx } from './receipt-service.ts';

describeOnDatabases('a paybill payment that may repeat an STK payment', (database) => {
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

  const confirm = (receipt: string, reference: string, shillings: bigint) =>
    fetch(`${harness.url}/api/v1/payments/callbacks/${testCallbackToken}/c2b/confirmation`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: c2bConfirmationBody({ receipt, shillings, billReference: reference }),
    });
  const alertsOf = async (paymentId: string) => (await sql<{ kind: string }>`select kind
    from payment_alert where payment_id = ${paymentId}`.execute(database().db))
    .rows.map((row) => row.kind);
  const paymentOf = async (receipt: string) => (await sql<{ id: string; disposition: string }>`
    select id, disposition from payment where provider_reference = ${receipt}`
    .execute(database().db)).rows[0];

  it('records both and raises the alert for the same amount; none for another amount',
    async () => {
      const created = await createInvoiceForService(deps(), { service: fixtureIds.passport,
        payerAccountId: newPayerId(), now: new Date() });
      assert.ok(created.ok);
      const invoice = created.value;
      await database().db.transaction().execute((trx) => recordNoticeInTrx(trx, {
        source: 'stk_query', receiptNumber: undefined,
        checkoutRequestId: `ws_CO_${invoice.id.slice(-12)}`, amount: money(1_050_00n, 'KES'),
        accountReference: invoice.reference, paidAt: new Date(), shortcode: '222222',
        rawId: null }, { now: new Date(), stkInvoiceId: invoice.id }));
      const same = `SR${invoice.reference.slice(0, 8)}`;
      assert.equal((await confirm(same, invoice.reference, 1_050n)).status, 200);
      const recorded = await paymentOf(same);
      assert.equal(recorded?.disposition, 'credited');
      assert.deepEqual(await alertsOf(recorded?.id ?? ''), ['C2B_MAY_REPEAT_STK_PAYMENT']);
      const other = `SO${invoice.reference.slice(0, 8)}`;
      assert.equal((await confirm(other, invoice.reference, 700n)).status, 200);
      assert.deepEqual(await alertsOf((await paymentOf(other))?.id ?? ''), []);
      assert.deepEqual((await checkBooks(database().db)).findings, []);
    });
});
