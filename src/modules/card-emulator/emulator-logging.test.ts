/**
 * Card numbers are never logged: a payment, a bad form and a failing notification, with the
 * emulator logging everything it can (trace), leave no card number in the log.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { it } from 'node:test';
import { createLogger } from '#platform/logging/index.ts';
import { startTestCardEmulator, testCardMerchant } from '#test/helpers/card-emulator.ts';

it('logs no card number, even at trace level', async () => {
  const lines: string[] = [];
  const destination = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const acquirer = await startTestCardEmulator({
    logger: createLogger({ level: 'trace', destination }),
    timing: { notificationAttemptsMax: 1 },
  });
  try {
    const created = await fetch(`${acquirer.baseUrl}/v1/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testCardMerchant.secretKey}`,
        'idempotency-key': 'log-1', 'content-type': 'application/json' },
      body: JSON.stringify({ merchantReference: 'BILL-1', amountMinor: '100', currency: 'KES',
        returnUrl: 'https://huduma.test/r', notificationUrl: 'http://127.0.0.1:9/n' }),
    });
    const { hostedUrl } = await created.json() as { hostedUrl: string };
    for (const cardNumber of ['4000 0000 0000 0077 9', '5555555555554444']) {
      await fetch(hostedUrl, { method: 'POST', redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ cardNumber, expiry: '08/29', cvc: '123', name: 'A N' }) });
    }
    await acquirer.emulator.flushNotifications();
    const log = lines.join('');
    assert.match(log, /card emulator gave up a notification/);
    assert.ok(lines.length >= 4);
    for (const digits of ['555555555555', '5555 5555', '400000000000', '0000 0077']) {
      assert.equal(log.includes(digits), false, digits);
    }
  } finally {
    await acquirer.close();
  }
});
