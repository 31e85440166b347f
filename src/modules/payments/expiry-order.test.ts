/**
 * Payments on both sides of an invoice's expiry end the same whatever order M-Pesa delivers
 * them in (docs/decisions/0003): a payment made after expiry that arrives before the in-time
 * one is held as credit, then applied by the outbox once the in-time one revives the invoice.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { systemClock } from '#platform/clock/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { runOutboxBatch } from '#platform/outbox/index.ts';
import { accountCodes, balanceOf } from '#modules/ledger/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { fixtureIds, insertPaymentsFixture, newPayerId } from '#test/helpers/payments.ts';
import { payerCreditBalance } from './credit-service.ts';
import {
  expiryReapplyHandler,
  expiryReapplyTopic,
  reapplyPaymentsAfterExpiry,
} from './expiry-reapply-service.ts';
import { createIngestBatcher } from './ingest-batcher.ts';
import { createInvoiceForService, invoiceViewById } from './invoice-service.ts';
import type { RawCallback } from './payment-repo.ts';
import { checkBooks } from './books-check-service.ts';

const logger = createLogger({ level: 'silent' });
const hourMs = 60 * 60 * 1000;
let receipts = 0;

/** M-Pesa's TransTime: Kenya time (UTC+3), yyyyMMddHHmmss. */
function kenyaTime(at: Date): string {
  return new Date(at.getTime() + 3 * hourMs).toISOString().replace(/[-T:]/g, '').slice(0, 14);
}

function confirmation(billReference: string, shillings: bigint, paidAt: Date): RawCallback {
  receipts += 1;
  return {
    id: uuidv7(), kind: 'mpesa_c2b_confirmation', receivedAt: new Date(),
    sourceAddress: '127.0.0.1', headers: {},
    body: JSON.stringify({
      TransactionType: 'Pay Bill', TransID: `EX${String(receipts).padStart(8, '0')}`,
      TransTime: kenyaTime(paidAt), TransAmount: `${shillings}.00`, BusinessShortCode: '222222',
      BillRefNumber: billReference, InvoiceNumber: '', OrgAccountBalance: '',
      ThirdPartyTransID: '', MSISDN: '2547 ***** 126', FirstName: 'A', MiddleName: '',
      LastName: 'B',
    }),
  };
}

describeOnDatabases('payments on both sides of expiry', (database) => {
  const deps = () => ({ db: database().db, clock: systemClock, logger });
  before(async () => {
    await insertPaymentsFixture(database());
  });

  /** A KES 1,050 invoice that expired an hour ago; the payments' times around its expiry. */
  async function lapsedInvoice() {
    const now = Date.now();
    const payerAccountId = newPayerId();
    const created = await createInvoiceForService(deps(), {
      service: fixtureIds.passport, payerAccountId, now: new Date(now - 48 * hourMs),
      expiresAt: new Date(now - hourMs),
    });
    assert.ok(created.ok);
    const expiry = created.value.expiresAt.getTime();
    return { invoice: created.value, payerAccountId, inTime: new Date(expiry - 2 * hourMs),
      late: new Date(expiry + 30 * 60 * 1000) };
  }

  /** Delivers the confirmations one by one, in the order given, then drains the outbox. */
  async function deliver(raws: readonly RawCallback[]) {
    const batcher = createIngestBatcher({ db: database().db, logger, lanesMax: 1, windowMs: 0,
      context: () => ({ now: new Date(), shortcode: '222222', logger,
        findPayerContact: undefined }) });
    for (const raw of raws) await batcher.submit(raw);
    await runOutboxBatch({ db: database().db, clock: systemClock, logger,
      handlers: { [expiryReapplyTopic]: expiryReapplyHandler(deps()) } });
  }

  async function outcome(invoiceId: string, payerAccountId: string) {
    const view = await invoiceViewById(deps(), invoiceId);
    return {
      status: view?.status, paid: view?.paid.amountMinor, overpaid: view?.overpaid.amountMinor,
      allocations: view?.allocations.length,
      credit: (await payerCreditBalance(deps(), payerAccountId)).amountMinor,
      deposits: (await balanceOf(database().db, accountCodes.invoiceDeposits(invoiceId), 'KES'))
        .amountMinor,
    };
  }

  for (const [name, inTimeShillings, lateShillings, expected] of [
    ['a part payment, then more after expiry', 500n, 800n,
      { status: 'overpaid', paid: 1_300_00n, overpaid: 250_00n, allocations: 2,
        credit: 250_00n, deposits: 0n }],
    ['the whole amount, then more after expiry', 1_050n, 300n,
      { status: 'overpaid', paid: 1_350_00n, overpaid: 300_00n, allocations: 2,
        credit: 300_00n, deposits: 0n }],
  ] as const) {
    it(`ends the same in either order: ${name}`, async () => {
      const inOrder = await lapsedInvoice();
      await deliver([
        confirmation(inOrder.invoice.reference, inTimeShillings, inOrder.inTime),
        confirmation(inOrder.invoice.reference, lateShillings, inOrder.late),
      ]);
      const reversed = await lapsedInvoice();
      await deliver([
        confirmation(reversed.invoice.reference, lateShillings, reversed.late),
        confirmation(reversed.invoice.reference, inTimeShillings, reversed.inTime),
      ]);
      assert.deepEqual(await outcome(inOrder.invoice.id, inOrder.payerAccountId), expected);
      assert.deepEqual(await outcome(reversed.invoice.id, reversed.payerAccountId), expected);
      // Applying again changes nothing.
      const again = await reapplyPaymentsAfterExpiry(deps(), reversed.invoice.id);
      assert.deepEqual(again, { applied: 0, recorded: 0, skipped: 0 });
      assert.deepEqual(await outcome(reversed.invoice.id, reversed.payerAccountId), expected);
      const check = await checkBooks(database().db);
      assert.equal(check.ok, true);
    });
  }

  it('leaves a payment made after expiry as credit while nothing was paid in time', async () => {
    const lapsed = await lapsedInvoice();
    await deliver([confirmation(lapsed.invoice.reference, 1_050n, lapsed.late)]);
    assert.deepEqual(await outcome(lapsed.invoice.id, lapsed.payerAccountId), {
      status: 'expired', paid: 0n, overpaid: 0n, allocations: 0, credit: 1_050_00n,
      deposits: 0n });
  });
});
