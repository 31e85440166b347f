/**
 * Refunds of card payments through the acquirer emulator over real HTTP: a visa paid twice by
 * card (the second payment is the payer's credit) is refunded to the card after a second person
 * approves: Dr refunds-payable, Cr collection:card:demo-acquirer, once. A card whose refunds the
 * acquirer declines leaves the refund failed and visible; a retry is a new attempt that cannot
 * pay twice; cancelled, the money is the payer's credit again. The books stay clean throughout.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { money } from '#platform/money/index.ts';
import type { AuditActor } from '#modules/audit/index.ts';
import {
  startCardEmulatorServer,
  type CardEmulatorServer,
} from '#modules/card-emulator/index.ts';
import {
  approveRefund,
  cancelRefund,
  checkBooks,
  payPaths,
  requestRefund,
  retryRefund,
} from '#modules/payments/index.ts';
import { startCardsHarness, type CardsHarness, cardsTestMerchant } from '#test/helpers/cards.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { insertPaymentsFixture } from '#test/helpers/payments.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { cardPaths } from './card-paths.ts';
import { sendCardRefund } from './card-refund-sender.ts';

const finance = { kind: 'staff', agencies: 'all' } as const;
const staff = (id: string): AuditActor => ({ kind: 'staff', id, role: 'finance-officer' });
const maker = staff('00000000-0000-7000-8000-00000000cc01');
const checker = staff('00000000-0000-7000-8000-00000000cc02');

describeOnDatabases('card refunds through the acquirer', (database) => {
  let acquirer: CardEmulatorServer;
  let harness: CardsHarness;
  let payer: TestCaller;

  before(async () => {
    await insertPaymentsFixture(database());
    acquirer = await startCardEmulatorServer();
    harness = await startCardsHarness(database(), acquirer.baseUrl);
    payer = await signInAs(database(), 'account-holder');
  });
  after(async () => {
    await acquirer.emulator.idle();
    await acquirer.close();
    await harness.close();
  });

  const now = () => new Date();

  async function payOnce(reference: string, key: string, card: string): Promise<void> {
    const session = await fetch(`${acquirer.baseUrl}/v1/sessions`, { method: 'POST',
      headers: { authorization: `Bearer ${cardsTestMerchant.secretKey}`, 'idempotency-key': key,
        'content-type': 'application/json' },
      body: JSON.stringify({ merchantReference: reference, amountMinor: '5100', currency: 'USD',
        description: 'test', returnUrl: `${harness.url}/`,
        notificationUrl: `${harness.url}${cardPaths.notifications}` }) });
    const { hostedUrl } = await session.json() as { hostedUrl: string };
    const paid = await fetch(hostedUrl, { method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ cardNumber: card, expiry: '12/39', cvc: '123',
        name: 'Test Payer' }).toString() });
    assert.equal(paid.status, 303);
    await acquirer.emulator.flushNotifications();
    await acquirer.emulator.idle();
  }

  /** A visa bill paid twice by card; the id of the second payment (the payer's credit). */
  async function doublePayment(card: string): Promise<string> {
    const started = await harness.app.inject({ method: 'POST',
      url: payPaths.startForService('fixture-visa'),
      headers: { ...payer.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${payer.csrfToken}` });
    const reference = decodeURIComponent(String(started.headers.location).split('/').pop() ?? '');
    await payOnce(reference, `first-${reference}`, '4242424242424242');
    await payOnce(reference, `second-${reference}`, card);
    const rows = await sql<{ id: string; disposition: string }>`select id, disposition
      from payment where account_reference = ${reference} order by recorded_at, id`
      .execute(database().db);
    assert.deepEqual(rows.rows.map((row) => row.disposition), ['allocated', 'credited']);
    return rows.rows[1]?.id ?? '';
  }

  async function approvedRefund(paymentId: string): Promise<string> {
    const asked = await requestRefund(harness.deps, { paymentId, reason: 'double_payment',
      note: '', actor: maker, scope: finance, now: now() });
    assert.ok(asked.ok, asked.ok ? '' : asked.error.code);
    assert.equal(asked.value.method, 'card_refund');
    const approved = await approveRefund(harness.deps, { refundId: asked.value.id,
      actor: checker, scope: finance, now: now() });
    assert.ok(approved.ok);
    return asked.value.id;
  }

  async function latestAttempt(refundId: string): Promise<string> {
    const attempt = await sql<{ id: string }>`select id from refund_attempt
      where refund_id = ${refundId}::uuid order by number desc limit 1`.execute(database().db);
    return attempt.rows[0]?.id ?? '';
  }

  async function sendLatestAttempt(refundId: string): Promise<void> {
    const attemptId = await latestAttempt(refundId);
    assert.equal(await sendCardRefund(harness.deps, attemptId), 'sent');
    // Sent again (a lost answer, the outbox retrying): nothing more happens.
    assert.equal(await sendCardRefund(harness.deps, attemptId), 'skipped');
    await acquirer.emulator.flushNotifications();
    await acquirer.emulator.idle();
  }

  const statusOf = async (refundId: string) => (await sql<{ status: string }>`
    select status from refund where id = ${refundId}::uuid`.execute(database().db)).rows[0]
    ?.status;
  const balance = async (account: string) => (await sql<{ net: string }>`
    select coalesce(sum(case when side = 'debit' then amount_minor else -amount_minor end), 0)
      ::text as net from ledger_line where account_code = ${account} and currency = 'USD'`
    .execute(database().db)).rows[0]?.net;

  it('refunds a card payment to the card once, after a second person approves', async () => {
    const before = BigInt(await balance('collection:card:demo-acquirer') ?? '0');
    const refundId = await approvedRefund(await doublePayment('4242424242424242'));
    const first = await latestAttempt(refundId);
    // The acquirer cannot be reached: the outbox will send it again (same key), nothing moved.
    const unreachable = (async () => { throw new TypeError('fetch failed'); }) as typeof fetch;
    await assert.rejects(sendCardRefund({ ...harness.deps, fetch: unreachable }, first),
      /card refund not sent/);
    // The acquirer refuses it outright: the attempt fails, the refund is failed and visible.
    const refusing = (async () => new Response('{"error":"invalid_request"}',
      { status: 400 })) as typeof fetch;
    assert.equal(await sendCardRefund({ ...harness.deps, fetch: refusing }, first), 'refused');
    assert.equal(await statusOf(refundId), 'failed');
    assert.ok((await retryRefund(harness.deps, { refundId, actor: checker, scope: finance,
      now: now() })).ok);
    await sendLatestAttempt(refundId);
    assert.equal(await statusOf(refundId), 'paid');
    assert.equal(BigInt(await balance('collection:card:demo-acquirer') ?? '0') - before,
      10_200n - 5_100n);
    assert.equal(await balance('refunds-payable'), '0');
    assert.deepEqual((await checkBooks(database().db)).findings, []);
    // The acquirer's result again (a retry of its notification): nothing moves.
    await acquirer.emulator.flushNotifications();
    assert.equal(await balance('refunds-payable'), '0');
  });

  it('refuses to pay dollars back by M-Pesa', async () => {
    await doublePayment('4242424242424242');
    const asked = await requestRefund(harness.deps, { payerAccountId: payer.id,
      amount: money(5_100n, 'USD'), reason: 'other', note: 'by phone', actor: maker,
      scope: finance, now: now() });
    assert.deepEqual(asked.ok ? 'ok' : [asked.error.code, asked.error.detail],
      ['PAY_REFUND_NOT_REFUNDABLE', 'M-Pesa pays out Kenya shillings only']);
  });

  it('keeps a declined refund failed and visible; a retry is a new attempt; cancel returns it',
    async () => {
      const refundId = await approvedRefund(await doublePayment('4000000000005126'));
      await sendLatestAttempt(refundId);
      assert.equal(await statusOf(refundId), 'failed');
      assert.equal(await balance('refunds-payable'), '-5100', 'owed to the payer (a credit)');
      const retried = await retryRefund(harness.deps, { refundId, actor: checker,
        scope: finance, now: now() });
      assert.ok(retried.ok);
      await sendLatestAttempt(refundId);
      assert.equal(await statusOf(refundId), 'failed');
      const attempts = await sql<{ state: string; result_code: string }>`select state,
        result_code from refund_attempt where refund_id = ${refundId}::uuid order by number`
        .execute(database().db);
      assert.deepEqual(attempts.rows, [{ state: 'failed', result_code: 'refund_declined' },
        { state: 'failed', result_code: 'refund_declined' }]);
      assert.deepEqual((await checkBooks(database().db)).findings, []);
      const cancelled = await cancelRefund(harness.deps, { refundId, actor: checker,
        scope: finance, now: now() });
      assert.ok(cancelled.ok);
      assert.equal(await balance('refunds-payable'), '0');
      assert.deepEqual((await checkBooks(database().db)).findings, []);
    });
});
