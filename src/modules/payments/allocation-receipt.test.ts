/**
 * Receipts are issued when money is allocated, not when someone first looks: the allocating
 * transaction enqueues payments.receipt-issue, whose consumer issues the receipt (once, however
 * often it runs), stating the provider's time of payment and its receipt number.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { createLogger } from '#platform/logging/index.ts';
import { runOutboxBatch } from '#platform/outbox/index.ts';
import { listInvoiceReceipts } from '#modules/documents/index.ts';
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
import {
  allocationReceiptKey,
  issueAllocationReceipt,
  receiptIssueHandler,
  receiptIssueTopic,
} from './allocation-receipt-service.ts';
import { createInvoiceForService } from './invoice-service.ts';

describeOnDatabases('receipts issued at allocation', (database) => {
  let harness: PaymentsHarness;
  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database());
  });
  after(async () => harness.close());

  const issueReceipts = () => runOutboxBatch({ db: database().db, clock: harness.deps.clock,
    logger: createLogger({ level: 'silent' }),
    handlers: { [receiptIssueTopic]: receiptIssueHandler(harness.deps) } });

  async function paidInvoice(receipt: string, time: string) {
    const created = await createInvoiceForService(harness.deps, {
      service: fixtureIds.passport, payerAccountId: newPayerId(), now: new Date() });
    assert.ok(created.ok);
    const answer = await fetch(
      `${harness.url}/api/v1/payments/callbacks/${testCallbackToken}/c2b/confirmation`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: c2bConfirmationBody({ receipt, time, billReference: created.value.reference,
          shillings: created.value.total.amountMinor / 100n }) });
    assert.equal(answer.status, 200);
    return created.value;
  }

  it('enqueues the receipt in the allocation\'s commit and issues it with the provider\'s time',
    async () => {
      const invoice = await paidInvoice('RCT0000001', '20261128101500');
      const allocation = await sql<{ id: string }>`select id from payment_allocation
        where invoice_id = ${invoice.id}`.execute(database().db);
      const allocationId = allocation.rows[0]?.id ?? '';
      const queued = await sql<{ n: bigint }>`select count(*) as n from outbox_event
        where topic = ${receiptIssueTopic} and payload->>'allocationId' = ${allocationId}`
        .execute(database().db);
      assert.equal(queued.rows[0]?.n, 1n, 'one event, committed with the allocation');
      assert.deepEqual(await listInvoiceReceipts(harness.deps, invoice.id), [],
        'nothing issued before the worker runs');
      const report = await issueReceipts();
      assert.ok(report.delivered >= 1);
      const [receipt] = await listInvoiceReceipts(harness.deps, invoice.id);
      assert.equal(receipt?.sourceKey, allocationReceiptKey(allocationId));
      // TransTime 20261128101500 is Kenya time: 07:15 UTC.
      assert.equal(receipt.paidAt.toISOString(), '2026-11-28T07:15:00.000Z');
      assert.equal(receipt.providerReference, 'RCT0000001');
      assert.equal(receipt.channel, 'mpesa_c2b');
      assert.deepEqual(receipt.amount, invoice.total);
    });

  it('issues one receipt per allocation however often its event runs', async () => {
    const invoice = await paidInvoice('RCT0000002', '20261128111500');
    await issueReceipts();
    const [first] = await listInvoiceReceipts(harness.deps, invoice.id);
    assert.ok(first !== undefined);
    const allocationId = first.sourceKey.split(':').pop() ?? '';
    const again = await issueAllocationReceipt(harness.deps, allocationId);
    assert.equal(again?.id, first.id);
    assert.equal((await listInvoiceReceipts(harness.deps, invoice.id)).length, 1);
    assert.equal(await issueAllocationReceipt(harness.deps, 'not-an-id'), undefined);
  });
});
