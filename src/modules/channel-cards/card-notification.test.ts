/** The Card-Signature check and the reading of notifications (pure). */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { parseCardEvent, verifyCardSignature } from './card-notification.ts';

const secret = 'notification-secret';
const body = '{"eventId":"evt_1","type":"payment.failed"}';
const bytes = new TextEncoder().encode(body);
const at = new Date('2026-12-04T10:00:00Z');
const seconds = at.getTime() / 1000;
const sign = (t: number, text = body, key = secret) =>
  `t=${t},v1=${createHmac('sha256', key).update(`${t}.${text}`).digest('hex')}`;

describe('Card-Signature', () => {
  it('accepts the signature of the raw body within 300 s either way, and no further', () => {
    for (const offset of [0, 300, -300]) {
      assert.deepEqual(verifyCardSignature(sign(seconds + offset), bytes, secret, at),
        { ok: true }, String(offset));
    }
    for (const offset of [301, -301]) {
      assert.deepEqual(verifyCardSignature(sign(seconds + offset), bytes, secret, at),
        { ok: false, reason: 'Card-Signature time outside the tolerance' });
    }
  });

  it('refuses another key, another body, no header and a header not understood', () => {
    const refused = (header: string | undefined, text = body) =>
      verifyCardSignature(header, new TextEncoder().encode(text), secret, at).ok;
    assert.equal(refused(sign(seconds, body, 'other')), false);
    assert.equal(refused(sign(seconds), `${body} `), false);
    assert.equal(refused(undefined), false);
    assert.equal(refused(''), false);
    assert.equal(refused('v1=abc'), false);
    assert.equal(refused(`t=${seconds}`), false);
    // A key being rotated: either signature is enough.
    assert.equal(refused(`${sign(seconds, body, 'old')},v1=${
      sign(seconds).split('v1=')[1] ?? ''}`), true);
  });
});

describe('card notifications', () => {
  const event = (type: string, data: Record<string, unknown>) => JSON.stringify({
    eventId: 'evt_0123456789abcdef01234567', type, occurredAt: at.toISOString(), data });

  it('reads payment and refund events', () => {
    assert.deepEqual(parseCardEvent(event('payment.succeeded', { sessionId: 'cs_abcd',
      merchantReference: 'HX1', amountMinor: '5100', currency: 'USD', paymentId: 'cp_abcd' })),
    { type: 'payment.succeeded', eventId: 'evt_0123456789abcdef01234567', sessionId: 'cs_abcd',
      merchantReference: 'HX1', amountMinor: 5100n, currency: 'USD', paymentId: 'cp_abcd',
      occurredAt: at });
    assert.deepEqual(parseCardEvent(event('payment.failed', { sessionId: 'cs_abcd',
      failureCode: 'card_declined' }))?.type, 'payment.failed');
    assert.deepEqual(parseCardEvent(event('payment.failed', { sessionId: 'cs_abcd' })),
      { type: 'payment.failed', eventId: 'evt_0123456789abcdef01234567', sessionId: 'cs_abcd',
        failureCode: 'failed' });
    assert.deepEqual(parseCardEvent(event('refund.failed', { refundId: 're_abcd',
      paymentId: 'cp_abcd', failureCode: 'refund_declined' })),
    { type: 'refund.failed', eventId: 'evt_0123456789abcdef01234567', refundId: 're_abcd',
      paymentId: 'cp_abcd', failureCode: 'refund_declined' });
  });

  it('reads nothing from what is not an event we know', () => {
    for (const text of ['not json', '[]', '{"data":{}}', event('payment.refunded', {}),
      event('payment.succeeded', { sessionId: 'cs_abcd', amountMinor: '1.5',
        currency: 'USD', paymentId: 'cp_abcd', merchantReference: 'X' }),
      event('payment.failed', {}), event('refund.succeeded', {}),
      JSON.stringify({ eventId: 'evt_1234', type: 'payment.failed', occurredAt: 'never',
        data: { sessionId: 'cs_abcd' } })]) {
      assert.equal(parseCardEvent(text), undefined, text);
    }
  });
});
