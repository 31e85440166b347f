/**
 * The client against the emulator over real HTTP, end to end: STK push for every failure
 * class with its callback read by parseStkCallback, STK query states, C2B registration and
 * payments read by parseC2bPayment, transaction status and pull transactions.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { manualClock, systemClock } from '#platform/clock/index.ts';
import { money } from '#platform/money/index.ts';
import {
  manualScheduler,
  type EmulatorServer,
} from '#modules/daraja-emulator/index.ts';
import {
  startCallbackReceiver,
  startTestEmulator,
  testDarajaAccount,
  type CallbackReceiver,
} from '#test/helpers/daraja.ts';
import {
  c2bValidationAccepted,
  c2bValidationRejected,
  parseC2bPayment,
  parseInitiatorResult,
  parseStkCallback,
} from './daraja-callbacks.ts';
import { createDarajaClient } from './daraja-client.ts';
import type { DarajaClient, StkPushRequest } from './daraja-types.ts';

const kes = (amountMinor: bigint) => money(amountMinor, 'KES');

describe('Daraja client against the emulator', () => {
  let receiver: CallbackReceiver;
  let daraja: EmulatorServer;
  let client: DarajaClient;
  const push = (phoneNumber: string): StkPushRequest => ({
    amount: kes(15_000n), phoneNumber, accountReference: 'HDM7K2QX9',
    transactionDescription: 'Passport', callbackUrl: `${receiver.url}/stk`,
  });
  const stkCallbacks = (checkoutRequestId: string) => receiver.received
    .filter((callback) => callback.path === '/stk')
    .map((callback) => parseStkCallback(callback.body))
    .filter((parsed) => parsed.ok && parsed.value.checkoutRequestId === checkoutRequestId);

  before(async () => {
    receiver = await startCallbackReceiver();
    daraja = await startTestEmulator();
    client = createDarajaClient({ baseUrl: daraja.baseUrl, ...testDarajaAccount,
      timeoutMs: 2_000, clock: systemClock });
  });
  after(async () => {
    await daraja.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
  });

  const classes = [
    ['0708374149', 'succeeded', 0, 1],
    ['0700001032', 'failed', 1032, 1],
    ['0700000001', 'failed', 1, 1],
    ['0700002001', 'failed', 2001, 1],
    ['0700009001', 'succeeded', 0, 0],
    ['0700009002', 'succeeded', 0, 2],
    ['0700009003', 'succeeded', 0, 1],
    ['0700001037', 'pending', 1037, 0],
  ] as const;
  for (const [phone, outcome, resultCode, callbackCount] of classes) {
    it(`pushes to a phone ending ${phone.slice(-4)}: ${outcome}, ${callbackCount} callback(s)`,
      async () => {
        const pushed = await client.stkPush(push(phone));
        assert.ok(pushed.ok, JSON.stringify(pushed));
        await daraja.emulator.idle();
        const callbacks = stkCallbacks(pushed.value.checkoutRequestId);
        assert.equal(callbacks.length, callbackCount);
        for (const callback of callbacks) {
          assert.ok(callback.ok);
          assert.equal(callback.value.resultCode, resultCode);
          assert.equal(callback.value.outcome, outcome);
          assert.equal(callback.value.payment !== undefined, resultCode === 0);
          if (callback.value.payment !== undefined) {
            assert.deepEqual(callback.value.payment.amount, kes(15_000n));
            assert.match(callback.value.payment.mpesaReceiptNumber, /^[A-Z0-9]{10}$/);
          }
        }
        const queried = await client.stkQuery(pushed.value.checkoutRequestId);
        assert.ok(queried.ok, JSON.stringify(queried));
        assert.equal(queried.value.outcome, outcome);
        assert.equal(queried.value.resultCode, resultCode);
      });
  }

  it('registers C2B URLs and reads the validation and confirmation it causes', async () => {
    const registered = await client.registerC2bUrls({ responseType: 'Completed',
      confirmationUrl: `${receiver.url}/confirm`, validationUrl: `${receiver.url}/validate` });
    assert.ok(registered.ok, JSON.stringify(registered));
    assert.match(registered.value.conversationId, /^\d+-\d+-1$/);
    receiver.answer('/validate', { body: c2bValidationAccepted('HUDUMA-7') });
    const simulated = await client.simulateC2b({ amount: kes(2_500n), msisdn: '0712345126',
      billReference: 'HDM7K2QX9' });
    assert.ok(simulated.ok, JSON.stringify(simulated));
    const confirmation = await receiver.waitFor((callback) => callback.path === '/confirm');
    const validation = receiver.received.find((callback) => callback.path === '/validate');
    const validated = parseC2bPayment(validation?.body);
    const confirmed = parseC2bPayment(confirmation.body);
    assert.ok(validated.ok && confirmed.ok);
    assert.equal(validated.value.orgAccountBalance, undefined);
    assert.equal(confirmed.value.transactionId, validated.value.transactionId);
    assert.deepEqual(confirmed.value.amount, kes(2_500n));
    assert.equal(confirmed.value.billReference, 'HDM7K2QX9');
    assert.equal(confirmed.value.thirdPartyTransactionId, 'HUDUMA-7');
    assert.equal(confirmed.value.msisdnForm, 'masked');
    assert.ok(confirmed.value.orgAccountBalance !== undefined &&
      confirmed.value.orgAccountBalance.amountMinor >= 2_500n);
  });

  it('stops a C2B payment our validation rejects: no confirmation, nothing booked', async () => {
    await client.registerC2bUrls({ responseType: 'Completed',
      confirmationUrl: `${receiver.url}/confirm`, validationUrl: `${receiver.url}/validate` });
    receiver.answer('/validate', { body: c2bValidationRejected('C2B00012') });
    const booked = (daraja.emulator.snapshot()['transactions'] as unknown[]).length;
    assert.ok((await client.simulateC2b({ amount: kes(2_500n), msisdn: '0712345126',
      billReference: 'NO-SUCH-BILL' })).ok);
    await receiver.waitFor((callback) => callback.path === '/validate');
    await daraja.emulator.idle();
    assert.equal(receiver.received.some((callback) => callback.path === '/confirm'), false);
    assert.equal((daraja.emulator.snapshot()['transactions'] as unknown[]).length, booked);
    receiver.answer('/validate', {});
  });

  it('asks the status of a receipt and reads the result posted to ResultURL', async () => {
    const pushed = await client.stkPush(push('0708374149'));
    assert.ok(pushed.ok);
    await daraja.emulator.idle();
    const receipt = stkCallbacks(pushed.value.checkoutRequestId)[0];
    assert.ok(receipt?.ok && receipt.value.payment !== undefined);
    const asked = await client.transactionStatus({
      transactionId: receipt.value.payment.mpesaReceiptNumber,
      resultUrl: `${receiver.url}/result`, queueTimeoutUrl: `${receiver.url}/timeout`,
    });
    assert.ok(asked.ok, JSON.stringify(asked));
    const posted = await receiver.waitFor((callback) => callback.path === '/result');
    const result = parseInitiatorResult(posted.body);
    assert.ok(result.ok);
    assert.equal(result.value.conversationId, asked.value.conversationId);
    assert.equal(result.value.resultCode, '0');
    assert.equal(result.value.receipt?.receiptNumber, receipt.value.payment.mpesaReceiptNumber);
    assert.deepEqual(result.value.receipt?.amount, kes(15_000n));
  });

  it('pulls transactions a page at a time, amounts as Money', async () => {
    const registered = await client.registerPullCallback({ nominatedNumber: '0708374149',
      callbackUrl: `${receiver.url}/pull` });
    assert.deepEqual(registered, { ok: true, value: { alreadyRegistered: false } });
    const again = await client.registerPullCallback({ nominatedNumber: '0708374149',
      callbackUrl: `${receiver.url}/pull` });
    assert.deepEqual(again, { ok: true, value: { alreadyRegistered: true } });
    const window = { startDate: new Date(Date.now() - 3_600_000),
      endDate: new Date(Date.now() + 60_000) };
    const pulled = await client.pullTransactions({ ...window, offset: 0 });
    assert.ok(pulled.ok, pulled.ok ? '' : JSON.stringify(pulled.error));
    const statement = daraja.emulator.statementCsv('222222').trimEnd().split('\r\n').slice(1)
      .map((line) => line.split(',')[0]);
    assert.deepEqual(pulled.value.map((transaction) => transaction.transactionId), statement);
    assert.ok(pulled.value.every((transaction) => transaction.amount.currency === 'KES'));
    const rest = await client.pullTransactions({ ...window, offset: pulled.value.length });
    assert.deepEqual(rest, { ok: true, value: [] });
  });
});

describe('Daraja client: STK query while the payer decides', () => {
  const clock = manualClock(new Date('2026-11-28T07:00:00Z'));
  const scheduler = manualScheduler(clock);
  let daraja: EmulatorServer;

  before(async () => {
    daraja = await startTestEmulator({ clock, scheduler,
      timing: { stkCompletionDelayMs: 3_000, stkTimeoutMs: 60_000 } });
  });
  after(async () => {
    await daraja.close();
  });

  for (const zone of ['kenya', 'utc'] as const) {
    it(`says pending, then the result (Timestamp in ${zone} time)`, async () => {
      const client = createDarajaClient({ baseUrl: daraja.baseUrl, ...testDarajaAccount,
        timeoutMs: 2_000, clock, timestampZone: zone });
      const pushed = await client.stkPush({ amount: kes(100n), phoneNumber: '0700001037',
        accountReference: 'HDM7K2QX9', transactionDescription: 'Fee',
        callbackUrl: 'http://127.0.0.1:9/stk' });
      assert.ok(pushed.ok, JSON.stringify(pushed));
      const waiting = await client.stkQuery(pushed.value.checkoutRequestId);
      assert.deepEqual(waiting, { ok: true, value: { outcome: 'pending', resultCode: undefined,
        resultDescription: 'The transaction is being processed',
        checkoutRequestId: pushed.value.checkoutRequestId, merchantRequestId: undefined } });
      await scheduler.advanceMs(60_000);
      const timedOut = await client.stkQuery(pushed.value.checkoutRequestId);
      assert.ok(timedOut.ok);
      assert.equal(timedOut.value.resultCode, 1037);
      assert.equal(timedOut.value.outcome, 'pending', '1037 is not a failure');
    });
  }

  it('reports a CheckoutRequestID Daraja does not know as Daraja\'s error', async () => {
    const client = createDarajaClient({ baseUrl: daraja.baseUrl, ...testDarajaAccount,
      timeoutMs: 2_000, clock });
    const unknown = await client.stkQuery('ws_CO_000000000000000000');
    assert.equal(!unknown.ok && unknown.error.kind, 'daraja');
    assert.equal(!unknown.ok && unknown.error.kind === 'daraja' && unknown.error.errorCode,
      '400.002.02');
  });
});
