/**
 * STK push over real HTTP: the emulator on a port, a receiver for callbacks, and a manual
 * scheduler so "the payer answers after 3 s" happens exactly when the test says.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { manualClock } from '#platform/clock/index.ts';
import {
  startCallbackReceiver,
  startTestEmulator,
  testDarajaAccount,
  type CallbackReceiver,
} from '#test/helpers/daraja.ts';
import { kenyaTimestamp, stkPassword } from './emulator-formats.ts';
import { manualScheduler } from './emulator-scheduler.ts';
import type { EmulatorServer } from './emulator-server.ts';

const timing = { stkCompletionDelayMs: 3_000, stkTimeoutMs: 60_000, delayedCallbackMs: 90_000,
  duplicateCallbackGapMs: 1_000 };

describe('emulator: STK push and query', () => {
  const clock = manualClock(new Date('2026-11-28T07:00:00Z'));
  const scheduler = manualScheduler(clock);
  let daraja: EmulatorServer;
  let receiver: CallbackReceiver;
  let token: string;

  const api = async (path: string, body: unknown) => {
    const response = await fetch(`${daraja.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() as Record<string, unknown> };
  };
  const credentials = () => {
    const timestamp = kenyaTimestamp(clock.now());
    return {
      BusinessShortCode: 222222,
      Password: stkPassword('222222', testDarajaAccount.passkey, timestamp),
      Timestamp: timestamp,
    };
  };
  const push = (phone: number, overrides: Record<string, unknown> = {}) =>
    api('/mpesa/stkpush/v1/processrequest', {
      ...credentials(),
      TransactionType: 'CustomerPayBillOnline',
      Amount: 150,
      PartyA: phone,
      PartyB: 222222,
      PhoneNumber: phone,
      CallBackURL: `${receiver.url}/stk/secret-token`,
      AccountReference: 'HDM7K2QX9',
      TransactionDesc: 'Passport',
      ...overrides,
    });
  const query = (checkoutRequestId: unknown) =>
    api('/mpesa/stkpushquery/v1/query', { ...credentials(), CheckoutRequestID: checkoutRequestId });
  const callbacksFor = (checkoutRequestId: unknown) => receiver.received.filter((callback) =>
    JSON.stringify(callback.body).includes(String(checkoutRequestId)));

  before(async () => {
    receiver = await startCallbackReceiver();
    daraja = await startTestEmulator({ clock, scheduler, timing });
  });
  after(async () => {
    await daraja.close();
    await receiver.close();
  });
  // The manual clock runs for hours in some tests: a fresh token each time (they last 3599 s).
  beforeEach(async () => {
    receiver.received.length = 0;
    const basic = Buffer.from(`${testDarajaAccount.consumerKey}:` +
      `${testDarajaAccount.consumerSecret}`).toString('base64');
    const response = await fetch(`${daraja.baseUrl}/oauth/v1/generate?grant_type=` +
      'client_credentials', { headers: { authorization: `Basic ${basic}` } });
    token = (await response.json() as { access_token: string }).access_token;
  });

  it('acknowledges at once, then posts the success callback of daraja.md when the payer pays',
    async () => {
      const accepted = await push(254708374149);
      assert.equal(accepted.status, 200);
      assert.deepEqual(Object.keys(accepted.body), ['MerchantRequestID', 'CheckoutRequestID',
        'ResponseCode', 'ResponseDescription', 'CustomerMessage']);
      assert.equal(accepted.body['ResponseCode'], '0');
      assert.match(String(accepted.body['CheckoutRequestID']), /^ws_CO_\d{18}$/);

      const pending = await query(accepted.body['CheckoutRequestID']);
      assert.equal(pending.status, 500);
      assert.equal(pending.body['errorCode'], '500.001.1001');
      assert.equal(pending.body['errorMessage'], 'The transaction is being processed');
      assert.equal(receiver.received.length, 0);

      await scheduler.advanceMs(3_000);
      assert.equal(receiver.received.length, 1);
      const callback = receiver.received[0];
      assert.equal(callback?.path, '/stk/secret-token');
      const stk = (callback?.body as { Body: { stkCallback: Record<string, unknown> } })
        .Body.stkCallback;
      assert.equal(stk['MerchantRequestID'], accepted.body['MerchantRequestID']);
      assert.equal(stk['CheckoutRequestID'], accepted.body['CheckoutRequestID']);
      assert.equal(stk['ResultCode'], 0);
      assert.equal(stk['ResultDesc'], 'The service request is processed successfully.');
      const items = (stk['CallbackMetadata'] as { Item: { Name: string; Value?: unknown }[] })
        .Item;
      assert.deepEqual(items.map((item) => item.Name),
        ['Amount', 'MpesaReceiptNumber', 'Balance', 'TransactionDate', 'PhoneNumber']);
      assert.equal(items[0]?.Value, 150);
      assert.match(String(items[1]?.Value), /^UKS[A-Z0-9]{7}$/);
      assert.equal('Value' in (items[2] ?? {}), false);
      assert.equal(items[3]?.Value, 20261128100003);
      assert.equal(items[4]?.Value, 254708374149);

      const done = await query(accepted.body['CheckoutRequestID']);
      assert.equal(done.status, 200);
      assert.equal(done.body['ResultCode'], '0');
      assert.equal(done.body['ResponseCode'], '0');
    });

  for (const [phone, code] of [[254700001032, 1032], [254700000001, 1], [254700002001, 2001]]) {
    it(`sends a failure callback without metadata for a phone ending ${String(phone).slice(-4)}`,
      async () => {
        const accepted = await push(phone ?? 0);
        await scheduler.advanceMs(3_000);
        const [callback] = callbacksFor(accepted.body['CheckoutRequestID']);
        const stk = (callback?.body as { Body: { stkCallback: Record<string, unknown> } })
          .Body.stkCallback;
        assert.equal(stk['ResultCode'], code);
        assert.equal('CallbackMetadata' in stk, false);
        const result = await query(accepted.body['CheckoutRequestID']);
        assert.equal(result.body['ResultCode'], String(code));
      });
  }

  it('never calls back for 1037; the query says "processing" until the timeout, then 1037',
    async () => {
      const accepted = await push(254700001037);
      await scheduler.advanceMs(30_000);
      assert.equal((await query(accepted.body['CheckoutRequestID'])).body['errorCode'],
        '500.001.1001');
      await scheduler.advanceMs(30_000);
      const result = await query(accepted.body['CheckoutRequestID']);
      assert.equal(result.body['ResultCode'], '1037');
      assert.equal(result.body['ResultDesc'], 'DS timeout user cannot be reached');
      await scheduler.advanceMs(60 * 60_000);
      assert.equal(callbacksFor(accepted.body['CheckoutRequestID']).length, 0);
    });

  it('loses the callback of a paid push (9001): only the query tells', async () => {
    const accepted = await push(254700009001);
    await scheduler.advanceMs(30 * 60_000);
    assert.equal(callbacksFor(accepted.body['CheckoutRequestID']).length, 0);
    assert.equal((await query(accepted.body['CheckoutRequestID'])).body['ResultCode'], '0');
  });

  it('sends the callback of 9002 twice, identical', async () => {
    const accepted = await push(254700009002);
    await scheduler.advanceMs(3_000);
    assert.equal(callbacksFor(accepted.body['CheckoutRequestID']).length, 1);
    await scheduler.advanceMs(1_000);
    const copies = callbacksFor(accepted.body['CheckoutRequestID']);
    assert.equal(copies.length, 2);
    assert.deepEqual(copies[0]?.body, copies[1]?.body);
  });

  it('delays the callback of 9003 while the query already says paid', async () => {
    const accepted = await push(254700009003);
    await scheduler.advanceMs(60_000);
    assert.equal(callbacksFor(accepted.body['CheckoutRequestID']).length, 0);
    assert.equal((await query(accepted.body['CheckoutRequestID'])).body['ResultCode'], '0');
    await scheduler.advanceMs(30_000);
    assert.equal(callbacksFor(accepted.body['CheckoutRequestID']).length, 1);
  });

  it('times out (1037) when phone numbers are sent as strings, as Safaricom does', async () => {
    const accepted = await push(254708374149,
      { PartyA: '254708374149', PhoneNumber: '254708374149' });
    assert.equal(accepted.status, 200);
    await scheduler.advanceMs(60_000);
    assert.equal((await query(accepted.body['CheckoutRequestID'])).body['ResultCode'], '1037');
    assert.equal(callbacksFor(accepted.body['CheckoutRequestID']).length, 0);
  });

  it('fails with 1025 when TransactionDesc is longer than 182 characters', async () => {
    const accepted = await push(254708374149, { TransactionDesc: 'x'.repeat(183) });
    await scheduler.advanceMs(3_000);
    assert.equal((await query(accepted.body['CheckoutRequestID'])).body['ResultCode'], '1025');
  });

  it('refuses bad requests with Daraja\'s error envelope', async () => {
    const cases: readonly [Record<string, unknown>, number, string, string][] = [
      [{ Password: 'bm9wZQ==' }, 500, '500.001.1001', 'Wrong credentials'],
      [{ BusinessShortCode: 999999 }, 500, '500.001.1001', 'Merchant does not exist'],
      [{ Timestamp: '2026-11-28' }, 400, '400.002.02', 'Bad Request - Invalid Timestamp'],
      [{ Amount: 10.5 }, 400, '400.002.02', 'Bad Request - Invalid Amount'],
      [{ PartyB: 111111 }, 400, '400.002.02', 'Bad Request - Invalid PartyB'],
      [{ AccountReference: 'ABCDEFGHIJKLM' }, 400, '400.002.02',
        'Bad Request - Invalid AccountReference'],
      [{ CallBackURL: 'not a url' }, 400, '400.002.02', 'Bad Request - Invalid CallBackURL'],
    ];
    for (const [overrides, status, errorCode, errorMessage] of cases) {
      const refused = await push(254708374149, overrides);
      assert.equal(refused.status, status, JSON.stringify(overrides));
      assert.equal(refused.body['errorCode'], errorCode);
      assert.equal(refused.body['errorMessage'], errorMessage);
      assert.match(String(refused.body['requestId']), /^\d+-\d+-1$/);
    }
    const unknown = await query('ws_CO_000000000000000000');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body['errorMessage'], 'Bad Request - Invalid CheckoutRequestID');
  });

  it('accepts a Timestamp in any clock, as long as the Password was built from it', async () => {
    const utc = clock.now().toISOString().replaceAll(/[-:T]/g, '').slice(0, 14);
    const accepted = await push(254708374149, {
      Timestamp: utc, Password: stkPassword('222222', testDarajaAccount.passkey, utc),
    });
    assert.equal(accepted.status, 200);
  });
});
