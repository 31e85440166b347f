/**
 * C2B over real HTTP: register URLs, then a payment that M-Pesa first offers to our validation
 * URL and, when accepted, confirms. Payload shapes are asserted against daraja.md section 3.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  startCallbackReceiver,
  startTestEmulator,
  testDarajaAccount,
  type CallbackReceiver,
} from '#test/helpers/daraja.ts';
import { hashMsisdn } from './emulator-formats.ts';
import type { EmulatorServer } from './emulator-server.ts';

/** daraja.md section 3: the same keys, in this order, for validation and confirmation. */
const payloadKeys = ['TransactionType', 'TransID', 'TransTime', 'TransAmount',
  'BusinessShortCode', 'BillRefNumber', 'InvoiceNumber', 'OrgAccountBalance',
  'ThirdPartyTransID', 'MSISDN', 'FirstName', 'MiddleName', 'LastName'];

type Payload = Readonly<Record<string, string>>;

describe('emulator: C2B register, validation and confirmation', () => {
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
  const register = (responseType: string, version = 'v2') =>
    api(`/mpesa/c2b/${version}/registerurl`, {
      ShortCode: '222222',
      ResponseType: responseType,
      ConfirmationURL: `${receiver.url}/confirmation`,
      ValidationURL: `${receiver.url}/validation`,
    });
  const pay = async (msisdn: number, billReference: string, amount = 100) => {
    const answer = await api('/mpesa/c2b/v1/simulate', {
      ShortCode: 222222, CommandID: 'CustomerPayBillOnline', Amount: amount, Msisdn: msisdn,
      BillRefNumber: billReference,
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    await daraja.emulator.idle();
    return answer;
  };
  const sent = (path: string) => receiver.received
    .filter((callback) => callback.path === path)
    .map((callback) => callback.body as Payload);
  const balance = () => (daraja.emulator.snapshot()['shortcodes'] as { balance: string }[])[0]
    ?.balance;

  before(async () => {
    receiver = await startCallbackReceiver();
    daraja = await startTestEmulator({ timing: { validationTimeoutMs: 300 } });
    const basic = Buffer.from(`${testDarajaAccount.consumerKey}:` +
      `${testDarajaAccount.consumerSecret}`).toString('base64');
    const response = await fetch(`${daraja.baseUrl}/oauth/v1/generate?grant_type=` +
      'client_credentials', { headers: { authorization: `Basic ${basic}` } });
    token = (await response.json() as { access_token: string }).access_token;
  });
  after(async () => {
    await daraja.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answer('/validation', {});
    receiver.answer('/confirmation', {});
  });

  it('registers URLs and answers with Safaricom\'s spelling; ResponseType is case-exact',
    async () => {
      const registered = await register('Completed');
      assert.equal(registered.status, 200);
      assert.deepEqual(Object.keys(registered.body),
        ['OriginatorCoversationID', 'ResponseCode', 'ResponseDescription']);
      assert.equal(registered.body['ResponseCode'], '0');
      assert.equal(registered.body['ResponseDescription'], 'success');
      const lowercase = await register('completed');
      assert.equal(lowercase.status, 400);
      assert.equal(lowercase.body['errorMessage'], 'Bad Request - Invalid ResponseType');
    });

  it('validates, then confirms with the new balance and our ThirdPartyTransID', async () => {
    await register('Completed');
    receiver.answer('/validation',
      { body: { ResultCode: '0', ResultDesc: 'Accepted', ThirdPartyTransID: 'HUDUMA-42' } });
    const before = balance();
    const accepted = await pay(254712345126, 'HDM7K2QX9', 100);
    assert.equal(accepted.body['ResponseCode'], '0');
    assert.deepEqual(receiver.received.map((callback) => callback.path),
      ['/validation', '/confirmation']);
    const [validation] = sent('/validation');
    const [confirmation] = sent('/confirmation');
    assert.deepEqual(Object.keys(validation ?? {}), payloadKeys);
    assert.deepEqual(Object.keys(confirmation ?? {}), payloadKeys);
    assert.equal(validation?.['TransactionType'], 'Pay Bill');
    assert.match(validation?.['TransID'] ?? '', /^[A-Z]{2}[1-9A-V][A-Z0-9]{7}$/);
    assert.match(validation?.['TransTime'] ?? '', /^\d{14}$/);
    assert.equal(validation?.['TransAmount'], '100.00');
    assert.equal(validation?.['BusinessShortCode'], '222222');
    assert.equal(validation?.['BillRefNumber'], 'HDM7K2QX9');
    assert.equal(validation?.['OrgAccountBalance'], '', 'blank on validation');
    assert.equal(validation?.['ThirdPartyTransID'], '');
    assert.equal(validation?.['MSISDN'], '2547 ***** 126', 'v2 masks the number');
    assert.equal(confirmation?.['TransID'], validation?.['TransID']);
    assert.equal(confirmation?.['ThirdPartyTransID'], 'HUDUMA-42');
    const expected = (Number(before) + 100).toFixed(2);
    assert.equal(confirmation?.['OrgAccountBalance'], expected);
    assert.equal(balance(), expected);
  });

  it('sends a SHA-256 of the number when the URLs were registered through v1', async () => {
    await register('Completed', 'v1');
    await pay(254712345126, 'HDM7K2QX9');
    assert.equal(sent('/confirmation')[0]?.['MSISDN'], hashMsisdn('254712345126'));
    await register('Completed', 'v2');
  });

  for (const code of ['C2B00012', 'C2B00013']) {
    it(`stops the payment when validation rejects it with ${code}`, async () => {
      await register('Completed');
      receiver.answer('/validation', { body: { ResultCode: code, ResultDesc: 'Rejected' } });
      const before = balance();
      const transactions = (daraja.emulator.snapshot()['transactions'] as unknown[]).length;
      await pay(254708374149, 'WRONG-REF');
      assert.deepEqual(receiver.received.map((callback) => callback.path), ['/validation']);
      assert.equal(balance(), before);
      assert.equal((daraja.emulator.snapshot()['transactions'] as unknown[]).length, transactions);
      const attempts = daraja.emulator.snapshot()['c2bAttempts'] as { status: string;
        decision: string }[];
      assert.deepEqual(attempts.at(-1), { ...attempts.at(-1), status: 'rejected', decision: code });
    });
  }

  it('lets ResponseType decide when validation answers too late: Completed pays', async () => {
    await register('Completed');
    receiver.answer('/validation', { delayMs: 1_000 });
    const startedAt = Date.now();
    await pay(254708374149, 'HDM7K2QX9');
    assert.ok(Date.now() - startedAt < 1_000, 'it did not wait for the slow validation');
    assert.equal(sent('/confirmation').length, 1);
  });

  it('lets ResponseType decide when validation answers too late: Cancelled refuses', async () => {
    await register('Cancelled');
    receiver.answer('/validation', { delayMs: 1_000 });
    const before = balance();
    await pay(254708374149, 'HDM7K2QX9');
    assert.equal(sent('/confirmation').length, 0);
    assert.equal(balance(), before);
    await register('Completed');
  });

  it('treats an error page from validation like no answer', async () => {
    await register('Cancelled');
    receiver.answer('/validation', { status: 500, body: { error: 'down' } });
    await pay(254708374149, 'HDM7K2QX9');
    assert.equal(sent('/confirmation').length, 0);
    await register('Completed');
  });

  it('loses (9001), duplicates (9002) and delays (9003) confirmations as told', async () => {
    await register('Completed');
    await pay(254700009001, 'LOST');
    assert.equal(sent('/confirmation').length, 0);
    const lost = (daraja.emulator.snapshot()['transactions'] as { billReference: string }[])
      .filter((transaction) => transaction.billReference === 'LOST');
    assert.equal(lost.length, 1, 'the money moved all the same');

    receiver.received.length = 0;
    await pay(254700009002, 'TWICE');
    const copies = sent('/confirmation');
    assert.equal(copies.length, 2);
    assert.deepEqual(copies[0], copies[1]);

    receiver.received.length = 0;
    const startedAt = Date.now();
    await pay(254700009003, 'LATE');
    assert.equal(sent('/confirmation').length, 1);
    assert.ok(Date.now() - startedAt >= 200, 'sent after the delay');
  });

  it('applies Safaricom\'s URL rules when asked to', async () => {
    const strict = await startTestEmulator({ callbackUrlRules: 'safaricom' });
    try {
      const basic = Buffer.from(`${testDarajaAccount.consumerKey}:` +
        `${testDarajaAccount.consumerSecret}`).toString('base64');
      const { access_token: strictToken } = await (await fetch(`${strict.baseUrl}/oauth/v1/` +
        'generate?grant_type=client_credentials', { headers: { authorization: `Basic ${basic}` } }))
        .json() as { access_token: string };
      const registerAt = async (confirmationUrl: string) => (await fetch(
        `${strict.baseUrl}/mpesa/c2b/v2/registerurl`, {
          method: 'POST',
          headers: { authorization: `Bearer ${strictToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ ShortCode: '222222', ResponseType: 'Completed',
            ConfirmationURL: confirmationUrl, ValidationURL: 'https://pay.huduma.go.ke/c2b/v/t0k' }),
        })).status;
      assert.equal(await registerAt('https://pay.huduma.go.ke/c2b/confirm/t0k'), 200);
      for (const refused of ['http://pay.huduma.go.ke/c2b/confirm', 'https://localhost/c',
        'https://127.0.0.1/c', 'https://pay.huduma.go.ke/mpesa/confirm',
        'https://pay.huduma.go.ke/M-Pesa/confirm', 'https://safaricom-hooks.example/c',
        'https://mockbin.org/bin/1', 'https://pay.huduma.go.ke/c?query=1']) {
        assert.equal(await registerAt(refused), 400, refused);
      }
    } finally {
      await strict.close();
    }
  });

  it('refuses a simulation with a bad amount or number', async () => {
    for (const [field, value] of [['Amount', 10.5], ['Amount', 0], ['Msisdn', 712345678]]) {
      const answer = await api('/mpesa/c2b/v1/simulate', {
        ShortCode: 222222, CommandID: 'CustomerPayBillOnline', Amount: 100,
        Msisdn: 254708374149, BillRefNumber: 'X', [String(field)]: value,
      });
      assert.equal(answer.status, 400);
      assert.equal(answer.body['errorMessage'], `Bad Request - Invalid ${String(field)}`);
    }
  });
});
