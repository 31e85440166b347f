import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  cardBrand,
  cardDigits,
  cardEmulatorTestCards,
  isExpired,
  parseExpiry,
  passesLuhn,
  scenarioForCard,
} from './emulator-cards.ts';
import { checkCardForm, returnUrlOf } from './emulator-checkout.ts';
import { signCardNotification } from './emulator-signature.ts';
import type { PaymentSession } from './emulator-state.ts';

const now = new Date('2026-12-04T10:00:00Z');
const goodForm = { cardNumber: '4242 4242 4242 4242', expiry: '08/29', cvc: '123',
  name: 'Amina Njeri' };

describe('card emulator: card numbers', () => {
  it('checks Luhn, and every published test card passes it', () => {
    for (const card of cardEmulatorTestCards) {
      const digits = cardDigits(card.number);
      assert.ok(digits !== undefined && passesLuhn(digits), card.number);
      assert.equal(cardBrand(digits), card.brand);
    }
    assert.equal(passesLuhn('4242424242424241'), false);
    assert.equal(passesLuhn('79927398713'), true);
  });

  it('reads digits with spaces or dashes, 12 to 19 of them', () => {
    assert.equal(cardDigits('4242-4242 4242 4242'), '4242424242424242');
    assert.equal(cardDigits('4242 4242'), undefined);
    assert.equal(cardDigits('4242 4242 4242 424x'), undefined);
    assert.equal(cardDigits('1'.repeat(20)), undefined);
  });

  it('names the brand: visa, mastercard (51-55 and 2221-2720) or other', () => {
    assert.equal(cardBrand('5555555555554444'), 'mastercard');
    assert.equal(cardBrand('2223003122003222'), 'mastercard');
    assert.equal(cardBrand('2721000000000000'), 'other');
    assert.equal(cardBrand('378282246310005'), 'other');
  });

  it('chooses the outcome by card number, any other card approved', () => {
    assert.deepEqual(scenarioForCard('4000000000000002'),
      { kind: 'declined', failureCode: 'card_declined' });
    assert.deepEqual(scenarioForCard('4000000000009995'),
      { kind: 'declined', failureCode: 'insufficient_funds' });
    assert.deepEqual(scenarioForCard('4000000000003220'), { kind: 'challenge' });
    assert.deepEqual(scenarioForCard('5555555555554444'), { kind: 'approved' });
  });

  it('reads MM/YY expiry dates; a card is good through its expiry month', () => {
    assert.deepEqual(parseExpiry('08/29'), { month: 8, year: 2029 });
    assert.deepEqual(parseExpiry(' 0829 '), { month: 8, year: 2029 });
    assert.deepEqual(parseExpiry('08 / 29'), { month: 8, year: 2029 });
    assert.equal(parseExpiry('13/29'), undefined);
    assert.equal(parseExpiry('00/29'), undefined);
    assert.equal(parseExpiry('8/2029'), undefined);
    assert.equal(isExpired({ month: 12, year: 2026 }, now), false);
    assert.equal(isExpired({ month: 11, year: 2026 }, now), true);
    assert.equal(isExpired({ month: 1, year: 2027 }, now), false);
    assert.equal(isExpired({ month: 12, year: 2025 }, now), true);
  });
});

describe('card emulator: the hosted form', () => {
  it('accepts a good form', () => {
    assert.deepEqual(checkCardForm(goodForm, now), []);
  });

  it('names each wrong field with its own message', () => {
    const fields = (form: typeof goodForm) => checkCardForm(form, now).map((e) => e.field);
    assert.deepEqual(fields({ cardNumber: '', expiry: '', cvc: '', name: '' }),
      ['cardNumber', 'expiry', 'cvc', 'name']);
    assert.deepEqual(fields({ ...goodForm, cardNumber: '4242 4242 4242 4241' }), ['cardNumber']);
    assert.deepEqual(fields({ ...goodForm, expiry: '11/26' }), ['expiry']);
    assert.deepEqual(fields({ ...goodForm, expiry: 'soon' }), ['expiry']);
    assert.deepEqual(fields({ ...goodForm, cvc: '12' }), ['cvc']);
    assert.deepEqual(fields({ ...goodForm, name: 'x'.repeat(101) }), ['name']);
    const [expired] = checkCardForm({ ...goodForm, expiry: '11/26' }, now);
    assert.match(expired?.message ?? '', /expired/);
  });

  it('appends sessionId to the return URL, keeping its own query', () => {
    const session = { sessionId: 'cs_1', returnUrl: 'https://huduma.test/pay/card?x=1' };
    assert.equal(returnUrlOf(session as PaymentSession),
      'https://huduma.test/pay/card?x=1&sessionId=cs_1');
  });
});

describe('card emulator: Card-Signature', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256 of "t.rawBody">', () => {
    const body = '{"eventId":"evt_1"}';
    const expected = createHmac('sha256', 'secret').update(`1700000000.${body}`).digest('hex');
    assert.equal(signCardNotification('secret', 1_700_000_000, body),
      `t=1700000000,v1=${expected}`);
    assert.notEqual(signCardNotification('other', 1_700_000_000, body),
      `t=1700000000,v1=${expected}`);
  });
});
