/**
 * What reconciliation reads: transaction status (result to ResultURL), pull transactions and
 * the statement export, plus the emulator's own state and reset endpoints.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  startCallbackReceiver,
  startTestEmulator,
  testDarajaAccount,
  type CallbackReceiver,
} from '#test/helpers/daraja.ts';
import { statementColumns } from './emulator-pull.ts';
import type { EmulatorServer } from './emulator-server.ts';

type Result = Readonly<{ Result: Readonly<Record<string, unknown>> }>;
type Parameter = Readonly<{ Key: string; Value?: unknown }>;

describe('emulator: transaction status, pull transactions and the statement', () => {
  let daraja: EmulatorServer;
  let receiver: CallbackReceiver;
  let token: string;
  const receipts: string[] = [];

  const api = async (path: string, body: unknown) => {
    const response = await fetch(`${daraja.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() as Record<string, unknown> };
  };
  const status = (transactionId: string,
    credential: string = testDarajaAccount.securityCredential) =>
    api('/mpesa/transactionstatus/v1/query', {
      Initiator: testDarajaAccount.initiator, SecurityCredential: credential,
      CommandID: 'TransactionStatusQuery', TransactionID: transactionId, PartyA: '222222',
      IdentifierType: '4', ResultURL: `${receiver.url}/result`,
      QueueTimeOutURL: `${receiver.url}/timeout`, Remarks: 'check', Occasion: 'reconcile',
    });

  before(async () => {
    receiver = await startCallbackReceiver();
    daraja = await startTestEmulator({ pullPageSize: 2 });
    const basic = Buffer.from(`${testDarajaAccount.consumerKey}:` +
      `${testDarajaAccount.consumerSecret}`).toString('base64');
    const response = await fetch(`${daraja.baseUrl}/oauth/v1/generate?grant_type=` +
      'client_credentials', { headers: { authorization: `Basic ${basic}` } });
    token = (await response.json() as { access_token: string }).access_token;
    // Three payments, no URLs registered: the money moves, nobody is told.
    for (const [amount, reference] of [[100n, 'HDM7K2QX9'], [250n, 'ref, with "quotes"'],
      [50n, 'HDM3P8RT4']] as const) {
      const outcome = await daraja.emulator.simulateC2b({
        amountShillings: amount, msisdn: '254708374149', billReference: reference,
      });
      receipts.push(outcome.transactionId);
    }
  });
  after(async () => {
    await daraja.close();
    await receiver.close();
  });

  it('acknowledges a status query, then posts the result with its parameters', async () => {
    const accepted = await status(receipts[0] ?? '');
    assert.equal(accepted.status, 200);
    assert.deepEqual(Object.keys(accepted.body),
      ['OriginatorConversationID', 'ConversationID', 'ResponseCode', 'ResponseDescription']);
    const callback = await receiver.waitFor((c) => c.path === '/result' &&
      (c.body as Result).Result['ConversationID'] === accepted.body['ConversationID']);
    const result = (callback.body as Result).Result;
    assert.equal(result['ResultType'], 0);
    assert.equal(result['ResultCode'], 0);
    assert.equal(result['OriginatorConversationID'], accepted.body['OriginatorConversationID']);
    assert.equal(result['TransactionID'], receipts[0]);
    const parameters = (result['ResultParameters'] as { ResultParameter: Parameter[] })
      .ResultParameter;
    const value = (key: string) => parameters.find((parameter) => parameter.Key === key)?.Value;
    assert.equal(value('ReceiptNo'), receipts[0]);
    assert.equal(value('Amount'), 100);
    assert.equal(value('TransactionStatus'), 'Completed');
    assert.match(String(value('DebitPartyName')), /^2547\*{6}149 - /);
    assert.equal(value('CreditPartyName'), '222222 - HUDUMA');
    assert.match(String(value('InitiatedTime')), /^\d{14}$/);
    assert.match(String(value('FinalisedTime')), /^\d{14}$/);
  });

  it('answers ResultCode 25 for an unknown receipt and 2001 for a wrong initiator', async () => {
    const unknown = await status('RKL00000000');
    const unknownResult = await receiver.waitFor((c) => c.path === '/result' &&
      (c.body as Result).Result['ConversationID'] === unknown.body['ConversationID']);
    assert.equal((unknownResult.body as Result).Result['ResultCode'], 25);
    assert.equal('ResultParameters' in (unknownResult.body as Result).Result, false);
    const wrong = await status(receipts[0] ?? '', 'not-our-credential');
    const wrongResult = await receiver.waitFor((c) => c.path === '/result' &&
      (c.body as Result).Result['ConversationID'] === wrong.body['ConversationID']);
    assert.equal((wrongResult.body as Result).Result['ResultCode'], 2001);
  });

  it('registers for pull transactions once (1000), then says already registered (1001)',
    async () => {
      const body = { ShortCode: '222222', RequestType: 'Pull', NominatedNumber: '254708374149',
        CallBackURL: `${receiver.url}/pull` };
      const first = await api('/pulltransactions/v1/register', body);
      assert.equal(first.body['Response Status'], '1000');
      const second = await api('/pulltransactions/v1/register', body);
      assert.equal(second.body['Response Status'], '1001');
      const shortcodeInstead = await api('/pulltransactions/v1/register',
        { ...body, NominatedNumber: '222222' });
      assert.equal(shortcodeInstead.status, 400);
    });

  it('pulls the payments of a window, a page at a time, by offset', async () => {
    const window = { ShortCode: '222222', StartDate: '2020-01-01 00:00:00',
      EndDate: '2099-01-01 00:00:00' };
    const first = await api('/pulltransactions/v1/query', { ...window, OffSetValue: 0 });
    assert.equal(first.body['ResponseCode'], '1000');
    const [firstPage] = first.body['Response'] as Record<string, unknown>[][];
    assert.deepEqual(firstPage?.map((record) => record['transactionId']), receipts.slice(0, 2));
    assert.deepEqual(Object.keys(firstPage?.[0] ?? {}), ['transactionId', 'trxDate', 'msisdn',
      'sender', 'transactiontype', 'billreference', 'amount', 'organizationname']);
    assert.equal(firstPage?.[0]?.['amount'], '100.00');
    assert.equal(firstPage?.[0]?.['msisdn'], 254708374149);
    assert.equal(firstPage?.[0]?.['transactiontype'], 'c2b-pay-bill-debit');
    const second = await api('/pulltransactions/v1/query', { ...window, OffSetValue: 2 });
    const [secondPage] = second.body['Response'] as Record<string, unknown>[][];
    assert.deepEqual(secondPage?.map((record) => record['transactionId']), receipts.slice(2));
    const stringOffset = await api('/pulltransactions/v1/query', { ...window, OffSetValue: '0' });
    assert.equal(stringOffset.status, 400, 'OffSetValue must be a number');
    const empty = await api('/pulltransactions/v1/query',
      { ...window, EndDate: '2020-01-02 00:00:00', OffSetValue: 0 });
    assert.deepEqual(empty.body['Response'], [[]]);
  });

  it('exports the statement as CSV with a running balance, quoting free text', async () => {
    const response = await fetch(`${daraja.baseUrl}/_statement.csv?ShortCode=222222`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = (await response.text()).trimEnd().split('\r\n');
    assert.equal(lines[0], statementColumns.join(','));
    assert.equal(lines.length, 4);
    assert.match(lines[1] ?? '', new RegExp(`^${receipts[0]},\\d{4}-\\d{2}-\\d{2} `));
    assert.match(lines[1] ?? '', /,100\.00,,100\.00,true,Pay Bill,2547\*{6}149 - [A-Z ]+,,HDM7K2QX9$/);
    assert.match(lines[2] ?? '', /,250\.00,,350\.00,true,/);
    assert.ok(lines[2]?.endsWith(',"ref, with ""quotes"""'), lines[2]);
    assert.match(lines[3] ?? '', /,50\.00,,400\.00,true,/);
    const none = await fetch(`${daraja.baseUrl}/_statement.csv?ShortCode=222222` +
      '&from=2020-01-01&to=2020-01-31');
    assert.equal((await none.text()).trimEnd().split('\r\n').length, 1);
  });

  it('shows its state without phone numbers or callback paths, and can be reset', async () => {
    const state = await (await fetch(`${daraja.baseUrl}/_state`)).json() as Record<string,
      unknown>;
    const text = JSON.stringify(state);
    assert.equal(text.includes('254708374149'), false);
    assert.equal(text.includes('/result'), false);
    assert.equal((state['transactions'] as unknown[]).length, 3);
    const reset = await fetch(`${daraja.baseUrl}/_reset`, { method: 'POST' });
    assert.equal(reset.status, 204);
    const after = await (await fetch(`${daraja.baseUrl}/_state`)).json() as Record<string,
      unknown>;
    assert.deepEqual(after['transactions'], []);
  });
});
