/**
 * listPaymentsFromPhone: the paid M-Pesa prompts sent to one phone, newest first and bounded,
 * paid through the Daraja emulator over real HTTP; never another phone's payments, never a
 * prompt that was not paid, never a paybill payment (its payer number is masked).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  fixtureIds,
  insertPaymentsFixture,
  newPayerId,
  startPaymentsHarness,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { createInvoiceForService, invoiceView } from './invoice-service.ts';
import type { PaymentsTables } from './payments-tables.ts';
import { stkDepsFor } from './payments-routes.ts';
import { listPaymentsFromPhone, phonePaymentsLimitMax } from './phone-payments.ts';
import { initiateStkPush } from './stk-service.ts';

const mine = '0711223344';
const theirs = '0722334455';
const longAgo = new Date('2020-01-01T00:00:00Z');

describeOnDatabases('payments made from a phone', (database) => {
  let harness: PaymentsHarness;
  const paidReferences: string[] = [];
  let theirReference = '';
  let unpaidReference = '';
  let paybillReference = '';

  async function issue(service: string = fixtureIds.permit) {
    const created = await createInvoiceForService(harness.deps, {
      service, payerAccountId: newPayerId(), now: new Date() });
    assert.ok(created.ok);
    return created.value;
  }

  async function payByPrompt(phone: string): Promise<string> {
    const invoice = await issue();
    const started = await initiateStkPush(stkDepsFor(harness.deps), {
      invoiceReference: invoice.reference, phone, requestedBy: newPayerId(), now: new Date() });
    assert.ok(started.ok);
    await harness.daraja.emulator.idle();
    assert.equal((await invoiceView(harness.deps, invoice.reference))?.status, 'paid');
    return invoice.reference;
  }

  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database());
    for (let n = 0; n < 3; n += 1) paidReferences.unshift(await payByPrompt(mine));
    theirReference = await payByPrompt(theirs);
    // A prompt sent to this phone that nobody answered: no payment.
    const unpaid = await issue();
    unpaidReference = unpaid.reference;
    await database().db.withTables<PaymentsTables>().insertInto('stk_push').values({
      id: uuidv7(), invoice_id: unpaid.id, requested_by: 'test', request_key: null,
      phone_number: '254711223344', amount_minor: 26_000n, currency: 'KES',
      account_reference: unpaid.reference, checkout_request_id: 'ws_CO_phone_unpaid',
      merchant_request_id: null, created_at: new Date() }).execute();
    // Paid by paybill from some phone: M-Pesa masks the number, so it is nobody's here.
    const paybill = await issue();
    paybillReference = paybill.reference;
    const c2b = await harness.client.simulateC2b({ amount: money(26_000n, 'KES'),
      msisdn: '254711223344', billReference: paybill.reference });
    assert.ok(c2b.ok);
    await harness.daraja.emulator.idle();
    assert.equal((await invoiceView(harness.deps, paybill.reference))?.status, 'paid');
  });
  after(async () => {
    await harness.close();
  });

  it('lists the phone\'s paid prompts, newest first, with reference, amount and receipt',
    async () => {
      const listed = await listPaymentsFromPhone(harness.deps,
        { phone: mine, since: longAgo, limit: 5 });
      assert.deepEqual(listed.map((payment) => payment.billReference), paidReferences);
      for (const payment of listed) {
        assert.equal(payment.amount.amountMinor, 26_000n);
        assert.equal(payment.amount.currency, 'KES');
        assert.match(payment.receiptNumber ?? '', /^[A-Z0-9]{10}$/);
        assert.ok(payment.paidAt.getTime() > longAgo.getTime());
        assert.deepEqual(Object.keys(payment).sort(),
          ['amount', 'billReference', 'paidAt', 'receiptNumber', 'stkPushId']);
      }
      const references = listed.map((payment) => payment.billReference);
      for (const other of [theirReference, unpaidReference, paybillReference]) {
        assert.ok(!references.includes(other), `${other} is not this phone's payment`);
      }
    });

  it('never shows another phone\'s payments, whatever way the number is written', async () => {
    for (const phone of ['0722334455', '+254722334455', '254722334455', '0722 334 455']) {
      const listed = await listPaymentsFromPhone(harness.deps, { phone, since: longAgo,
        limit: 5 });
      assert.deepEqual(listed.map((payment) => payment.billReference), [theirReference]);
    }
  });

  it('bounds the list, forgets prompts sent before `since`, and finds nothing for a non-number',
    async () => {
      const two = await listPaymentsFromPhone(harness.deps, { phone: `+254${mine.slice(1)}`,
        since: longAgo, limit: 2 });
      assert.deepEqual(two.map((payment) => payment.billReference), paidReferences.slice(0, 2));
      const many = await listPaymentsFromPhone(harness.deps, { phone: mine, since: longAgo,
        limit: 1_000 });
      assert.equal(many.length, 3);
      assert.equal(phonePaymentsLimitMax, 20);
      const none = await listPaymentsFromPhone(harness.deps, { phone: mine,
        since: new Date(Date.now() + 60_000), limit: 5 });
      assert.deepEqual(none, []);
      assert.deepEqual(await listPaymentsFromPhone(harness.deps, { phone: 'not a phone',
        since: longAgo, limit: 5 }), []);
      const zero = await listPaymentsFromPhone(harness.deps, { phone: mine, since: longAgo,
        limit: 0 });
      assert.equal(zero.length, 1);
    });

  it('finds a phone\'s prompts by the index on stk_push (phone_number, created_at)', async () => {
    const plan = await database().db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      return sql<{ 'QUERY PLAN': string }>`explain select id from stk_push
        where phone_number = '254711223344' and created_at >= ${longAgo}
        order by created_at desc`.execute(trx);
    });
    const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
    assert.match(text, /stk_push_phone_idx/);
  });
});
