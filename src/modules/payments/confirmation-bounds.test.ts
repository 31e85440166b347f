/**
 * Sanity bounds on what only Safaricom should send (issue 9, item 4): a confirmation naming
 * another paybill, dated far ahead or long ago, with a fraction of a shilling or above
 * M-Pesa's per-transaction limit is held in suspense with an alert: never credited to the
 * invoice it names, never lost, and no collection account for a paybill that is not ours.
 * An unreadable OrgAccountBalance does not stop crediting. Over real HTTP, as M-Pesa posts.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { accountCodes, balanceOf, checkLedger } from '#modules/ledger/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { signInAs } from '#test/helpers/sessions.ts';
import {
  c2bConfirmationBody,
  fixtureIds,
  insertPaymentsFixture,
  kenyaTransTime,
  newPayerId,
  type PaymentsHarness,
  receiptNumbers,
  startPaymentsHarness,
  testCallbackToken,
} from '#test/helpers/payments.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { mpesaTransactionMinorMax } from './callback-screening.ts';
import { sweepUnprocessedCallbacks } from './ingest-sweep.ts';
import { paymentsDb } from './invoice-repo.ts';
import { insertRawCallbacksInTrx, type RawCallback } from './payment-repo.ts';
import { createInvoiceForService, invoiceView } from './invoice-service.ts';

const dayMs = 24 * 60 * 60 * 1000;
const nextReceipt = receiptNumbers('OB');

describeOnDatabases('confirmation bounds', (database) => {
  let harness: PaymentsHarness;
  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database());
  });
  after(async () => {
    await harness.close();
  });

  const confirm = (body: string) => fetch(
    `${harness.url}/api/v1/payments/callbacks/${testCallbackToken}/c2b/confirmation`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  async function issue(service: string = fixtureIds.passport) {
    const created = await createInvoiceForService(harness.deps, {
      service, payerAccountId: newPayerId(), now: new Date() });
    assert.ok(created.ok);
    return created.value;
  }

  async function paymentOf(receipt: string) {
    const rows = await sql<{ disposition: string; invoice_id: string | null; shortcode: string;
      alert: string | null; reason: string | null }>`
      select p.disposition, p.invoice_id, p.shortcode, a.kind as alert, a.reason
      from payment p left join payment_alert a on a.payment_id = p.id
      where p.provider_reference = ${receipt}`.execute(database().db);
    return rows.rows;
  }

  it('holds out-of-bounds confirmations in suspense with an alert, never on the invoice',
    async () => {
      const cases: ReadonlyArray<readonly [string, Record<string, string>, RegExp]> = [
        ['another paybill', { BusinessShortCode: '600999' }, /600999 is not our paybill/],
        ['two days ahead', { TransTime: kenyaTransTime(new Date(Date.now() + 2 * dayMs)) },
          /more than a day ahead/],
        ['forty days old', { TransTime: kenyaTransTime(new Date(Date.now() - 40 * dayMs)) },
          /more than 30 days old/],
        ['a fraction of a shilling', { TransAmount: '1049.50' }, /fraction of a shilling/],
        ['above the M-Pesa limit', { TransAmount: `${mpesaTransactionMinorMax / 100n + 1n}.00` },
          /above M-Pesa's limit/],
      ];
      const suspenseBefore = await balanceOf(database().db, accountCodes.suspense(), 'KES');
      let heldMinor = 0n;
      const receipts: string[] = [];
      for (const [why, change, reason] of cases) {
        const invoice = await issue();
        const receipt = nextReceipt();
        receipts.push(receipt);
        const body = { ...JSON.parse(c2bConfirmationBody({ receipt, shillings: 1_050n,
          billReference: invoice.reference })) as Record<string, string>, ...change };
        assert.equal((await confirm(JSON.stringify(body))).status, 200, why);
        const rows = await paymentOf(receipt);
        assert.equal(rows.length, 1, why);
        assert.equal(rows[0]?.disposition, 'suspense', why);
        assert.equal(rows[0]?.invoice_id, null, why);
        assert.equal(rows[0]?.shortcode, '222222', `${why}: our paybill's account`);
        assert.equal(rows[0]?.alert, 'CONFIRMATION_OUT_OF_BOUNDS', why);
        assert.match(rows[0]?.reason ?? '', reason, why);
        assert.equal((await invoiceView(harness.deps, invoice.reference))?.status, 'unpaid', why);
        heldMinor += BigInt((body['TransAmount'] ?? '').replace('.', ''));
      }
      const suspenseAfter = await balanceOf(database().db, accountCodes.suspense(), 'KES');
      assert.equal(suspenseAfter.amountMinor - suspenseBefore.amountMinor, heldMinor);
      const foreign = await sql<{ n: bigint }>`select count(*) as n from ledger_account
        where code = 'collection:mpesa:600999'`.execute(database().db);
      assert.equal(foreign.rows[0]?.n, 0n, 'no collection account for another paybill');
      assert.match(harness.deps.metrics.render(),
        /payments_alerts_raised_total\{kind="CONFIRMATION_OUT_OF_BOUNDS"\} 5/);
      assert.deepEqual((await checkLedger(database().db)).findings, []);
      const treasury = await signInAs(database(), 'treasury');
      const register = await harness.app.inject({ url: '/api/v1/payments/suspense?pageSize=200',
        headers: { ...treasury.headers, accept: 'application/json' } });
      const items = (register.json() as { items: { receiptNumber: string; flag: string }[] })
        .items.filter((item) => receipts.includes(item.receiptNumber));
      assert.equal(items.length, cases.length);
      assert.ok(items.every((item) => item.flag.startsWith('held in suspense: ')),
        'the suspense register shows each flag');
    });

  it('refuses at validation (C2B00013) what M-Pesa cannot move in one payment', async () => {
    const created = await createInvoiceForService(harness.deps, { service: fixtureIds.passport,
      payerAccountId: newPayerId(), now: new Date(), allowsPartPayment: true });
    assert.ok(created.ok);
    const invoice = created.value;
    const validate = async (amount: string) => {
      const body = { ...JSON.parse(c2bConfirmationBody({ receipt: nextReceipt(),
        shillings: 1n, billReference: invoice.reference })) as Record<string, string>,
      TransAmount: amount };
      const answer = await fetch(
        `${harness.url}/api/v1/payments/callbacks/${testCallbackToken}/c2b/validation`,
        { method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body) });
      return (await answer.json() as { ResultCode: string }).ResultCode;
    };
    assert.equal(await validate('1050.00'), '0');
    assert.equal(await validate('1049.00'), '0', 'a part payment in whole shillings');
    assert.equal(await validate('1049.50'), 'C2B00013', 'half a shilling');
    assert.equal(await validate('250001.00'), 'C2B00013');
  });

  it('judges TransTime against when the confirmation arrived, not when it is swept',
    async () => {
      const invoice = await issue();
      const receipt = nextReceipt();
      const arrived = new Date(Date.now() - 40 * dayMs);
      const raw: RawCallback = { id: uuidv7(arrived.getTime()), kind: 'mpesa_c2b_confirmation',
        receivedAt: arrived, sourceAddress: '127.0.0.1', headers: {},
        body: c2bConfirmationBody({ receipt, shillings: 1_050n, billReference: invoice.reference,
          time: kenyaTransTime(new Date(arrived.getTime() - 60_000)) }) };
      // Stored forty days ago by a process that stopped before processing it.
      await paymentsDb(database().db).transaction().execute((trx) =>
        insertRawCallbacksInTrx(trx, [raw]));
      const report = await sweepUnprocessedCallbacks(database().db, { now: new Date(),
        shortcode: '222222', logger: createLogger({ level: 'silent' }),
        findPayerContact: undefined });
      assert.equal(report.failed, 0);
      assert.equal((await invoiceView(harness.deps, invoice.reference))?.status, 'paid');
      assert.deepEqual((await paymentOf(receipt)).map((row) => [row.disposition, row.alert]),
        [['allocated', null]]);
    });

  it('credits a confirmation whose OrgAccountBalance cannot be read', async () => {
    const invoice = await issue();
    const receipt = nextReceipt();
    const body = { ...JSON.parse(c2bConfirmationBody({ receipt, shillings: 1_050n,
      billReference: invoice.reference })) as Record<string, string>,
    OrgAccountBalance: 'twelve thousand' };
    assert.equal((await confirm(JSON.stringify(body))).status, 200);
    assert.equal((await invoiceView(harness.deps, invoice.reference))?.status, 'paid');
    const rows = await paymentOf(receipt);
    assert.deepEqual(rows.map((row) => [row.disposition, row.alert]), [['allocated', null]]);
  });
});
