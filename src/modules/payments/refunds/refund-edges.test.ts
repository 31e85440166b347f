/**
 * Refunds at their edges: every request the service refuses, and a refund's page in each
 * status with the forms it allows (approve, reject, retry by another method, ask the status
 * again, cancel) and the refusals shown on it; a payment M-Pesa refuses to send, and a payer
 * whose phone went away, fail the attempt visibly.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import type { AuditActor } from '#modules/audit/index.ts';
import { systemClock } from '#platform/clock/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { money, type Money } from '#platform/money/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { testDarajaAccount } from '#test/helpers/daraja.ts';
import {
  fixtureIds,
  insertPaymentsFixture,
  startPaymentsHarness,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { createInvoiceForService } from '../invoice-service.ts';
import { createDarajaClient } from '../mpesa/index.ts';
import { findPaymentByReceipt } from '../payment-service.ts';
import { sendAttempt } from './refund-execution.ts';
import { findRefund, listAttempts, refundDb } from './refund-repo.ts';
import { approveRefund, requestRefund, type RefundScope } from './refund-service.ts';
import { refundPaths } from './refund-views.ts';
import { refundExecutionDepsFor } from './refund-wiring.ts';

const kes = (shillings: bigint): Money => money(shillings * 100n, 'KES');
const finance: RefundScope = { kind: 'staff', agencies: 'all' };

describeOnDatabases('refunds at their edges', (database) => {
  let harness: PaymentsHarness;
  let deps: PaymentsHarness['deps'];
  let maker: TestCaller;
  let checker: TestCaller;
  const actor = (caller: TestCaller): AuditActor => ({ kind: 'staff', id: caller.id });

  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database(), { emulator: { externalValidation: false } });
    deps = harness.deps;
    maker = await signInAs(database(), 'finance-officer');
    checker = await signInAs(database(), 'finance-officer');
  });
  after(async () => {
    await harness.close();
  });

  const post = (caller: TestCaller, url: string, form: Record<string, string>) =>
    harness.app.inject({ method: 'POST', url, headers: { ...caller.headers,
      accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: caller.csrfToken, ...form }).toString() });
  const page = async (caller: TestCaller, id: string) => (await harness.app.inject({
    url: refundPaths.refund(id), headers: { ...caller.headers, accept: 'text/html' } })).body;
  const receiptOf = async (shillings: bigint, msisdn: string, billReference: string) => {
    const paid = await harness.daraja.emulator.simulateC2b({ amountShillings: shillings,
      msisdn, billReference });
    await harness.daraja.emulator.idle();
    const payment = await findPaymentByReceipt(deps, paid.transactionId);
    assert.ok(payment !== undefined);
    return payment;
  };
  const ask = (input: Partial<Parameters<typeof requestRefund>[1]>) => requestRefund(deps, {
    reason: 'double_payment', note: '', actor: actor(maker), scope: finance, now: new Date(),
    ...input });
  const codeOf = (result: Awaited<ReturnType<typeof ask>>) => result.ok ? '' : result.error.code;

  it('refuses requests it cannot honour', async () => {
    const held = await receiptOf(30n, '254708374149', 'NOBILL1');
    assert.equal(codeOf(await ask({ paymentId: held.id, amount: kes(10n) })),
      'PAY_REFUND_AMOUNT_INVALID');
    assert.equal(codeOf(await ask({ paymentId: 'not-a-uuid' })), 'PAY_REFUND_SOURCE_NOT_FOUND');
    assert.equal(codeOf(await ask({ paymentId: uuidv7() })), 'PAY_REFUND_SOURCE_NOT_FOUND');
    assert.equal(codeOf(await ask({ payerAccountId: 'x' })), 'PAY_REFUND_SOURCE_NOT_FOUND');
    assert.equal(codeOf(await ask({ payerAccountId: uuidv7() })), 'PAY_REFUND_AMOUNT_INVALID');
    assert.equal(codeOf(await ask({ payerAccountId: uuidv7(), amount: money(150n, 'KES') })),
      'PAY_REFUND_AMOUNT_INVALID');
    assert.equal(codeOf(await ask({ payerAccountId: uuidv7(), amount: kes(1n) })),
      'PAY_REFUND_NO_PHONE');
    assert.equal(codeOf(await ask({ paymentId: held.id, reason: 'other' })),
      'PAY_REFUND_NOTE_REQUIRED');
    const citizen = await signInAs(database(), 'account-holder');
    const bill = await createInvoiceForService(deps, { service: fixtureIds.permit,
      payerAccountId: citizen.id, now: new Date() });
    assert.ok(bill.ok);
    const allocated = await receiptOf(260n, '254708374149', bill.value.reference);
    assert.equal(codeOf(await ask({ paymentId: allocated.id, amount: kes(300n) })),
      'PAY_REFUND_AMOUNT_INVALID');
    assert.equal(codeOf(await ask({ paymentId: allocated.id })),
      'PAY_REFUND_CREDIT_INSUFFICIENT');
    assert.equal(codeOf(await ask({ paymentId: held.id, scope: { kind: 'account',
      accountId: citizen.id } })), 'PAY_REFUND_NOT_YOURS');
    const first = await ask({ paymentId: held.id, reason: 'suspense_unclaimed' });
    assert.ok(first.ok);
    assert.ok((await approveRefund(deps, { refundId: first.value.id, actor: actor(checker),
      scope: finance, now: new Date() })).ok);
    assert.equal(codeOf(await ask({ paymentId: held.id })), 'PAY_REFUND_NOT_REFUNDABLE');
  });

  it('shows each status with the forms it allows, and the refusals on the page', async () => {
    const held = await receiptOf(40n, '254711009004', 'NOBILL2');
    const asked = await ask({ paymentId: held.id, reason: 'suspense_unclaimed' });
    assert.ok(asked.ok);
    const id = asked.value.id;
    assert.match(await page(checker, id), /Approve the refund/);
    assert.equal((await post(checker, refundPaths.decide(id), { decision: 'approved' }))
      .statusCode, 303);
    assert.doesNotMatch(await page(checker, id), /Approve the refund|Cancel the refund/);
    assert.equal((await post(checker, refundPaths.cancel(id), {})).statusCode, 409);
    assert.equal((await post(checker, refundPaths.retry(id), {})).statusCode, 409);
    await sendAttempt(refundExecutionDepsFor(deps), (await listAttempts(refundDb(deps.db),
      id))[0]?.id ?? '');
    await harness.daraja.emulator.idle();
    const failed = await page(checker, id);
    assert.match(failed, /spent/);
    assert.match(failed, /Try the payment again/);
    assert.doesNotMatch(failed, /value="mpesa_b2c"/, 'no payer, so no B2C');
    const noPhone = await post(checker, refundPaths.retry(id), { method: 'mpesa_b2c' });
    assert.equal(noPhone.statusCode, 409);
    assert.match(noPhone.body, /no registered phone number/);
    assert.equal((await post(checker, refundPaths.cancel(id), {})).statusCode, 303);
    assert.match(await page(checker, id), /Cancelled/);
    const other = await ask({ paymentId: held.id, reason: 'suspense_unclaimed' });
    assert.ok(other.ok);
    assert.equal((await post(checker, refundPaths.decide(other.value.id),
      { decision: 'rejected', note: 'the payer came forward' })).statusCode, 303);
    assert.match(await page(checker, other.value.id), /Rejected/);
    const again = await post(checker, refundPaths.decide(other.value.id),
      { decision: 'approved' });
    assert.equal(again.statusCode, 409);
  });

  it('fails an attempt M-Pesa refuses, or whose payer has no phone any more', async () => {
    const citizen = await signInAs(database(), 'account-holder');
    const bill = await createInvoiceForService(deps, { service: fixtureIds.permit,
      payerAccountId: citizen.id, now: new Date() });
    assert.ok(bill.ok);
    await receiptOf(260n, '254708374149', bill.value.reference);
    await receiptOf(260n, '254708374149', bill.value.reference);
    const execution = refundExecutionDepsFor(deps);
    const refused = { ...execution, daraja: createDarajaClient({ ...testDarajaAccount,
      consumerSecret: 'not-the-secret', baseUrl: harness.daraja.baseUrl, timeoutMs: 2_000,
      clock: systemClock }) };
    const approvedAttempt = async () => {
      const asked = await ask({ payerAccountId: citizen.id, amount: kes(100n) });
      assert.ok(asked.ok, codeOf(asked));
      assert.ok((await approveRefund(deps, { refundId: asked.value.id, actor: actor(checker),
        scope: finance, now: new Date() })).ok);
      const [attempt] = await listAttempts(refundDb(deps.db), asked.value.id);
      assert.ok(attempt !== undefined);
      return attempt;
    };
    const outcome = async (refundId: string) => ({
      status: (await findRefund(refundDb(deps.db), refundId))?.status,
      words: (await listAttempts(refundDb(deps.db), refundId))[0]?.resultDescription ?? '' });
    const byMpesa = await approvedAttempt();
    assert.equal(await sendAttempt(refused, byMpesa.id), 'failed');
    const mpesaSaid = await outcome(byMpesa.refundId);
    assert.equal(mpesaSaid.status, 'failed');
    assert.match(mpesaSaid.words, /Invalid Authentication/);
    const noPhone = await approvedAttempt();
    await sql`update account set email = 'refund@example.org', code_channel = 'email',
      phone = null where id = ${citizen.id}::uuid`.execute(database().db);
    assert.equal(await sendAttempt(execution, noPhone.id), 'failed');
    assert.match((await outcome(noPhone.refundId)).words, /no registered phone/);
    assert.equal(await sendAttempt(execution, noPhone.id), 'skipped');
  });
});
