/**
 * Money out of the paybill: B2C (Business Payment to Customer) and what it shares with the
 * reversal (emulator-reversal.ts): the initiator envelope, the sync acknowledgement, the async
 * Result to ResultURL, or a call to QueueTimeOutURL instead (daraja.md section 7). Also the
 * emulator-only sweep to the organisation's bank. Each booked outflow is a WITHDRAWN line of
 * the statement with its running balance.
 */
import { money, type Money } from '#platform/money/index.ts';
import {
  balanceOf,
  bookTransaction,
  findShortcode,
  issueReceipt,
  postCallback,
  type EmulatorContext,
} from './emulator-context.ts';
import {
  conversationIdentifier,
  kenyaTimestamp,
  requestIdentifier,
  shillingsNumber,
  shillingsText,
  statementMsisdn,
  subscriberName,
} from './emulator-formats.ts';
import {
  outflowResultCodes,
  outflowResultDescriptions,
  outflowScenarioForPhone,
} from './emulator-outflow-scenarios.ts';
import {
  asFields,
  darajaError,
  darajaErrors,
  isHttpUrl,
  isSafaricomMsisdn,
  reply,
  shillingsField,
  textField,
  type DarajaReply,
  type Fields,
} from './emulator-replies.ts';
import {
  remember,
  stateLimits,
  type CallbackKind,
  type EmulatedTransaction,
  type OutflowRequest,
} from './emulator-state.ts';

export type InitiatorEnvelope = Readonly<{
  initiator: string;
  securityCredential: string;
  resultUrl: string;
  queueTimeoutUrl: string;
  remarks: string;
  occasion: string;
}>;

/** Initiator, SecurityCredential, ResultURL, QueueTimeOutURL, Remarks, Occasion. */
export function readInitiatorEnvelope(fields: Fields): InitiatorEnvelope | DarajaReply {
  const initiator = textField(fields, 'Initiator');
  if (initiator === undefined) return darajaErrors.invalidField('Initiator');
  const securityCredential = textField(fields, 'SecurityCredential');
  if (securityCredential === undefined) return darajaErrors.invalidField('SecurityCredential');
  const resultUrl = textField(fields, 'ResultURL');
  if (resultUrl === undefined || !isHttpUrl(resultUrl)) {
    return darajaErrors.invalidField('ResultURL');
  }
  const queueTimeoutUrl = textField(fields, 'QueueTimeOutURL');
  if (queueTimeoutUrl === undefined || !isHttpUrl(queueTimeoutUrl)) {
    return darajaErrors.invalidField('QueueTimeOutURL');
  }
  const remarks = textField(fields, 'Remarks');
  if (remarks === undefined || remarks.length > 100) return darajaErrors.invalidField('Remarks');
  const occasion = fields['Occasion'];
  return { initiator, securityCredential, resultUrl, queueTimeoutUrl, remarks,
    occasion: typeof occasion === 'string' ? occasion : '' };
}

export function initiatorIsValid(context: EmulatorContext, envelope: InitiatorEnvelope): boolean {
  const expected = context.settings.initiator;
  return expected === undefined || (expected.name === envelope.initiator &&
    expected.securityCredential === envelope.securityCredential);
}

/**
 * Opens (or finds) the request named by OriginatorConversationID: a repeat of a request
 * already taken is acknowledged again and NOT run again, so no payment is doubled.
 */
export function openOutflowRequest(context: EmulatorContext, originatorConversationId: string):
  Readonly<{ request: OutflowRequest; repeated: boolean }> {
  const known = context.state.outflowRequests.get(originatorConversationId);
  if (known !== undefined) return { request: known, repeated: true };
  const request: OutflowRequest = {
    originatorConversationId,
    conversationId: conversationIdentifier(context.clock.now()),
    transactionId: undefined,
  };
  remember(context.state.outflowRequests, originatorConversationId, request,
    stateLimits.outflowRequestsMax);
  return { request, repeated: false };
}

export function acknowledge(request: OutflowRequest): DarajaReply {
  return reply({
    ConversationID: request.conversationId,
    OriginatorConversationID: request.originatorConversationId,
    ResponseCode: '0',
    ResponseDescription: 'Accept the service request successfully.',
  });
}

export type ResultParameter = Readonly<{ Key: string; Value?: unknown }>;

export function resultBody(
  request: OutflowRequest,
  outcome: Readonly<{ code: string; description: string; transactionId: string;
    parameters?: readonly ResultParameter[]; occasion: string }>,
): unknown {
  return {
    Result: {
      ResultType: 0,
      // Numeric codes are numbers on the wire; reversal codes (R000001) are text.
      ResultCode: /^\d+$/.test(outcome.code) ? Number(outcome.code) : outcome.code,
      ResultDesc: outcome.description,
      OriginatorConversationID: request.originatorConversationId,
      ConversationID: request.conversationId,
      TransactionID: outcome.transactionId,
      ...(outcome.parameters === undefined ? {}
        : { ResultParameters: { ResultParameter: outcome.parameters } }),
      ReferenceData: { ReferenceItem: { Key: 'Occasion', Value: outcome.occasion } },
    },
  };
}

/** What QueueTimeOutURL receives: no outcome, only that the request timed out. */
export function queueTimeoutBody(request: OutflowRequest): unknown {
  return {
    Result: {
      ResultType: 1,
      ResultCode: 'SFC_IC0003',
      ResultDesc: outflowResultDescriptions.queueTimeout,
      OriginatorConversationID: request.originatorConversationId,
      ConversationID: request.conversationId,
      TransactionID: '',
    },
  };
}

/** "19.12.2019 11:45:50", Kenya time, as B2C results write it. */
export function resultDateTime(date: Date): string {
  const t = kenyaTimestamp(date);
  return `${t.slice(6, 8)}.${t.slice(4, 6)}.${t.slice(0, 4)} ` +
    `${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}`;
}

export function publicName(msisdn: string): string {
  const name = subscriberName(msisdn);
  return `${statementMsisdn(msisdn)} - ${[name.firstName, name.lastName].join(' ')}`;
}

/** Books money out of the paybill (the caller checked the balance). */
export function bookWithdrawal(
  context: EmulatorContext,
  input: Readonly<{ channel: EmulatedTransaction['channel']; shortcode: string; amount: Money;
    msisdn: string; linkedTransactionId?: string; originatorConversationId?: string }>,
): EmulatedTransaction {
  const now = context.clock.now();
  const name = input.msisdn === '' ? { firstName: '', middleName: '', lastName: '' }
    : subscriberName(input.msisdn);
  return bookTransaction(context, {
    transactionId: issueReceipt(context, now),
    channel: input.channel,
    shortcode: input.shortcode,
    transactionType: 'Pay Bill',
    amount: input.amount,
    msisdn: input.msisdn,
    billReference: '',
    ...name,
    initiatedAt: now,
    completedAt: now,
    ...(input.linkedTransactionId === undefined
      ? {} : { linkedTransactionId: input.linkedTransactionId }),
    ...(input.originatorConversationId === undefined
      ? {} : { originatorConversationId: input.originatorConversationId }),
  });
}

export async function sendResult(
  context: EmulatorContext,
  kind: CallbackKind,
  url: string,
  body: unknown,
  twice: boolean,
): Promise<void> {
  await postCallback(context, kind, url, body);
  if (twice) {
    context.tasks.later(context.settings.timing.duplicateCallbackGapMs, async () => {
      await postCallback(context, kind, url, body);
    });
  }
}

type B2cRequest = InitiatorEnvelope & Readonly<{
  originatorConversationId: string | undefined;
  shortcode: string;
  msisdn: string;
  amount: Money;
}>;

const b2cCommands = new Set(['BusinessPayment', 'SalaryPayment', 'PromotionPayment']);

function readB2cRequest(context: EmulatorContext, fields: Fields, version: 'v1' | 'v3'):
  B2cRequest | DarajaReply {
  const envelope = readInitiatorEnvelope(fields);
  if ('statusCode' in envelope) return envelope;
  if (!b2cCommands.has(String(fields['CommandID']))) return darajaErrors.invalidField('CommandID');
  const amountShillings = shillingsField(fields, 'Amount');
  if (amountShillings === undefined) return darajaErrors.invalidField('Amount');
  const shortcode = textField(fields, 'PartyA');
  if (shortcode === undefined || findShortcode(context, shortcode) === undefined) {
    return darajaErrors.invalidField('PartyA');
  }
  const msisdn = textField(fields, 'PartyB');
  if (msisdn === undefined || !isSafaricomMsisdn(msisdn)) {
    return darajaErrors.invalidField('PartyB');
  }
  const originatorConversationId = textField(fields, 'OriginatorConversationID');
  if (version === 'v3' && originatorConversationId === undefined) {
    return darajaErrors.invalidField('OriginatorConversationID');
  }
  return { ...envelope, originatorConversationId, shortcode, msisdn,
    amount: money(amountShillings * 100n, 'KES') };
}

/** POST /mpesa/b2c/v1/paymentrequest and /mpesa/b2c/v3/paymentrequest */
export function b2cPaymentRequest(
  context: EmulatorContext,
  body: unknown,
  version: 'v1' | 'v3',
): DarajaReply {
  const fields = asFields(body);
  if (fields === undefined) return darajaErrors.invalidPayload();
  const request = readB2cRequest(context, fields, version);
  if ('statusCode' in request) return request;
  const opened = openOutflowRequest(context,
    request.originatorConversationId ?? requestIdentifier());
  if (!opened.repeated) {
    context.tasks.later(context.settings.timing.resultDelayMs,
      () => completeB2c(context, request, opened.request));
  }
  return acknowledge(opened.request);
}

async function completeB2c(
  context: EmulatorContext,
  request: B2cRequest,
  outflow: OutflowRequest,
): Promise<void> {
  const scenario = outflowScenarioForPhone(request.msisdn);
  const fail = (code: string, description: string) => postCallback(context, 'b2c-result',
    request.resultUrl, resultBody(outflow, { code, description, transactionId: '',
      occasion: request.occasion }));
  if (!initiatorIsValid(context, request)) {
    await fail(outflowResultCodes.initiatorInvalid, outflowResultDescriptions.initiatorInvalid);
    return;
  }
  if (scenario.kind === 'timeout-not-moved') {
    await postCallback(context, 'queue-timeout', request.queueTimeoutUrl,
      queueTimeoutBody(outflow));
    return;
  }
  const chargeMinor = context.settings.b2cChargeShillings * 100n;
  const balance = balanceOf(context, request.shortcode).amountMinor;
  if (balance < request.amount.amountMinor + chargeMinor) {
    await fail(outflowResultCodes.insufficientBalance,
      outflowResultDescriptions.insufficientBalance);
    return;
  }
  const paid = bookWithdrawal(context, { channel: 'b2c', shortcode: request.shortcode,
    amount: request.amount, msisdn: request.msisdn,
    originatorConversationId: outflow.originatorConversationId });
  const charged = chargeMinor === 0n ? paid : bookWithdrawal(context, {
    channel: 'b2c-charge', shortcode: request.shortcode, amount: money(chargeMinor, 'KES'),
    msisdn: '', linkedTransactionId: paid.transactionId });
  outflow.transactionId = paid.transactionId;
  if (scenario.kind === 'timeout-moved') {
    await postCallback(context, 'queue-timeout', request.queueTimeoutUrl,
      queueTimeoutBody(outflow));
    return;
  }
  const body = resultBody(outflow, {
    code: outflowResultCodes.success,
    description: outflowResultDescriptions.success,
    transactionId: paid.transactionId,
    occasion: request.occasion,
    parameters: [
      { Key: 'TransactionAmount', Value: shillingsNumber(paid.amount) },
      { Key: 'TransactionReceipt', Value: paid.transactionId },
      { Key: 'B2CRecipientIsRegisteredCustomer', Value: 'Y' },
      { Key: 'B2CChargesPaidAccountAvailableFunds', Value: 0 },
      { Key: 'ReceiverPartyPublicName', Value: publicName(request.msisdn) },
      { Key: 'TransactionCompletedDateTime', Value: resultDateTime(paid.completedAt) },
      { Key: 'B2CUtilityAccountAvailableFunds',
        Value: Number(shillingsText(charged.balanceAfter)) },
      { Key: 'B2CWorkingAccountAvailableFunds', Value: 0 },
    ],
  });
  await sendResult(context, 'b2c-result', request.resultUrl, body,
    scenario.kind === 'duplicate-result');
}

/** POST /_sweep {ShortCode, Amount}: emulator only, the paybill emptied to the bank. */
export function sweepToBank(context: EmulatorContext, body: unknown): DarajaReply {
  const fields = asFields(body);
  if (fields === undefined) return darajaErrors.invalidPayload();
  const shortcode = textField(fields, 'ShortCode');
  if (shortcode === undefined || findShortcode(context, shortcode) === undefined) {
    return darajaErrors.invalidField('ShortCode');
  }
  const amountShillings = shillingsField(fields, 'Amount');
  if (amountShillings === undefined) return darajaErrors.invalidField('Amount');
  const amount = money(amountShillings * 100n, 'KES');
  if (balanceOf(context, shortcode).amountMinor < amount.amountMinor) {
    return darajaError('400.002.02', outflowResultDescriptions.insufficientBalance);
  }
  const swept = bookWithdrawal(context, { channel: 'sweep', shortcode, amount, msisdn: '' });
  return reply({ TransactionID: swept.transactionId,
    Amount: shillingsText(swept.amount), Balance: shillingsText(swept.balanceAfter) });
}
