/**
 * What Safaricom posts to us, read into typed values (pure functions, no I/O): the C2B
 * validation and confirmation payload, the STK callback, and an initiator API's result. Each
 * returns a Result whose failure names the field at fault; store the raw body first anyway.
 * Also the answers we owe: accept or reject a validation, acknowledge everything else.
 */
import { err, ok, type Result } from '#platform/errors/index.ts';
import type { Money } from '#platform/money/index.ts';
import {
  decimalShillings,
  parseDarajaTimestamp,
  wholeShillings,
} from './daraja-formats.ts';
import { textOf } from './daraja-http.ts';
import {
  classifyStkResult,
  type C2bRejectionCode,
  type StkOutcome,
} from './daraja-result-codes.ts';

export type CallbackProblem = Readonly<{ field: string; message: string }>;
export type ParsedCallback<T> = Result<T, CallbackProblem>;

type Fields = Readonly<Record<string, unknown>>;

const problem = <T>(field: string, message: string): ParsedCallback<T> =>
  err({ field, message });

function asFields(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? value as Fields : undefined;
}

/** How Safaricom wrote the payer's number: v2 masks it, v1 hashes it, some send it plain. */
export type MsisdnForm = 'plain' | 'masked' | 'hashed';

export function msisdnForm(msisdn: string): MsisdnForm {
  if (/^[0-9a-f]{64}$/i.test(msisdn)) return 'hashed';
  return /^254\d{9}$/.test(msisdn) ? 'plain' : 'masked';
}

/** A receipt number (TransID, MpesaReceiptNumber): ten characters today; a little slack. */
const receiptPattern = /^[A-Z0-9]{8,20}$/;

export type C2bPayment = Readonly<{
  transactionType: string;
  transactionId: string;
  transactionTime: Date;
  amount: Money;
  businessShortCode: string;
  /** What the payer typed as account number: free text, maybe wrong (our bill reference). */
  billReference: string;
  invoiceNumber: string;
  /**
   * The paybill's balance after the payment; only on confirmation (blank on validation), and
   * undefined when it cannot be read.
   */
  orgAccountBalance: Money | undefined;
  /** Echoed from our validation answer. */
  thirdPartyTransactionId: string;
  /** As sent (masked, hashed or plain). Personal data: never a key, never logged. */
  msisdn: string;
  msisdnForm: MsisdnForm;
  firstName: string;
  middleName: string;
  lastName: string;
}>;

/** The C2B validation and confirmation payload (daraja.md 3; the same shape for both). */
export function parseC2bPayment(body: unknown): ParsedCallback<C2bPayment> {
  const fields = asFields(body);
  if (fields === undefined) return problem('body', 'not a JSON object');
  const transactionId = textOf(fields, 'TransID');
  if (transactionId === undefined || !receiptPattern.test(transactionId)) {
    return problem('TransID', 'not a receipt number');
  }
  const transactionTime = parseDarajaTimestamp(fields['TransTime']);
  if (transactionTime === undefined) return problem('TransTime', 'not YYYYMMDDHHmmss');
  const amount = decimalShillings(fields['TransAmount']);
  if (amount === undefined || amount.amountMinor <= 0n) {
    return problem('TransAmount', 'not a positive amount with at most two decimals');
  }
  const businessShortCode = textOf(fields, 'BusinessShortCode');
  if (businessShortCode === undefined || !/^\d{5,7}$/.test(businessShortCode)) {
    return problem('BusinessShortCode', 'not a shortcode');
  }
  // The paybill's balance is for reconciliation only: one we cannot read is left out, and
  // never stops the payment from being credited.
  const balanceText = textOf(fields, 'OrgAccountBalance') ?? '';
  const orgAccountBalance = balanceText.trim() === '' ? undefined : decimalShillings(balanceText);
  const msisdn = textOf(fields, 'MSISDN') ?? '';
  return ok({
    transactionType: textOf(fields, 'TransactionType') ?? '',
    transactionId,
    transactionTime,
    amount,
    businessShortCode,
    billReference: textOf(fields, 'BillRefNumber') ?? '',
    invoiceNumber: textOf(fields, 'InvoiceNumber') ?? '',
    orgAccountBalance,
    thirdPartyTransactionId: textOf(fields, 'ThirdPartyTransID') ?? '',
    msisdn,
    msisdnForm: msisdnForm(msisdn),
    firstName: textOf(fields, 'FirstName') ?? '',
    middleName: textOf(fields, 'MiddleName') ?? '',
    lastName: textOf(fields, 'LastName') ?? '',
  });
}

export type StkPayment = Readonly<{
  amount: Money;
  mpesaReceiptNumber: string;
  transactionTime: Date;
  /** Personal data: never logged. */
  phoneNumber: string | undefined;
  balance: Money | undefined;
}>;

export type StkCallback = Readonly<{
  merchantRequestId: string;
  checkoutRequestId: string;
  resultCode: number;
  resultDescription: string;
  outcome: StkOutcome;
  /** The payment, present exactly when resultCode is 0. */
  payment: StkPayment | undefined;
}>;

/** {"Body":{"stkCallback":{...}}} (daraja.md 5); CallbackMetadata only on success. */
export function parseStkCallback(body: unknown): ParsedCallback<StkCallback> {
  const callback = asFields(asFields(asFields(body)?.['Body'])?.['stkCallback']);
  if (callback === undefined) return problem('Body.stkCallback', 'missing');
  const merchantRequestId = textOf(callback, 'MerchantRequestID');
  const checkoutRequestId = textOf(callback, 'CheckoutRequestID');
  if (merchantRequestId === undefined || checkoutRequestId === undefined) {
    return problem('CheckoutRequestID', 'missing MerchantRequestID or CheckoutRequestID');
  }
  const codeText = textOf(callback, 'ResultCode');
  if (codeText === undefined || !/^\d{1,9}$/.test(codeText)) {
    return problem('ResultCode', 'not a result code');
  }
  // A result code, not money.
  const resultCode = Number.parseInt(codeText, 10);
  const base = {
    merchantRequestId, checkoutRequestId, resultCode,
    resultDescription: textOf(callback, 'ResultDesc') ?? '',
    outcome: classifyStkResult(resultCode),
  };
  if (resultCode !== 0) return ok({ ...base, payment: undefined });
  const payment = readStkPayment(asFields(callback['CallbackMetadata'])?.['Item']);
  return payment.ok ? ok({ ...base, payment: payment.value }) : payment;
}

function readStkPayment(items: unknown): ParsedCallback<StkPayment> {
  if (!Array.isArray(items)) return problem('CallbackMetadata.Item', 'missing on success');
  const values = new Map<string, unknown>();
  for (const item of items) {
    const fields = asFields(item);
    const name = fields?.['Name'];
    if (typeof name === 'string') values.set(name, fields?.['Value']);
  }
  // Whole shillings: the push asked for an integer Amount.
  const amount = wholeShillings(values.get('Amount'));
  if (amount === undefined || amount.amountMinor <= 0n) {
    return problem('Amount', 'not a positive whole number of shillings');
  }
  const receipt = values.get('MpesaReceiptNumber');
  if (typeof receipt !== 'string' || !receiptPattern.test(receipt)) {
    return problem('MpesaReceiptNumber', 'not a receipt number');
  }
  const transactionTime = parseDarajaTimestamp(values.get('TransactionDate'));
  if (transactionTime === undefined) return problem('TransactionDate', 'not YYYYMMDDHHmmss');
  const phone = values.get('PhoneNumber');
  const balance = values.get('Balance');
  return ok({
    amount,
    mpesaReceiptNumber: receipt,
    transactionTime,
    phoneNumber: typeof phone === 'number' || typeof phone === 'string' ? String(phone) : undefined,
    balance: balance === undefined ? undefined : decimalShillings(balance),
  });
}

export type StatusReceipt = Readonly<{
  receiptNumber: string;
  amount: Money;
  transactionStatus: string;
  debitPartyName: string;
  creditPartyName: string;
  initiatedTime: Date | undefined;
  finalisedTime: Date | undefined;
}>;

export type InitiatorResult = Readonly<{
  resultType: string;
  /** "0" is success; "25" bad parameters; "2001" initiator invalid; others pass through. */
  resultCode: string;
  resultDescription: string;
  originatorConversationId: string;
  conversationId: string;
  transactionId: string;
  /** Every ResultParameter, as text. */
  parameters: Readonly<Record<string, string>>;
  /** For a successful transaction status query: what M-Pesa holds for the receipt. */
  receipt: StatusReceipt | undefined;
}>;

/** {"Result":{...}} posted to ResultURL by transaction status (daraja.md 7). */
export function parseInitiatorResult(body: unknown): ParsedCallback<InitiatorResult> {
  const result = asFields(asFields(body)?.['Result']);
  if (result === undefined) return problem('Result', 'missing');
  const resultCode = textOf(result, 'ResultCode');
  const conversationId = textOf(result, 'ConversationID');
  if (resultCode === undefined || conversationId === undefined) {
    return problem('ResultCode', 'missing ResultCode or ConversationID');
  }
  // One parameter arrives as an object, several as an array.
  const listed = asFields(result['ResultParameters'])?.['ResultParameter'];
  const parameters: Record<string, string> = {};
  for (const item of Array.isArray(listed) ? listed : [listed]) {
    const fields = asFields(item);
    const key = fields?.['Key'];
    if (fields !== undefined && typeof key === 'string') {
      parameters[key] = textOf(fields, 'Value') ?? '';
    }
  }
  return ok({
    resultType: textOf(result, 'ResultType') ?? '',
    resultCode,
    resultDescription: textOf(result, 'ResultDesc') ?? '',
    originatorConversationId: textOf(result, 'OriginatorConversationID') ?? '',
    conversationId,
    transactionId: textOf(result, 'TransactionID') ?? '',
    parameters,
    receipt: resultCode === '0' ? readStatusReceipt(parameters) : undefined,
  });
}

function readStatusReceipt(parameters: Readonly<Record<string, string>>):
  StatusReceipt | undefined {
  const receiptNumber = parameters['ReceiptNo'];
  const amount = decimalShillings(parameters['Amount']);
  if (receiptNumber === undefined || amount === undefined) return undefined;
  return {
    receiptNumber,
    amount,
    transactionStatus: parameters['TransactionStatus'] ?? '',
    debitPartyName: parameters['DebitPartyName'] ?? '',
    creditPartyName: parameters['CreditPartyName'] ?? '',
    initiatedTime: parseDarajaTimestamp(parameters['InitiatedTime']),
    finalisedTime: parseDarajaTimestamp(parameters['FinalisedTime']),
  };
}

/** Our answer to a validation: accept, optionally with our own id for the payment. */
export function c2bValidationAccepted(thirdPartyTransactionId?: string):
  Readonly<Record<string, string>> {
  return {
    ResultCode: '0',
    ResultDesc: 'Accepted',
    ...(thirdPartyTransactionId === undefined
      ? {} : { ThirdPartyTransID: thirdPartyTransactionId }),
  };
}

/** Our answer to a validation: refuse, before the money moves. */
export function c2bValidationRejected(code: C2bRejectionCode): Readonly<Record<string, string>> {
  return { ResultCode: code, ResultDesc: 'Rejected' };
}

/** Our answer to a confirmation, an STK callback or a result (Daraja does not read it). */
export const callbackAcknowledgement = Object.freeze({ ResultCode: 0, ResultDesc: 'Success' });
