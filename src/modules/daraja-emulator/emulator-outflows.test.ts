/**
 * Money out of the paybill: B2C, reversal and the sweep, each a WITHDRAWN statement line with
 * its running balance and Reason Type; failure injection; no doubled payment.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  startCallbackReceiver,
  startTestEmulator,
  testDarajaAccount,
  type CallbackReceiver,
} from '#test/helpers/daraja.ts';
import type { EmulatorServer } from './emulator-server.ts';

type Result = Readonly<{ Result: Readonly<Record<string, unknown>> }>;
type Parameter = Readonly<{ Key: string; Value?: unknown }>;

const envelope = (url: string) => ({
  Initiator: testDarajaAccount.initiator,
  SecurityCredential: testDarajaAccount.securityCredential,
  ResultURL: `${url}/result`, QueueTimeOutURL: `${url}/timeout`,
  Remarks: 'Refund', Occasion: 'refund',
});

function parameter(result: Readonly<Record<string, unknown>>, key: string): unknown {
  const list = (result['ResultParameters'] as { ResultParameter: Parameter[] } | undefined)
    ?.ResultParameter ?? [];
  return list.find((item) => item.Key === key)?.Value;
}

function statementRows(csv: string): string[][] {
  return csv.trim().split('\r\n').slice(1).map((line) => line.split(','));
}

describe('emulator: B2C, reversal and the sweep', () => {
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
  const resultOf = async (originatorConversationId: unknown, path = '/result') =>
    (await receiver.waitFor((c) => c.path === path &&
      (c.body as Result).Result['OriginatorConversationID'] === originatorConversationId))
      .body as Result;
  const pay = (amount: bigint, msisdn: string) => daraja.emulator.simulateC2b({
    amountShillings: amount, msisdn, billReference: 'HDM7K2QX9' });
  const b2c = (id: string, amount: number, msisdn: string) =>
    api('/mpesa/b2c/v3/paymentrequest', { ...envelope(receiver.url),
      OriginatorConversationID: id, CommandID: 'BusinessPayment', Amount: amount,
      PartyA: '222222', PartyB: msisdn });
  const reverse = (receipt: string, amount: number) =>
    api('/mpesa/reversal/v1/request', { ...envelope(receiver.url),
      CommandID: 'TransactionReversal', TransactionID: receipt, Amount: amount,
      ReceiverParty: '222222', RecieverIdentifierType: '11' });

  before(async () => {
    receiver = await startCallbackReceiver();
    daraja = await startTestEmulator({ b2cChargeShillings: 2n });
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

  it('pays a B2C once for a repeated request, with a charge line, on the statement', async () => {
    await pay(500n, '254708374149');
    const first = await b2c('refund-1-attempt-1', 100, '254708374149');
    const again = await b2c('refund-1-attempt-1', 100, '254708374149');
    assert.equal(first.body['ResponseCode'], '0');
    assert.equal(again.body['ConversationID'], first.body['ConversationID']);
    const result = (await resultOf('refund-1-attempt-1')).Result;
    assert.equal(result['ResultCode'], 0);
    const receipt = String(result['TransactionID']);
    assert.equal(parameter(result, 'TransactionReceipt'), receipt);
    assert.equal(parameter(result, 'TransactionAmount'), 100);
    assert.equal(parameter(result, 'B2CUtilityAccountAvailableFunds'), 398);
    await daraja.emulator.idle();
    const rows = statementRows(daraja.emulator.statementCsv('222222'));
    const paid = rows.find((row) => row[0] === receipt);
    assert.deepEqual([paid?.[5], paid?.[6], paid?.[7], paid?.[9]],
      ['', '100.00', '400.00', 'Business Payment to Customer via API']);
    const charge = rows.find((row) => row[9] === 'Business Payment Charge');
    assert.deepEqual([charge?.[6], charge?.[7], charge?.[11]], ['2.00', '398.00', receipt]);
    assert.equal(rows.filter((row) => row[9] === 'Business Payment to Customer via API').length,
      1);
  });

  it('fails a B2C the paybill cannot cover, moving nothing', async () => {
    const asked = await b2c('refund-2-attempt-1', 100_000, '254708374149');
    assert.equal(asked.body['ResponseCode'], '0');
    const result = (await resultOf('refund-2-attempt-1')).Result;
    assert.equal(result['ResultCode'], 1);
    assert.match(String(result['ResultDesc']), /insufficient/);
  });

  it('reverses a receipt once; a second reversal is refused', async () => {
    const payment = await pay(50n, '254711000123');
    const first = await reverse(payment.transactionId, 50);
    const result = (await resultOf(first.body['OriginatorConversationID'])).Result;
    assert.equal(result['ResultCode'], 0);
    assert.equal(parameter(result, 'OriginalTransactionID'), payment.transactionId);
    const second = await reverse(payment.transactionId, 50);
    const refused = (await resultOf(second.body['OriginatorConversationID'])).Result;
    assert.equal(refused['ResultCode'], 'R000001');
    const rows = statementRows(daraja.emulator.statementCsv('222222'));
    const line = rows.find((row) => row[0] === result['TransactionID']);
    assert.deepEqual([line?.[5], line?.[6], line?.[9], line?.[11]],
      ['', '50.00', 'Reversal', payment.transactionId]);
  });

  it('refuses to reverse money the payer has spent, in words only', async () => {
    const payment = await pay(70n, '254711009004');
    const asked = await reverse(payment.transactionId, 70);
    const result = (await resultOf(asked.body['OriginatorConversationID'])).Result;
    assert.notEqual(result['ResultCode'], 0);
    assert.match(String(result['ResultDesc']), /spent/);
  });

  it('times out after moving the money; a status query by conversation id finds it',
    async () => {
      const asked = await b2c('refund-3-attempt-1', 10, '254711009006');
      assert.equal(asked.body['ResponseCode'], '0');
      const timeout = (await resultOf('refund-3-attempt-1', '/timeout')).Result;
      assert.equal(timeout['ResultType'], 1);
      const status = await api('/mpesa/transactionstatus/v1/query', { ...envelope(receiver.url),
        CommandID: 'TransactionStatusQuery', OriginalConversationID: 'refund-3-attempt-1',
        PartyA: '222222', IdentifierType: '4' });
      const answer = (await resultOf(status.body['OriginatorConversationID'])).Result;
      assert.equal(answer['ResultCode'], 0);
      assert.equal(parameter(answer, 'ReasonType'), 'Business Payment to Customer via API');
      assert.equal(parameter(answer, 'OriginatorConversationID'), 'refund-3-attempt-1');
    });

  it('times out without moving the money; the status query says no such receipt', async () => {
    await b2c('refund-4-attempt-1', 10, '254711009005');
    await resultOf('refund-4-attempt-1', '/timeout');
    const status = await api('/mpesa/transactionstatus/v1/query', { ...envelope(receiver.url),
      CommandID: 'TransactionStatusQuery', OriginalConversationID: 'refund-4-attempt-1',
      PartyA: '222222', IdentifierType: '4' });
    const answer = (await resultOf(status.body['OriginatorConversationID'])).Result;
    assert.equal(answer['ResultCode'], 25);
  });

  it('sweeps to the bank as a withdrawal; refuses more than the balance', async () => {
    const before = statementRows(daraja.emulator.statementCsv('222222')).at(-1)?.[7];
    const swept = await fetch(`${daraja.baseUrl}/_sweep`, { method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ShortCode: '222222', Amount: 10 }) });
    assert.equal(swept.status, 200);
    const line = statementRows(daraja.emulator.statementCsv('222222')).at(-1);
    assert.equal(line?.[9], 'Organization Withdrawal to Bank');
    assert.equal(line?.[6], '10.00');
    assert.equal(Number(line?.[7]), Number(before) - 10);
    const refused = await fetch(`${daraja.baseUrl}/_sweep`, { method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ShortCode: '222222', Amount: 10_000_000 }) });
    assert.equal(refused.status, 400);
  });
});
