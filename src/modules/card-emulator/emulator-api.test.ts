/**
 * The acquirer's API over real HTTP: sessions (idempotency, bad input, authentication),
 * queries, refunds, and the emulator-only state and flush endpoints.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCardEmulatorServer } from './index.ts';
import {
  startNotificationReceiver,
  startTestCardEmulator,
  testCardMerchant,
  type NotificationReceiver,
  type TestCardEmulator,
} from '#test/helpers/card-emulator.ts';

type Json = Record<string, unknown>;

describe('card emulator API over HTTP', () => {
  let acquirer: TestCardEmulator;
  let receiver: NotificationReceiver;
  let keyCount = 0;
  before(async () => {
    acquirer = await startTestCardEmulator();
    receiver = await startNotificationReceiver();
  });
  after(async () => {
    await acquirer.close();
    await receiver.close();
  });

  const call = async (method: string, path: string, body?: unknown,
    headers: Record<string, string> = {}) => {
    const response = await fetch(`${acquirer.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${testCardMerchant.secretKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json() as Json };
  };
  const sessionBody = (overrides: Json = {}) => ({
    merchantReference: 'BILL-7H2K9Q', amountMinor: '10100', currency: 'USD',
    description: 'Tourist visa', returnUrl: 'https://huduma.test/pay/card/return',
    notificationUrl: `${receiver.url}/notify`, ...overrides,
  });
  const newKey = () => `key-${keyCount += 1}`;
  const createSession = (overrides: Json = {}, key = newKey()) =>
    call('POST', '/v1/sessions', sessionBody(overrides), { 'idempotency-key': key });
  const pay = async (sessionId: string, cardNumber: string) => {
    const response = await fetch(`${acquirer.baseUrl}/pay/${sessionId}`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ cardNumber, expiry: '08/29', cvc: '123', name: 'A N' }),
    });
    assert.equal(response.status, 303);
  };

  it('creates a session: an id, the hosted page, open, 30 minutes to pay', async () => {
    const created = await createSession();
    assert.equal(created.status, 201);
    const { sessionId, hostedUrl, status, expiresAt } = created.body;
    assert.match(String(sessionId), /^cs_[0-9a-f]{24}$/);
    assert.equal(hostedUrl, `${acquirer.baseUrl}/pay/${String(sessionId)}`);
    assert.equal(status, 'open');
    assert.equal(new Date(String(expiresAt)).getTime() - acquirer.clock.now().getTime(),
      30 * 60_000);
    const queried = await call('GET', `/v1/sessions/${String(sessionId)}`);
    assert.deepEqual(queried, { status: 200, body: { sessionId, merchantReference: 'BILL-7H2K9Q',
      amountMinor: '10100', currency: 'USD', status: 'open' } });
  });

  it('answers the same session for the same Idempotency-Key and body; 409 for another body',
    async () => {
      const key = newKey();
      const first = await createSession({}, key);
      const again = await createSession({}, key);
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, first.body);
      const other = await createSession({ amountMinor: '10200' }, key);
      assert.deepEqual(other, { status: 409, body: { error: 'idempotency_key_reused' } });
    });

  it('refuses a bad body with 400 invalid_request and a detail', async () => {
    const bad: readonly Json[] = [
      { amountMinor: '0' }, { amountMinor: '10.10' }, { amountMinor: '0100' },
      { amountMinor: '1'.repeat(16) }, { currency: 'EUR' }, { merchantReference: '' },
      { merchantReference: 'x'.repeat(65) }, { description: 'x'.repeat(201) },
      { returnUrl: '/relative' }, { notificationUrl: 'ftp://x.test/n' },
    ];
    for (const overrides of bad) {
      const refused = await createSession(overrides);
      assert.equal(refused.status, 400, JSON.stringify(overrides));
      assert.equal(refused.body['error'], 'invalid_request');
      assert.equal(typeof refused.body['detail'], 'string');
    }
    const noKey = await call('POST', '/v1/sessions', sessionBody());
    assert.equal(noKey.status, 400);
    const tooLongKey = await createSession({}, 'k'.repeat(101));
    assert.equal(tooLongKey.status, 400);
    assert.equal(acquirer.emulator.snapshot().sessions.every((s) =>
      typeof s['amountMinor'] === 'string' && s['amountMinor'] !== '0'), true);
  });

  it('refuses a wrong or missing key with 401 unauthorised, before reading the body',
    async () => {
      for (const authorization of ['Bearer wrong', 'Basic abc', '']) {
        const refused = await call('POST', '/v1/sessions', { nonsense: true },
          { authorization, 'idempotency-key': newKey() });
        assert.deepEqual(refused, { status: 401, body: { error: 'unauthorised' } });
      }
      const query = await call('GET', '/v1/sessions/cs_x', undefined, { authorization: '' });
      assert.equal(query.status, 401);
      const refund = await call('GET', '/v1/refunds/re_x', undefined, { authorization: 'x' });
      assert.equal(refund.status, 401);
      const refundCreate = await call('POST', '/v1/refunds', { paymentId: 'cp_x' },
        { authorization: `Bearer ${testCardMerchant.notificationSecret}`,
          'idempotency-key': newKey() });
      assert.deepEqual(refundCreate, { status: 401, body: { error: 'unauthorised' } });
    });

  it('answers 404 for an unknown session or refund', async () => {
    assert.deepEqual(await call('GET', '/v1/sessions/cs_000000000000000000000000'),
      { status: 404, body: { error: 'not_found' } });
    assert.deepEqual(await call('GET', '/v1/refunds/re_000000000000000000000000'),
      { status: 404, body: { error: 'not_found' } });
  });

  it('expires an unpaid session after 30 minutes', async () => {
    const { body } = await createSession();
    await acquirer.scheduler.advanceMs(30 * 60_000);
    const queried = await call('GET', `/v1/sessions/${String(body['sessionId'])}`);
    assert.equal(queried.body['status'], 'expired');
  });

  it('refunds: 201 pending, then succeeded with a notification; over the payment is 409',
    async () => {
      const { body } = await createSession({ currency: 'KES', amountMinor: '150000' });
      const sessionId = String(body['sessionId']);
      await pay(sessionId, '4242424242424242');
      const paid = await call('GET', `/v1/sessions/${sessionId}`);
      const paymentId = String(paid.body['paymentId']);
      assert.match(paymentId, /^cp_[0-9a-f]{24}$/);
      const refundBody = { paymentId, amountMinor: '100000', currency: 'KES',
        merchantRefundReference: 'RF-1' };
      const key = newKey();
      const created = await call('POST', '/v1/refunds', refundBody, { 'idempotency-key': key });
      assert.equal(created.status, 201);
      assert.match(String(created.body['refundId']), /^re_[0-9a-f]{24}$/);
      assert.equal(created.body['status'], 'pending');
      const replay = await call('POST', '/v1/refunds', refundBody, { 'idempotency-key': key });
      assert.deepEqual(replay, { status: 200, body: created.body });
      const reused = await call('POST', '/v1/refunds', { ...refundBody, amountMinor: '1' },
        { 'idempotency-key': key });
      assert.deepEqual(reused, { status: 409, body: { error: 'idempotency_key_reused' } });
      const over = await call('POST', '/v1/refunds', { ...refundBody, amountMinor: '50001' },
        { 'idempotency-key': newKey() });
      assert.deepEqual(over, { status: 409, body: { error: 'exceeds_payment' } });
      const wrongCurrency = await call('POST', '/v1/refunds',
        { ...refundBody, currency: 'USD' }, { 'idempotency-key': newKey() });
      assert.equal(wrongCurrency.status, 400);
      const unknown = await call('POST', '/v1/refunds',
        { ...refundBody, paymentId: 'cp_000000000000000000000000' },
        { 'idempotency-key': newKey() });
      assert.equal(unknown.status, 404);
      const refundId = String(created.body['refundId']);
      await acquirer.scheduler.advanceMs(acquirer.emulator.timing.refundDelayMs);
      const settled = await call('GET', `/v1/refunds/${refundId}`);
      assert.deepEqual(settled.body, { refundId, paymentId, amountMinor: '100000',
        currency: 'KES', status: 'succeeded' });
      const event = receiver.received.map((r) => r.body as Json)
        .find((e) => e['type'] === 'refund.succeeded');
      assert.deepEqual((event?.['data'] as Json | undefined)?.['refundId'], refundId);
      const rest = await call('POST', '/v1/refunds', { ...refundBody, amountMinor: '50000' },
        { 'idempotency-key': newKey() });
      assert.equal(rest.status, 201);
    });

  it('refunds of the refund-declined card fail refund_declined, and free the amount',
    async () => {
      const { body } = await createSession({ amountMinor: '5000' });
      const sessionId = String(body['sessionId']);
      await pay(sessionId, '4000 0000 0000 5126');
      const paymentId = String((await call('GET', `/v1/sessions/${sessionId}`)).body['paymentId']);
      const refundBody = { paymentId, amountMinor: '5000', currency: 'USD',
        merchantRefundReference: 'RF-2' };
      const created = await call('POST', '/v1/refunds', refundBody,
        { 'idempotency-key': newKey() });
      assert.equal(created.status, 201);
      const flushed = await call('POST', '/_emulator/flush');
      assert.equal(flushed.status, 200);
      const refund = await call('GET', `/v1/refunds/${String(created.body['refundId'])}`);
      assert.equal(refund.body['status'], 'failed');
      assert.equal(refund.body['failureCode'], 'refund_declined');
      const event = receiver.received.map((r) => r.body as Json)
        .find((e) => e['type'] === 'refund.failed');
      assert.equal((event?.['data'] as Json | undefined)?.['failureCode'], 'refund_declined');
      const again = await call('POST', '/v1/refunds', refundBody,
        { 'idempotency-key': newKey() });
      assert.equal(again.status, 201);
    });

  it('shows its state without card numbers', async () => {
    const { body } = await createSession();
    await pay(String(body['sessionId']), '4242 4242 4242 4242');
    const response = await fetch(`${acquirer.baseUrl}/_emulator/state`);
    const text = await response.text();
    assert.equal(response.status, 200);
    assert.equal(text.includes('4242424242424242'), false);
    assert.equal(text.includes('4242 4242'), false);
    const state = JSON.parse(text) as { sessions: Json[]; notifications: Json[] };
    const session = state.sessions.find((s) => s['sessionId'] === body['sessionId']);
    assert.deepEqual(session?.['card'], { brand: 'visa', last4: '4242' });
    assert.ok(state.notifications.length > 0);
  });

  it('serves its stylesheet', async () => {
    const response = await fetch(`${acquirer.baseUrl}/assets/card-emulator.css`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/css/);
  });
});

describe('card emulator with real timers (as in the app)', () => {
  it('sends the notification by itself; idle() waits for it', async () => {
    const acquirer = await startCardEmulatorServer();
    const receiver = await startNotificationReceiver();
    try {
      const created = await fetch(`${acquirer.baseUrl}/v1/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${testCardMerchant.secretKey}`,
          'idempotency-key': 'timers-1', 'content-type': 'application/json' },
        body: JSON.stringify({ merchantReference: 'BILL-1', amountMinor: '100', currency: 'KES',
          returnUrl: 'https://huduma.test/r', notificationUrl: `${receiver.url}/n` }),
      });
      const { hostedUrl } = await created.json() as { hostedUrl: string };
      await fetch(hostedUrl, { method: 'POST', redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ cardNumber: '4242424242424242', expiry: '08/29',
          cvc: '123', name: 'A N' }) });
      await acquirer.emulator.idle();
      assert.equal(receiver.received.length, 1);
      await acquirer.emulator.idle();
    } finally {
      await acquirer.close();
      await receiver.close();
    }
  });
});
