/**
 * Refunds end to end against the Daraja emulator over real HTTP: maker-checker, two refunds
 * of one credit approved at once, B2C and reversal with their asynchronous Results, a reversal
 * the payer had spent (then B2C, or cancel), timeouts settled by a status query, a Result
 * delivered twice; the books check stays clean after each.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import type { AuditActor } from '#modules/audit/index.ts';
import { accountCodes, balanceOf } from '#modules/ledger/index.ts';
import { systemClock } from '#platform/clock/index.ts';
import { money, type Money } from '#platform/money/index.ts';
import { testDarajaAccount } from '#test/helpers/daraja.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  fixtureIds,
  insertPaymentsFixture,
  startPaymentsHarness,
  testCallbackToken,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { signInAs } from '#test/helpers/sessions.ts';
import { checkBooks } from '../books-check-service.ts';
import { createDarajaClient } from '../mpesa/index.ts';
import { createInvoiceForService } from '../invoice-service.ts';
import { findPaymentByReceipt } from '../payment-service.ts';
import type { PaymentsDeps } from '../payments-deps.ts';
import { findRefund, listAttempts, refundDb } from './refund-repo.ts';
import {
  refundSendHandler,
  refundStatusHandler,
  sendAttempt,
  type RefundExecutionDeps,
} from './refund-execution.ts';
import {
  approveRefund,
  cancelRefund,
  requestRefund,
  retryRefund,
  type RefundScope,
} from './refund-service.ts';
import { refundExecutionDepsFor, refundOutboxHandlers } from './refund-wiring.ts';

const kes = (shillings: bigint): Money => money(shillings * 100n, 'KES');
const finance: RefundScope = { kind: 'staff', agencies: 'all' };
const staff = (id: string): AuditActor => ({ kind: 'staff', id, role: 'finance-officer' });

describeOnDatabases('refunds through the emulator', (database) => {
  let harness: PaymentsHarness;
  let deps: PaymentsDeps;
  let execution: RefundExecutionDeps;
  const maker = staff('00000000-0000-7000-8000-00000000aa01');
  const checker = staff('00000000-0000-7000-8000-00000000aa02');

  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database(), { emulator: { externalValidation: false } });
    deps = harness.deps;
    execution = refundExecutionDepsFor(harness.deps);
    assert.deepEqual(Object.keys(refundOutboxHandlers(harness.deps)).sort(),
      ['payments.refund-send', 'payments.refund-status']);
  });
  after(async () => {
    await harness.close();
  });

  /** A citizen with a registered phone who paid a KES 1,050 bill twice. */
  async function doublePayment(payerMsisdn = '254708374149', phone = '+254700000000') {
    const citizen = await signInAs(database(), 'account-holder');
    await sql`update account set phone = ${phone} where id = ${citizen.id}::uuid`
      .execute(database().db);
    const invoice = await createInvoiceForService(deps, { service: fixtureIds.passport,
      payerAccountId: citizen.id, now: new Date() });
    assert.ok(invoice.ok);
    const pay = () => harness.daraja.emulator.simulateC2b({ amountShillings: 1_050n,
      msisdn: payerMsisdn, billReference: invoice.value.reference });
    await pay();
    const second = await pay();
    await harness.daraja.emulator.idle();
    const payment = await findPaymentByReceipt(deps, second.transactionId);
    assert.equal(payment?.disposition, 'credited');
    return { citizen, paymentId: payment.id, receipt: second.transactionId };
  }

  /** Sends the refund's open attempt and waits for M-Pesa's answer to be processed. */
  async function pay(refundId: string) {
    const attempt = (await listAttempts(refundDb(deps.db), refundId)).at(-1);
    assert.ok(attempt !== undefined);
    await sendAttempt(execution, attempt.id);
    await harness.daraja.emulator.idle();
    return findRefund(refundDb(deps.db), refundId);
  }

  async function assertBooksClean() {
    const report = await checkBooks(database().db);
    assert.deepEqual(report.findings, []);
  }

  it('a citizen asks, a second person approves, the reversal pays; the citizen is told',
    async () => {
      const { citizen, paymentId, receipt } = await doublePayment();
      const citizenActor: AuditActor = { kind: 'account', id: citizen.id };
      const asked = await requestRefund(deps, { paymentId, reason: 'double_payment', note: '',
        actor: citizenActor, scope: { kind: 'account', accountId: citizen.id },
        now: new Date() });
      assert.ok(asked.ok);
      assert.equal(asked.value.method, 'mpesa_reversal');
      const self = await approveRefund(deps, { refundId: asked.value.id, actor: citizenActor,
        scope: finance, now: new Date() });
      assert.equal(self.ok ? '' : self.error.code, 'PAY_REFUND_SAME_PERSON');
      const approved = await approveRefund(deps, { refundId: asked.value.id, actor: checker,
        scope: finance, now: new Date() });
      assert.ok(approved.ok);
      assert.equal(approved.value.status, 'paying');
      const paid = await pay(asked.value.id);
      assert.equal(paid?.status, 'paid');
      assert.notEqual(paid?.providerReceipt, null);
      const statement = harness.daraja.emulator.statementCsv('222222');
      assert.match(statement, new RegExp(`,Reversal,[^\\r]*,${receipt},`));
      const entry = await sql<{ reference: Record<string, string> }>`
        select reference from ledger_entry where code = 'REFUND_PAID_OUT'
          and reference->>'refundId' = ${asked.value.id}`.execute(database().db);
      assert.equal(entry.rows[0]?.reference['providerReceipt'], paid?.providerReceipt);
      const reader = await signInAs(database(), 'auditor');
      const shown = await harness.app.inject({ url: `/staff/refunds/${asked.value.id}`,
        headers: { ...reader.headers, accept: 'text/html' } });
      assert.match(shown.body, new RegExp(paid?.providerReceipt ?? '-'));
      assert.match(shown.body, /M-Pesa receipt of the refund/);
      const told = await sql<{ template: string }>`select template from notification
        where account_id = ${citizen.id}`.execute(database().db);
      assert.ok(told.rows.some((row) => row.template === 'payments.refund-paid'));
      await assertBooksClean();
    });

  it('the maker cannot approve their own request', async () => {
    const { paymentId } = await doublePayment();
    const asked = await requestRefund(deps, { paymentId, reason: 'double_payment', note: '',
      actor: maker, scope: finance, now: new Date() });
    assert.ok(asked.ok);
    const own = await approveRefund(deps, { refundId: asked.value.id, actor: maker,
      scope: finance, now: new Date() });
    assert.equal(own.ok ? '' : own.error.code, 'PAY_REFUND_SAME_PERSON');
    const rejectedOwn = await cancelRefund(deps, { refundId: asked.value.id, actor: maker,
      scope: finance, now: new Date() });
    assert.ok(rejectedOwn.ok);
  });

  it('of two refunds of one credit approved at once, one is refused', async () => {
    const { citizen } = await doublePayment();
    const ask = () => requestRefund(deps, { payerAccountId: citizen.id, amount: kes(800n),
      reason: 'other', note: 'asked by phone', actor: maker, scope: finance, now: new Date() });
    const [first, second] = [await ask(), await ask()];
    assert.ok(first.ok && second.ok);
    const outcomes = await Promise.all([first.value.id, second.value.id].map((refundId) =>
      approveRefund(deps, { refundId, actor: checker, scope: finance, now: new Date() })));
    assert.equal(outcomes.filter((outcome) => outcome.ok).length, 1);
    const refused = outcomes.find((outcome) => !outcome.ok);
    assert.equal(refused?.ok === false ? refused.error.code : '',
      'PAY_REFUND_CREDIT_INSUFFICIENT');
    const credit = await balanceOf(database().db, accountCodes.payerCredit(citizen.id), 'KES');
    assert.equal(credit.amountMinor, 250_00n);
    await assertBooksClean();
  });

  it('pays part of a credit by B2C to the registered phone', async () => {
    const { citizen } = await doublePayment();
    const asked = await requestRefund(deps, { payerAccountId: citizen.id, amount: kes(300n),
      reason: 'wrong_service', note: '', actor: maker, scope: finance, now: new Date() });
    assert.ok(asked.ok);
    assert.equal(asked.value.method, 'mpesa_b2c');
    assert.ok((await approveRefund(deps, { refundId: asked.value.id, actor: checker,
      scope: finance, now: new Date() })).ok);
    const paid = await pay(asked.value.id);
    assert.equal(paid?.status, 'paid');
    const statement = harness.daraja.emulator.statementCsv('222222');
    assert.match(statement,
      new RegExp(`${paid?.providerReceipt ?? '-'},[^\\r]*,,300\\.00,[^\\r]*Business Payment`));
    await assertBooksClean();
  });

  it('a reversal the payer spent fails visibly; a B2C retry pays', async () => {
    const { paymentId } = await doublePayment('254711009004');
    const asked = await requestRefund(deps, { paymentId, reason: 'double_payment', note: '',
      actor: maker, scope: finance, now: new Date() });
    assert.ok(asked.ok);
    await approveRefund(deps, { refundId: asked.value.id, actor: checker, scope: finance,
      now: new Date() });
    const failed = await pay(asked.value.id);
    assert.equal(failed?.status, 'failed');
    const attempts = await listAttempts(refundDb(deps.db), asked.value.id);
    assert.match(attempts[0]?.resultDescription ?? '', /spent/);
    await assertBooksClean();
    const retried = await retryRefund(deps, { refundId: asked.value.id, actor: checker,
      scope: finance, method: 'mpesa_b2c', now: new Date() });
    assert.ok(retried.ok);
    assert.equal((await pay(asked.value.id))?.status, 'paid');
    await assertBooksClean();
  });

  it('a suspense receipt the payer spent: cancelled, it is held in suspense again', async () => {
    const payment = await harness.daraja.emulator.simulateC2b({ amountShillings: 70n,
      msisdn: '254722009004', billReference: 'NOSUCHBILL' });
    await harness.daraja.emulator.idle();
    const held = await findPaymentByReceipt(deps, payment.transactionId);
    assert.equal(held?.disposition, 'suspense');
    const asked = await requestRefund(deps, { paymentId: held.id, reason: 'suspense_unclaimed',
      note: '', actor: maker, scope: finance, now: new Date() });
    assert.ok(asked.ok);
    const agencyStaff = await approveRefund(deps, { refundId: asked.value.id, actor: checker,
      scope: { kind: 'staff', agencies: fixtureIds.agency }, now: new Date() });
    assert.equal(agencyStaff.ok ? '' : agencyStaff.error.code, 'PAY_REFUND_NOT_YOURS');
    await approveRefund(deps, { refundId: asked.value.id, actor: checker, scope: finance,
      now: new Date() });
    assert.equal((await findPaymentByReceipt(deps, payment.transactionId))?.disposition,
      'refunded');
    assert.equal((await pay(asked.value.id))?.status, 'failed');
    await assertBooksClean();
    const cancelled = await cancelRefund(deps, { refundId: asked.value.id, actor: checker,
      scope: finance, now: new Date() });
    assert.equal(cancelled.ok ? cancelled.value.status : '', 'cancelled');
    assert.equal((await findPaymentByReceipt(deps, payment.transactionId))?.disposition,
      'suspense');
    await assertBooksClean();
  });

  it('a timeout is settled by a status query: paid once, or retried after "not happened"',
    async () => {
      for (const [phone, expected] of [['+254711009006', 'paid'],
        ['+254711009005', 'failed']] as const) {
        const { citizen } = await doublePayment('254708374149', phone);
        const asked = await requestRefund(deps, { payerAccountId: citizen.id,
          amount: kes(100n), reason: 'double_payment', note: '', actor: maker, scope: finance,
          now: new Date() });
        assert.ok(asked.ok);
        await approveRefund(deps, { refundId: asked.value.id, actor: checker, scope: finance,
          now: new Date() });
        assert.equal((await pay(asked.value.id))?.status, 'paying');
        const early = await retryRefund(deps, { refundId: asked.value.id, actor: checker,
          scope: finance, method: 'mpesa_b2c', now: new Date() });
        assert.ok(early.ok, 'a retry while unknown only asks for the status');
        const attempts = await listAttempts(refundDb(deps.db), asked.value.id);
        assert.equal(attempts.length, 1);
        assert.equal(attempts[0]?.state, 'unknown');
        await refundStatusHandler(execution)({ payload: { attemptId: attempts[0]?.id } } as never,
          { signal: AbortSignal.timeout(5_000), isLastAttempt: false });
        await harness.daraja.emulator.idle();
        const settled = await findRefund(refundDb(deps.db), asked.value.id);
        assert.equal(settled?.status, expected);
        await assertBooksClean();
      }
    });

  it('a Result delivered twice moves the money once', async () => {
    const { citizen } = await doublePayment('254708374149', '+254711009007');
    const asked = await requestRefund(deps, { payerAccountId: citizen.id, amount: kes(50n),
      reason: 'double_payment', note: '', actor: maker, scope: finance, now: new Date() });
    assert.ok(asked.ok);
    await approveRefund(deps, { refundId: asked.value.id, actor: checker, scope: finance,
      now: new Date() });
    assert.equal((await pay(asked.value.id))?.status, 'paid');
    const outcomes = await sql<{ outcome: string }>`select o.outcome
      from payment_callback_raw r join payment_callback_outcome o on o.raw_id = r.id
      where r.kind = 'mpesa_b2c_result' and r.body like ${`%huduma-refund-${asked.value.id}%`}`
      .execute(database().db);
    assert.deepEqual(outcomes.rows.map((row) => row.outcome).sort(),
      ['duplicate', 'refund_result_recorded']);
    const payouts = await sql<{ count: number }>`select count(*)::int as count from ledger_entry
      where code = 'REFUND_PAID_OUT' and reference->>'refundId' = ${asked.value.id}`
      .execute(database().db);
    assert.equal(payouts.rows[0]?.count, 1);
    await assertBooksClean();
  });

  it('guards the Result URLs like every M-Pesa callback; keeps what it cannot read', async () => {
    const base = `${harness.url}/api/v1/payments/callbacks`;
    const wrong = await fetch(`${base}/not-the-token/refund/b2c/result`, { method: 'POST',
      headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(wrong.status, 404);
    const garbled = await fetch(`${base}/${testCallbackToken}/refund/b2c/result`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"Result":' });
    assert.equal(garbled.status, 200);
    const stranger = await fetch(`${base}/${testCallbackToken}/refund/timeout`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Result: { ResultType: 1, ResultCode: 'SFC_IC0003',
        OriginatorConversationID: 'nobody', ConversationID: 'AG_nobody' } }) });
    assert.equal(stranger.status, 200);
    const outcomes = await sql<{ outcome: string }>`select o.outcome
      from payment_callback_raw r join payment_callback_outcome o on o.raw_id = r.id
      where r.kind in ('mpesa_b2c_result', 'mpesa_refund_timeout')
        and (r.body = '{"Result":' or r.body like '%AG_nobody%')`.execute(database().db);
    assert.deepEqual(outcomes.rows.map((row) => row.outcome).sort(),
      ['malformed', 'stored_only']);
  });

  it('gives up sending after the last try: the status, not a resend, decides', async () => {
    const { citizen } = await doublePayment();
    const asked = await requestRefund(deps, { payerAccountId: citizen.id, amount: kes(20n),
      reason: 'double_payment', note: '', actor: maker, scope: finance, now: new Date() });
    assert.ok(asked.ok);
    await approveRefund(deps, { refundId: asked.value.id, actor: checker, scope: finance,
      now: new Date() });
    const unreachable = { ...execution, daraja: createDarajaClient({
      baseUrl: 'http://127.0.0.1:9', ...testDarajaAccount, timeoutMs: 500,
      clock: systemClock }) };
    const [attempt] = await listAttempts(refundDb(deps.db), asked.value.id);
    const event = { payload: { attemptId: attempt?.id } } as never;
    const send = refundSendHandler(unreachable);
    await assert.rejects(send(event, { signal: AbortSignal.timeout(5_000),
      isLastAttempt: false }));
    await send(event, { signal: AbortSignal.timeout(5_000), isLastAttempt: true });
    assert.equal((await listAttempts(refundDb(deps.db), asked.value.id))[0]?.state, 'unknown');
    await refundStatusHandler(execution)(event, { signal: AbortSignal.timeout(5_000),
      isLastAttempt: false });
    await harness.daraja.emulator.idle();
    assert.equal((await findRefund(refundDb(deps.db), asked.value.id))?.status, 'failed');
    assert.ok((await retryRefund(deps, { refundId: asked.value.id, actor: checker,
      scope: finance, now: new Date() })).ok);
    assert.equal((await pay(asked.value.id))?.status, 'paid');
    await assertBooksClean();
  });
});
