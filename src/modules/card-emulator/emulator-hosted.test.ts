/**
 * The hosted page and its notifications over real HTTP, for each test card: the payer's
 * journey (JavaScript off: forms and 303 redirects), what the merchant is told, signed, and
 * retried with backoff until it answers 2xx.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  startNotificationReceiver,
  startTestCardEmulator,
  testCardMerchant,
  type NotificationReceiver,
  type ReceivedNotification,
  type TestCardEmulator,
} from '#test/helpers/card-emulator.ts';

type Json = Record<string, unknown>;
type Event = Readonly<{ eventId: string; type: string; occurredAt: string; data: Json }>;

/** The receiver's side of the recipe in docs/card-emulator.md. */
function verify(notification: ReceivedNotification, nowSeconds: number): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(notification.signature ?? '');
  if (match === null) return false;
  const t = Number(match[1]);
  const expected = createHmac('sha256', testCardMerchant.notificationSecret)
    .update(`${t}.${notification.rawBody}`).digest('hex');
  return expected === match[2] && Math.abs(nowSeconds - t) <= 300;
}

describe('card emulator hosted page and notifications over HTTP', () => {
  let acquirer: TestCardEmulator;
  let receiver: NotificationReceiver;
  let keys = 0;
  before(async () => {
    acquirer = await startTestCardEmulator();
    receiver = await startNotificationReceiver();
  });
  after(async () => {
    await acquirer.close();
    await receiver.close();
  });
  beforeEach(async () => {
    receiver.answerWith([]);
    await acquirer.emulator.flushNotifications();
    receiver.received.length = 0;
    receiver.answerWith([]);
  });

  const events = (): Event[] => receiver.received.map((r) => r.body as Event);
  const nowSeconds = () => Math.floor(acquirer.clock.now().getTime() / 1000);
  const open = async (amountMinor = '10100', currency = 'USD') => {
    const response = await fetch(`${acquirer.baseUrl}/v1/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testCardMerchant.secretKey}`,
        'idempotency-key': `hosted-${keys += 1}`, 'content-type': 'application/json' },
      body: JSON.stringify({ merchantReference: 'BILL-7H2K9Q', amountMinor, currency,
        description: 'Tourist visa', returnUrl: 'https://huduma.test/pay/card/return?x=1',
        notificationUrl: `${receiver.url}/notify` }),
    });
    const body = await response.json() as { sessionId: string; hostedUrl: string };
    return body;
  };
  const post = (url: string, form: Record<string, string>) => fetch(url, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const payWith = (hostedUrl: string, cardNumber: string, expiry = '08/29') =>
    post(hostedUrl, { cardNumber, expiry, cvc: '123', name: 'Amina Njeri' });
  const status = async (sessionId: string) => {
    const response = await fetch(`${acquirer.baseUrl}/v1/sessions/${sessionId}`,
      { headers: { authorization: `Bearer ${testCardMerchant.secretKey}` } });
    return await response.json() as Json;
  };
  const returnTo = (sessionId: string) =>
    `https://huduma.test/pay/card/return?x=1&sessionId=${sessionId}`;

  it('shows the reference and amount in a form that works without JavaScript', async () => {
    const { hostedUrl } = await open('250000', 'KES');
    const response = await fetch(hostedUrl);
    const page = await response.text();
    assert.equal(response.status, 200);
    assert.match(page, /BILL-7H2K9Q/);
    assert.match(page, /KES\s2,500\.00/);
    assert.match(page, /<form method="post" novalidate>/);
    for (const field of ['cardNumber', 'expiry', 'cvc', 'name']) {
      assert.match(page, new RegExp(`<label for="${field}">`));
    }
    assert.equal(page.includes('<script'), false);
    assert.ok(Buffer.byteLength(page) < 4_000);
  });

  it('approves 4242 4242 4242 4242: redirect, succeeded, one signed notification', async () => {
    const { sessionId, hostedUrl } = await open();
    const answer = await payWith(hostedUrl, '4242 4242 4242 4242');
    assert.equal(answer.status, 303);
    assert.equal(answer.headers.get('location'), returnTo(sessionId));
    const session = await status(sessionId);
    assert.equal(session['status'], 'succeeded');
    assert.deepEqual(session['card'], { brand: 'visa', last4: '4242' });
    assert.equal(session['paidAt'], acquirer.clock.now().toISOString());
    await acquirer.scheduler.advanceMs(0);
    const [notification] = receiver.received;
    assert.ok(notification !== undefined);
    assert.equal(notification.path, '/notify');
    assert.ok(verify(notification, nowSeconds()));
    const tampered = { ...notification, rawBody: notification.rawBody.replace('10100', '10') };
    assert.equal(verify(tampered, nowSeconds()), false);
    assert.equal(verify(notification, nowSeconds() + 301), false);
    const event = notification.body as Event;
    assert.match(event.eventId, /^evt_[0-9a-f]{24}$/);
    assert.equal(event.type, 'payment.succeeded');
    assert.deepEqual(event.data, { sessionId, merchantReference: 'BILL-7H2K9Q',
      amountMinor: '10100', currency: 'USD', paymentId: session['paymentId'],
      card: { brand: 'visa', last4: '4242' } });
    assert.equal(receiver.received.length, 1);
  });

  it('pays a session once: the page of a finished session says so', async () => {
    const { hostedUrl } = await open();
    await payWith(hostedUrl, '4242424242424242');
    const again = await payWith(hostedUrl, '5555555555554444');
    assert.equal(again.status, 409);
    assert.match(await again.text(), /has been made/);
    const page = await (await fetch(hostedUrl)).text();
    assert.match(page, /cannot be paid again/);
    const unknown = await fetch(`${acquirer.baseUrl}/pay/cs_000000000000000000000000`);
    assert.equal(unknown.status, 404);
  });

  it('shows Luhn and expiry errors by their fields, and records nothing', async () => {
    const { sessionId, hostedUrl } = await open();
    const answer = await payWith(hostedUrl, '4242 4242 4242 4241', '01/20');
    assert.equal(answer.status, 400);
    const page = await answer.text();
    assert.match(page, /<title>Error: /);
    assert.match(page, /id="cardNumber-error"/);
    assert.match(page, /aria-describedby="cardNumber-hint cardNumber-error"/);
    assert.match(page, /id="expiry-error"[^]*has expired/);
    assert.match(page, /href="#cardNumber"/);
    assert.equal(page.includes('4241'), false, 'the card number is not echoed');
    assert.match(page, /value="01\/20"/);
    assert.equal((await status(sessionId))['status'], 'open');
    assert.equal(acquirer.scheduler.pendingCount(), 0);
  });

  it('declines 0002 card_declined and 9995 insufficient_funds, notified as failed',
    async () => {
      for (const [card, code] of [['4000000000000002', 'card_declined'],
        ['4000000000009995', 'insufficient_funds']] as const) {
        const { sessionId, hostedUrl } = await open();
        const answer = await payWith(hostedUrl, card);
        assert.equal(answer.headers.get('location'), returnTo(sessionId));
        const session = await status(sessionId);
        assert.equal(session['status'], 'failed');
        assert.equal(session['failureCode'], code);
        assert.equal(session['paymentId'], undefined);
      }
      await acquirer.scheduler.advanceMs(0);
      assert.deepEqual(events().map((e) => [e.type, e.data['failureCode']]),
        [['payment.failed', 'card_declined'], ['payment.failed', 'insufficient_funds']]);
    });

  it('challenges 3220: the right code approves', async () => {
    const { sessionId, hostedUrl } = await open();
    const answer = await payWith(hostedUrl, '4000 0000 0000 3220');
    assert.equal(answer.status, 303);
    const challengeUrl = new URL(answer.headers.get('location') ?? '', hostedUrl).toString();
    assert.equal(challengeUrl, `${hostedUrl}/challenge`);
    const page = await (await fetch(challengeUrl)).text();
    assert.match(page, /Test code: 123456/);
    assert.equal((await fetch(hostedUrl, { redirect: 'manual' })).status, 303);
    const wrong = await post(challengeUrl, { code: '000000', action: 'verify' });
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /2 tries left/);
    const right = await post(challengeUrl, { code: '123456', action: 'verify' });
    assert.equal(right.headers.get('location'), returnTo(sessionId));
    assert.equal((await status(sessionId))['status'], 'succeeded');
  });

  it('challenges 3220: three wrong codes fail authentication_failed; Cancel fails cancelled',
    async () => {
      const first = await open();
      await payWith(first.hostedUrl, '4000000000003220');
      const challengeUrl = `${first.hostedUrl}/challenge`;
      await post(challengeUrl, { code: '1', action: 'verify' });
      await post(challengeUrl, { code: '2', action: 'verify' });
      const third = await post(challengeUrl, { code: '3', action: 'verify' });
      assert.equal(third.headers.get('location'), returnTo(first.sessionId));
      assert.equal((await status(first.sessionId))['failureCode'], 'authentication_failed');
      const second = await open();
      await payWith(second.hostedUrl, '4000000000003220');
      const cancelled = await post(`${second.hostedUrl}/challenge`, { action: 'cancel' });
      assert.equal(cancelled.headers.get('location'), returnTo(second.sessionId));
      assert.equal((await status(second.sessionId))['failureCode'], 'cancelled');
      const late = await post(`${second.hostedUrl}/challenge`, { code: '123456' });
      assert.equal(late.status, 409);
      const noChallenge = await open();
      const away = await fetch(`${noChallenge.hostedUrl}/challenge`, { redirect: 'manual' });
      assert.equal(away.status, 303);
      await acquirer.scheduler.advanceMs(0);
      assert.deepEqual(events().map((e) => e.data['failureCode']),
        ['authentication_failed', 'cancelled']);
      assert.deepEqual(events().map((e) => e.data['card']),
        [{ brand: 'visa', last4: '3220' }, { brand: 'visa', last4: '3220' }]);
    });

  it('closes an expired session, even in the middle of its challenge', async () => {
    const { sessionId, hostedUrl } = await open();
    await payWith(hostedUrl, '4000000000003220');
    await acquirer.scheduler.advanceMs(acquirer.emulator.timing.sessionLifetimeMs);
    const challenge = await fetch(`${hostedUrl}/challenge`);
    assert.match(await challenge.text(), /has expired/);
    const late = await post(`${hostedUrl}/challenge`, { code: '123456', action: 'verify' });
    assert.equal(late.status, 409);
    assert.equal((await payWith(hostedUrl, '4242424242424242')).status, 409);
    assert.equal((await status(sessionId))['status'], 'expired');
    const unknown = await post(`${acquirer.baseUrl}/pay/cs_0/challenge`, { code: '1' });
    assert.equal(unknown.status, 404);
    assert.equal((await fetch(`${acquirer.baseUrl}/pay/cs_0/challenge`)).status, 404);
    assert.equal(receiver.received.length, 0);
  });

  it('delays the notification of 0119 until the long delay, or a flush', async () => {
    const { sessionId, hostedUrl } = await open();
    await payWith(hostedUrl, '4000000000000119');
    assert.equal((await status(sessionId))['status'], 'succeeded');
    await acquirer.scheduler.advanceMs(acquirer.emulator.timing.delayedNotificationMs - 1);
    assert.equal(receiver.received.length, 0);
    await acquirer.scheduler.advanceMs(1);
    assert.equal(receiver.received.length, 1);
    const flushed = await open();
    await payWith(flushed.hostedUrl, '4000000000000119');
    const answer = await fetch(`${acquirer.baseUrl}/_emulator/flush`, { method: 'POST' });
    assert.deepEqual(await answer.json(), { flushed: 1 });
    assert.equal(events()[1]?.data['sessionId'], flushed.sessionId);
    assert.equal(acquirer.scheduler.pendingCount(), 0);
  });

  it('delivers the notification of 0077 twice, with the same eventId', async () => {
    const { hostedUrl } = await open();
    await payWith(hostedUrl, '4000000000000077');
    await acquirer.scheduler.advanceMs(acquirer.emulator.timing.duplicateNotificationGapMs);
    assert.equal(receiver.received.length, 2);
    assert.equal(receiver.received[0]?.rawBody, receiver.received[1]?.rawBody);
  });

  it('retries with backoff until a 2xx, keeping the eventId; gives up after 10 tries',
    async () => {
      receiver.answerWith([500, 503, 404]);
      const { hostedUrl } = await open('5000', 'KES');
      await payWith(hostedUrl, '5555 5555 5555 4444');
      await acquirer.scheduler.advanceMs(0);
      assert.equal(receiver.received.length, 1);
      await acquirer.scheduler.advanceMs(999);
      assert.equal(receiver.received.length, 1);
      await acquirer.scheduler.advanceMs(1);
      assert.equal(receiver.received.length, 2);
      await acquirer.scheduler.advanceMs(2_000);
      assert.equal(receiver.received.length, 3);
      await acquirer.scheduler.advanceMs(3_999);
      assert.equal(receiver.received.length, 3);
      await acquirer.scheduler.advanceMs(1);
      assert.equal(receiver.received.length, 4);
      await acquirer.scheduler.advanceMs(60 * 60_000);
      assert.equal(receiver.received.length, 4);
      assert.equal(new Set(events().map((e) => e.eventId)).size, 1);
      assert.ok(receiver.received.every((r) => verify(r, Number(/t=(\d+)/.exec(r.signature ?? '')
        ?.[1]))));
      assert.equal(events()[0]?.data['currency'], 'KES');
      assert.deepEqual(events()[0]?.data['card'], { brand: 'mastercard', last4: '4444' });
      receiver.received.length = 0;
      receiver.answerWith(Array.from({ length: 10 }, () => 500));
      const second = await open();
      await payWith(second.hostedUrl, '4242424242424242');
      await acquirer.scheduler.advanceMs(24 * 60 * 60_000);
      assert.equal(receiver.received.length, 10);
      const last = acquirer.emulator.snapshot().notifications.at(-1);
      assert.equal(last?.status, 'abandoned');
      assert.equal(last?.lastResponseStatus, 500);
    });

  it('counts an unreachable receiver as a failed try', async () => {
    const { hostedUrl } = await open();
    await payWith(hostedUrl, '4242424242424242');
    const closed = await startNotificationReceiver();
    await closed.close();
    const state = acquirer.emulator.snapshot();
    assert.ok(state.notifications.length > 0);
    const other = await fetch(`${acquirer.baseUrl}/v1/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testCardMerchant.secretKey}`,
        'idempotency-key': `hosted-${keys += 1}`, 'content-type': 'application/json' },
      body: JSON.stringify({ merchantReference: 'BILL-X', amountMinor: '100', currency: 'KES',
        returnUrl: 'https://huduma.test/r', notificationUrl: `${closed.url}/notify` }),
    });
    const { hostedUrl: otherUrl } = await other.json() as { hostedUrl: string };
    await payWith(otherUrl, '4242424242424242');
    await acquirer.scheduler.advanceMs(0);
    const failed = acquirer.emulator.snapshot().notifications.at(-1);
    assert.equal(failed?.status, 'pending');
    assert.equal(failed?.lastError, 'unreachable');
    assert.equal(failed?.attempts, 1);
  });
});
