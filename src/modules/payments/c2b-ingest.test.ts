/**
 * C2B through the Daraja emulator over real HTTP: validation accepts and rejects, confirmations
 * credit once, and money that cannot pay its invoice goes to suspense or the payer's credit.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { systemClock } from '#platform/clock/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { money } from '#platform/money/index.ts';
import { accountCodes, balanceOf } from '#modules/ledger/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { signInAs } from '#test/helpers/sessions.ts';
import {
  fixtureIds,
  insertPaymentsFixture,
  newPayerId,
  startPaymentsHarness,
  testCallbackToken,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { payerCreditBalance, payInvoiceFromCredit } from './credit-service.ts';
import { createInvoiceForService, invoiceView } from './invoice-service.ts';
import { paymentsDb } from './invoice-repo.ts';
import { listSuspensePayments } from './payment-repo.ts';
import { findPaymentByReceipt } from './payment-service.ts';
import type { PaymentsDeps } from './payments-deps.ts';
import { checkBooks } from './books-check-service.ts';

const kes = (amountMinor: bigint) => money(amountMinor, 'KES');
const payerPhone = '254708374149';
const dayMs = 24 * 60 * 60 * 1000;

describeOnDatabases('C2B ingest through the emulator', (database) => {
  let validated: PaymentsHarness;
  let unvalidated: PaymentsHarness;
  let deps: PaymentsDeps;
  before(async () => {
    await insertPaymentsFixture(database());
    validated = await startPaymentsHarness(database());
    unvalidated = await startPaymentsHarness(database(),
      { emulator: { externalValidation: false } });
    deps = { db: database().db, clock: systemClock, logger: createLogger({ level: 'silent' }) };
  });
  after(async () => {
    await validated.close();
    await unvalidated.close();
  });

  async function issue(options: Readonly<{ payerAccountId?: string; now?: Date;
    expiresAt?: Date; service?: string }> = {}) {
    const created = await createInvoiceForService(deps, {
      service: options.service ?? fixtureIds.passport,
      payerAccountId: options.payerAccountId ?? newPayerId(),
      now: options.now ?? new Date(),
      ...(options.expiresAt === undefined ? {} : { expiresAt: options.expiresAt }),
    });
    assert.ok(created.ok);
    return created.value;
  }

  async function pay(harness: PaymentsHarness, billReference: string, shillings: bigint,
    msisdn = payerPhone) {
    const outcome = await harness.daraja.emulator.simulateC2b(
      { amountShillings: shillings, msisdn, billReference });
    await harness.daraja.emulator.idle();
    return outcome;
  }

  const balance = (code: Parameters<typeof balanceOf>[1]) =>
    balanceOf(database().db, code, 'KES');

  it('accepts a payment of an open invoice and credits it once', async () => {
    const invoice = await issue();
    const payableBefore = await balance(accountCodes.agencyPayable(fixtureIds.agency));
    const accessBefore = await balance(accountCodes.accessFeeRevenue());
    const outcome = await pay(validated, invoice.reference, 1_050n);
    assert.equal(outcome.status, 'completed');
    const view = await invoiceView(deps, invoice.reference);
    assert.equal(view?.status, 'paid');
    assert.deepEqual(view?.allocations.map((a) => [a.receiptNumber, a.channel]),
      [[outcome.transactionId, 'mpesa_c2b']]);
    const payableAfter = await balance(accountCodes.agencyPayable(fixtureIds.agency));
    const accessAfter = await balance(accountCodes.accessFeeRevenue());
    assert.equal(payableAfter.amountMinor - payableBefore.amountMinor, 1_000_00n);
    assert.equal(accessAfter.amountMinor - accessBefore.amountMinor, 50_00n);
    assert.deepEqual(await balance(accountCodes.invoiceDeposits(invoice.id)), kes(0n));
    const raws = await sql<{ kind: string; outcome: string | null }>`
      select r.kind, o.outcome from payment_callback_raw r
      left join payment_callback_outcome o on o.raw_id = r.id
      where r.body like ${`%${outcome.transactionId}%`}`.execute(database().db);
    assert.deepEqual(raws.rows, [{ kind: 'mpesa_c2b_confirmation', outcome: 'payment_recorded' }]);
    const audit = await sql<{ action: string }>`select action from audit_record
      where detail->>'receipt' = ${outcome.transactionId}`.execute(database().db);
    assert.deepEqual(audit.rows.map((row) => row.action), ['PAYMENT_ALLOCATED_TO_INVOICE']);
  });

  it('answers C2B00012 for unknown, mistyped, paid and expired references', async () => {
    const paid = await issue();
    await pay(validated, paid.reference, 1_050n);
    const now = Date.now();
    const expired = await issue({ now: new Date(now - 2 * dayMs),
      expiresAt: new Date(now - dayMs) });
    const open = await issue();
    const last = open.reference.at(-1) === '7' ? '8' : '7';
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['unknown', 'ABCDEFGHJK'],
      ['mistyped', `${open.reference.slice(0, -1)}${last}`],
      ['paid and closed', paid.reference],
      ['expired', expired.reference],
      ['not a reference at all', 'my phone 0712'],
    ];
    for (const [why, reference] of cases) {
      const outcome = await pay(validated, reference, 100n);
      assert.equal(outcome.status, 'rejected', why);
      assert.equal(outcome.decision, 'C2B00012', why);
    }
    const count = await sql<{ n: bigint }>`select count(*) as n from payment
      where invoice_id in (${open.id}, ${expired.id})`.execute(database().db);
    assert.equal(count.rows[0]?.n, 0n);
  });

  it('answers C2B00013 for an amount the invoice cannot take', async () => {
    const invoice = await issue();
    const outcome = await pay(validated, invoice.reference, 1_051n);
    assert.equal(outcome.status, 'rejected');
    assert.equal(outcome.decision, 'C2B00013');
    assert.equal((await invoiceView(deps, invoice.reference))?.status, 'unpaid');
  });

  it('takes part payments that add up exactly (split), whatever the case typed', async () => {
    const invoice = await issue();
    const typed = invoice.reference.toLowerCase();
    assert.equal((await pay(validated, typed, 500n)).status, 'completed');
    assert.equal((await invoiceView(deps, invoice.reference))?.status, 'partially_paid');
    assert.deepEqual(await balance(accountCodes.invoiceDeposits(invoice.id)), kes(500_00n));
    assert.equal((await pay(validated, invoice.reference, 550n)).status, 'completed');
    const view = await invoiceView(deps, invoice.reference);
    assert.equal(view?.status, 'paid');
    assert.deepEqual(view?.paid, kes(1_050_00n));
    assert.deepEqual(await balance(accountCodes.invoiceDeposits(invoice.id)), kes(0n));
  });

  it('credits a confirmation delivered twice only once', async () => {
    const invoice = await issue();
    const outcome = await pay(validated, invoice.reference, 1_050n, '254708379002');
    const rows = await sql<{ payments: bigint; events: bigint }>`
      select (select count(*) from payment where provider_reference = ${outcome.transactionId})
        as payments,
      (select count(*) from payment_event e join payment p on p.id = e.payment_id
        where p.provider_reference = ${outcome.transactionId}) as events`
      .execute(database().db);
    assert.deepEqual(rows.rows[0], { payments: 1n, events: 2n });
    const payment = await findPaymentByReceipt(deps, outcome.transactionId);
    assert.deepEqual(payment?.state,
      { confirmedBy: ['c2b_confirmation'], deliveries: 2, disputed: false });
    assert.equal((await invoiceView(deps, invoice.reference))?.status, 'paid');
  });

  it('holds a receipt for no invoice in suspense, in the register', async () => {
    const outcome = await pay(unvalidated, 'NO SUCH REF', 300n);
    assert.equal(outcome.status, 'completed');
    const register = await listSuspensePayments(paymentsDb(database().db),
      { limit: 100, offset: 0 });
    const held = register.find((payment) => payment.receiptNumber === outcome.transactionId);
    assert.equal(held?.accountReference, 'NO SUCH REF');
    assert.deepEqual(held?.amount, kes(300_00n));
    assert.ok((await balance(accountCodes.suspense())).amountMinor >= 300_00n);
    const auditor = await signInAs(database(), 'auditor');
    const listed = await unvalidated.app.inject({ method: 'GET',
      url: '/api/v1/payments/suspense?pageSize=200', headers: auditor.headers });
    assert.equal(listed.statusCode, 200);
    type Listed = { items: { receiptNumber: string; amount: string; accountReference: string }[] };
    const item = listed.json<Listed>().items
      .find((candidate) => candidate.receiptNumber === outcome.transactionId);
    assert.deepEqual(item && [item.amount, item.accountReference], ['300.00', 'NO SUCH REF']);
    const citizen = await signInAs(database(), 'account-holder');
    for (const headers of [{}, citizen.headers]) {
      const refused = await unvalidated.app.inject({ method: 'GET',
        url: '/api/v1/payments/suspense', headers });
      assert.ok([401, 403].includes(refused.statusCode), String(refused.statusCode));
    }
  });

  it('turns overpayment and paying a paid invoice into credit that pays another', async () => {
    const payerId = newPayerId();
    const first = await issue({ payerAccountId: payerId });
    await pay(unvalidated, first.reference, 1_100n);
    let view = await invoiceView(deps, first.reference);
    assert.equal(view?.status, 'overpaid');
    assert.deepEqual(view?.overpaid, kes(50_00n));
    assert.deepEqual(await payerCreditBalance(deps, payerId), kes(50_00n));
    await pay(unvalidated, first.reference, 300n);
    view = await invoiceView(deps, first.reference);
    assert.deepEqual(view?.paid, kes(1_400_00n));
    assert.deepEqual(await payerCreditBalance(deps, payerId), kes(350_00n));
    const second = await issue({ payerAccountId: payerId, service: fixtureIds.permit });
    const paid = await payInvoiceFromCredit(deps,
      { invoiceReference: second.reference, payerAccountId: payerId, now: new Date() });
    assert.ok(paid.ok);
    assert.equal(paid.value.status, 'paid');
    assert.deepEqual(await payerCreditBalance(deps, payerId), kes(90_00n));
  });

  it('refuses a wrong token (404) and a source outside the allow-list (403)', async () => {
    const base = `${validated.url}/api/v1/payments/callbacks`;
    const wrong = await fetch(`${base}/not-the-token-0123456789abcdef/c2b/confirmation`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(wrong.status, 404);
    const outside = await validated.app.inject({
      method: 'POST', url: `/api/v1/payments/callbacks/${testCallbackToken}/c2b/confirmation`,
      remoteAddress: '10.1.2.3', headers: { 'content-type': 'application/json' }, payload: '{}',
    });
    assert.equal(outside.statusCode, 403);
    assert.equal(outside.json<{ code: string }>().code, 'PAY_MPESA_CALLBACK_SOURCE_REFUSED');
  });

  it('keeps the ledger balanced after all of it', async () => {
    const report = await checkBooks(database().db);
    assert.deepEqual(report.findings, []);
  });
});
