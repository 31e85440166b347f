/** The readers of what Safaricom posts, against the samples of daraja.md (sections 3, 5, 7). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { money } from '#platform/money/index.ts';
import {
  c2bValidationAccepted,
  c2bValidationRejected,
  callbackAcknowledgement,
  parseC2bPayment,
  parseInitiatorResult,
  parseStkCallback,
} from './daraja-callbacks.ts';
import { c2bRejectionCodes } from './daraja-result-codes.ts';

const kes = (amountMinor: bigint) => money(amountMinor, 'KES');

/** daraja.md 5, verbatim (JSON numbers as Safaricom writes them: 1.0). */
const stkSuccessText = `{"Body":{"stkCallback":{"MerchantRequestID":"29115-34620561-1",
  "CheckoutRequestID":"ws_CO_191220191020363925","ResultCode":0,
  "ResultDesc":"The service request is processed successfully.",
  "CallbackMetadata":{"Item":[{"Name":"Amount","Value":1.0},
  {"Name":"MpesaReceiptNumber","Value":"NLJ7RT61SV"},{"Name":"Balance"},
  {"Name":"TransactionDate","Value":20191219102115},
  {"Name":"PhoneNumber","Value":254708374149}]}}}}`;

const c2bConfirmation = {
  TransactionType: 'Pay Bill', TransID: 'RKL51ZDR4F', TransTime: '20231121121325',
  TransAmount: '5.00', BusinessShortCode: '222222', BillRefNumber: 'hdm7k2qx9 ',
  InvoiceNumber: '', OrgAccountBalance: '49197.00', ThirdPartyTransID: '',
  MSISDN: '2547 ***** 126', FirstName: 'John', MiddleName: '', LastName: 'Doe',
};

describe('reading Daraja callbacks', () => {
  it('reads the STK success callback of daraja.md', () => {
    const parsed = parseStkCallback(JSON.parse(stkSuccessText));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, {
      merchantRequestId: '29115-34620561-1',
      checkoutRequestId: 'ws_CO_191220191020363925',
      resultCode: 0,
      resultDescription: 'The service request is processed successfully.',
      outcome: 'succeeded',
      payment: {
        amount: kes(100n),
        mpesaReceiptNumber: 'NLJ7RT61SV',
        transactionTime: new Date('2019-12-19T07:21:15Z'),
        phoneNumber: '254708374149',
        balance: undefined,
      },
    });
  });

  it('reads failure callbacks (no metadata) and classifies them', () => {
    const failure = (code: number) => ({ Body: { stkCallback: {
      MerchantRequestID: 'm', CheckoutRequestID: 'ws_CO_1', ResultCode: code, ResultDesc: 'x',
    } } });
    const outcomes = [1032, 1, 2001, 1037, 4242].map((code) => {
      const parsed = parseStkCallback(failure(code));
      assert.ok(parsed.ok);
      assert.equal(parsed.value.payment, undefined);
      return parsed.value.outcome;
    });
    // 1037 and codes we do not know may still end in a debit: pending, never failed.
    assert.deepEqual(outcomes, ['failed', 'failed', 'failed', 'pending', 'pending']);
  });

  it('names the field at fault in a callback it cannot read', () => {
    const broken = (change: (item: { Name: string; Value?: unknown }[]) => void) => {
      const body = JSON.parse(stkSuccessText) as {
        Body: { stkCallback: { CallbackMetadata: { Item: { Name: string; Value?: unknown }[] } } };
      };
      change(body.Body.stkCallback.CallbackMetadata.Item);
      const parsed = parseStkCallback(body);
      return parsed.ok ? 'read' : parsed.error.field;
    };
    assert.equal(broken((items) => {
      items[0] = { Name: 'Amount', Value: 1.5 };
    }), 'Amount', 'the push was for whole shillings');
    assert.equal(broken((items) => {
      items[1] = { Name: 'MpesaReceiptNumber', Value: 'short' };
    }), 'MpesaReceiptNumber');
    assert.equal(broken((items) => {
      items[3] = { Name: 'TransactionDate', Value: 2019 };
    }), 'TransactionDate');
    assert.equal(broken((items) => {
      items.length = 0;
    }), 'Amount');
    const noMetadata = parseStkCallback({ Body: { stkCallback: {
      MerchantRequestID: 'm', CheckoutRequestID: 'c', ResultCode: 0, ResultDesc: 'ok' } } });
    assert.equal(noMetadata.ok ? 'read' : noMetadata.error.field, 'CallbackMetadata.Item');
    const notStk = parseStkCallback({ Body: {} });
    assert.equal(notStk.ok ? 'read' : notStk.error.field, 'Body.stkCallback');
  });

  it('reads the C2B confirmation of daraja.md, amounts and balance as Money', () => {
    const parsed = parseC2bPayment(c2bConfirmation);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, {
      transactionType: 'Pay Bill',
      transactionId: 'RKL51ZDR4F',
      transactionTime: new Date('2023-11-21T09:13:25Z'),
      amount: kes(500n),
      businessShortCode: '222222',
      billReference: 'hdm7k2qx9 ',
      invoiceNumber: '',
      orgAccountBalance: kes(4_919_700n),
      thirdPartyTransactionId: '',
      msisdn: '2547 ***** 126',
      msisdnForm: 'masked',
      firstName: 'John',
      middleName: '',
      lastName: 'Doe',
    });
  });

  it('reads the validation payload (blank balance) and both forms of MSISDN privacy', () => {
    const hashed = 'a'.repeat(64);
    const parsed = parseC2bPayment({ ...c2bConfirmation, OrgAccountBalance: '', MSISDN: hashed });
    assert.ok(parsed.ok);
    assert.equal(parsed.value.orgAccountBalance, undefined);
    assert.equal(parsed.value.msisdnForm, 'hashed');
    const plain = parseC2bPayment({ ...c2bConfirmation, MSISDN: 254708374149,
      BusinessShortCode: 222222 });
    assert.ok(plain.ok);
    assert.equal(plain.value.msisdnForm, 'plain');
    assert.equal(plain.value.businessShortCode, '222222');
  });

  it('refuses a C2B payload whose money or time cannot be read exactly', () => {
    const fieldOf = (change: Record<string, unknown>) => {
      const parsed = parseC2bPayment({ ...c2bConfirmation, ...change });
      return parsed.ok ? 'read' : parsed.error.field;
    };
    assert.equal(fieldOf({ TransAmount: '5.005' }), 'TransAmount');
    assert.equal(fieldOf({ TransAmount: '0.00' }), 'TransAmount');
    assert.equal(fieldOf({ TransAmount: 'five' }), 'TransAmount');
    assert.equal(fieldOf({ TransTime: '2023-11-21 12:13:25' }), 'TransTime');
    assert.equal(fieldOf({ TransID: '' }), 'TransID');
    assert.equal(fieldOf({ OrgAccountBalance: 'lots' }), 'read',
      'an unreadable paybill balance never stops crediting');
    assert.equal(fieldOf({ BusinessShortCode: 'PAYBILL' }), 'BusinessShortCode');
    assert.equal(fieldOf({ TransAmount: 5 }), 'read', 'a JSON number is read exactly too');
    assert.equal(parseC2bPayment('text').ok, false);
  });

  it('leaves out a paybill balance it cannot read', () => {
    const parsed = parseC2bPayment({ ...c2bConfirmation, OrgAccountBalance: '12,000.5x' });
    assert.ok(parsed.ok);
    assert.equal(parsed.value.orgAccountBalance, undefined);
  });

  it('reads a transaction status result, with one parameter or many', () => {
    const parsed = parseInitiatorResult({ Result: {
      ResultType: 0, ResultCode: 0, ResultDesc: 'The service request is processed successfully.',
      OriginatorConversationID: '16740-34861180-1',
      ConversationID: 'AG_20191219_00005797af5d7d75f652', TransactionID: 'NLJ7RT61SV',
      ResultParameters: { ResultParameter: [
        { Key: 'ReceiptNo', Value: 'NLJ7RT61SV' },
        { Key: 'Amount', Value: 150 },
        { Key: 'TransactionStatus', Value: 'Completed' },
        { Key: 'DebitPartyName', Value: '2547******149 - John Doe' },
        { Key: 'CreditPartyName', Value: '222222 - HUDUMA' },
        { Key: 'InitiatedTime', Value: 20191219102115 },
        { Key: 'FinalisedTime', Value: 20191219102116 },
        { Key: 'DebitPartyCharges' },
      ] },
    } });
    assert.ok(parsed.ok);
    assert.equal(parsed.value.resultCode, '0');
    assert.equal(parsed.value.parameters['DebitPartyCharges'], '');
    assert.deepEqual(parsed.value.receipt, {
      receiptNumber: 'NLJ7RT61SV', amount: kes(15_000n), transactionStatus: 'Completed',
      debitPartyName: '2547******149 - John Doe', creditPartyName: '222222 - HUDUMA',
      initiatedTime: new Date('2019-12-19T07:21:15Z'),
      finalisedTime: new Date('2019-12-19T07:21:16Z'),
    });
    const single = parseInitiatorResult({ Result: { ResultType: 0, ResultCode: 25,
      ResultDesc: 'bad', ConversationID: 'AG_1', ResultParameters: {
        ResultParameter: { Key: 'Note', Value: 'one' } } } });
    assert.ok(single.ok);
    assert.equal(single.value.resultCode, '25');
    assert.deepEqual(single.value.parameters, { Note: 'one' });
    assert.equal(single.value.receipt, undefined);
    assert.equal(parseInitiatorResult({}).ok, false);
  });

  it('answers validation and confirmation as daraja.md section 4 says', () => {
    assert.deepEqual(c2bValidationAccepted(), { ResultCode: '0', ResultDesc: 'Accepted' });
    assert.deepEqual(c2bValidationAccepted('HUDUMA-1'),
      { ResultCode: '0', ResultDesc: 'Accepted', ThirdPartyTransID: 'HUDUMA-1' });
    assert.deepEqual(c2bValidationRejected(c2bRejectionCodes.invalidAccountNumber),
      { ResultCode: 'C2B00012', ResultDesc: 'Rejected' });
    assert.deepEqual(callbackAcknowledgement, { ResultCode: 0, ResultDesc: 'Success' });
  });
});
