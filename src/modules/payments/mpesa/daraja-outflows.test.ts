/**
 * The client's money-out calls against the emulator over real HTTP: B2C and reversal
 * acknowledged with our OriginatorConversationID and their Results read by
 * parseInitiatorResult; the status of a B2C by that id; requests refused before sending
 * (cents, a phone that is not Safaricom's, no initiator); the "spent" words recognised.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '#platform/clock/index.ts';
import { money } from '#platform/money/index.ts';
import type { EmulatorServer } from '#modules/daraja-emulator/index.ts';
import {
  startCallbackReceiver,
  startTestEmulator,
  testDarajaAccount,
  type CallbackReceiver,
} from '#test/helpers/daraja.ts';
import { parseInitiatorResult } from './daraja-callbacks.ts';
import { createDarajaClient } from './daraja-client.ts';
import { isRecipientSpent } from './daraja-outflows.ts';
import type { DarajaClient } from './daraja-types.ts';

const kes = (shillings: bigint) => money(shillings * 100n, 'KES');

describe('Daraja client: B2C, reversal and their status', () => {
  let receiver: CallbackReceiver;
  let daraja: EmulatorServer;
  let client: DarajaClient;
  const urls = () => ({ resultUrl: `${receiver.url}/result`,
    queueTimeoutUrl: `${receiver.url}/timeout` });
  const resultFor = async (id: string) => {
    const callback = await receiver.waitFor((c) => c.path === '/result' &&
      JSON.stringify(c.body).includes(id));
    const parsed = parseInitiatorResult(callback.body);
    assert.ok(parsed.ok);
    return parsed.value;
  };

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

  it('pays by B2C, reverses a receipt, and finds a B2C by its conversation id', async () => {
    await daraja.emulator.simulateC2b({ amountShillings: 1_000n,
      msisdn: '254708374149', billReference: 'HDM7K2QX9' });
    const paid = await daraja.emulator.simulateC2b({ amountShillings: 500n,
      msisdn: '254708374149', billReference: 'HDM7K2QX9' });
    const sent = await client.b2cPayment({ ...urls(), originatorConversationId: 'client-b2c-1',
      amount: kes(100n), phoneNumber: '0708374149', remarks: 'Refund' });
    assert.ok(sent.ok);
    assert.equal(sent.value.originatorConversationId, 'client-b2c-1');
    const b2c = await resultFor('client-b2c-1');
    assert.equal(b2c.resultCode, '0');
    assert.equal(b2c.parameters['TransactionAmount'], '100');
    const reversed = await client.reversal({ ...urls(), originatorConversationId: 'client-rev-1',
      transactionId: paid.transactionId, amount: kes(500n), remarks: 'Refund' });
    assert.ok(reversed.ok);
    const reversal = await resultFor('client-rev-1');
    assert.equal(reversal.parameters['OriginalTransactionID'], paid.transactionId);
    const status = await client.outflowStatus({ ...urls(), originalConversationId: 'client-b2c-1',
      occasion: 'attempt-1' });
    assert.ok(status.ok);
    const answer = await resultFor(status.value.originatorConversationId);
    assert.equal(answer.receipt?.receiptNumber, b2c.transactionId);
  });

  it('refuses before sending what M-Pesa would refuse', async () => {
    const cents = await client.b2cPayment({ ...urls(), originatorConversationId: 'x',
      amount: money(10_050n, 'KES'), phoneNumber: '0708374149', remarks: 'Refund' });
    assert.equal(cents.ok ? '' : cents.error.kind, 'invalid-request');
    const phone = await client.b2cPayment({ ...urls(), originatorConversationId: 'x',
      amount: kes(1n), phoneNumber: '0208374149', remarks: 'Refund' });
    assert.equal(phone.ok ? '' : phone.error.kind, 'invalid-request');
    const noInitiator = createDarajaClient({ baseUrl: daraja.baseUrl, ...testDarajaAccount,
      initiator: '', timeoutMs: 2_000, clock: systemClock });
    const refused = await noInitiator.reversal({ ...urls(), originatorConversationId: 'x',
      transactionId: 'UAB1234567', amount: kes(1n), remarks: 'Refund' });
    assert.equal(refused.ok ? '' : refused.error.kind, 'invalid-request');
    const badUrl = await client.outflowStatus({ resultUrl: 'not a url',
      queueTimeoutUrl: 'x', originalConversationId: 'x', occasion: 'x' });
    assert.equal(badUrl.ok ? '' : badUrl.error.kind, 'invalid-request');
  });

  it('reads "the money has been spent" in a reversal\'s words', () => {
    assert.ok(isRecipientSpent('The reversal could not be completed: the recipient has ' +
      'insufficient funds, the money has been spent.'));
    assert.ok(!isRecipientSpent('The balance is insufficient for the transaction.'));
  });
});
