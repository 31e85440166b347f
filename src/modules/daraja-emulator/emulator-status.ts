/**
 * Transaction status (an initiator API): acknowledged at once with conversation ids; the
 * answer goes later to ResultURL as {"Result": {...}} with ResultParameters (daraja.md 7).
 */
import {
  findShortcode,
  postCallback,
  type EmulatorContext,
} from './emulator-context.ts';
import {
  conversationIdentifier,
  kenyaTimestamp,
  requestIdentifier,
  shillingsNumber,
  statementMsisdn,
} from './emulator-formats.ts';
import {
  asFields,
  darajaErrors,
  isHttpUrl,
  reply,
  textField,
  type DarajaReply,
  type Fields,
} from './emulator-replies.ts';
import { resultDescription } from './emulator-scenarios.ts';
import { isWithdrawal, type EmulatedTransaction } from './emulator-state.ts';

/** Daraja's answer to bad parameters, such as a receipt it does not know. */
const badParametersResultCode = 25;
const initiatorInvalidResultCode = 2001;

type StatusRequest = Readonly<{
  initiator: string;
  securityCredential: string;
  transactionId: string;
  shortcode: string;
  resultUrl: string;
  occasion: string;
}>;

function readStatusRequest(context: EmulatorContext, fields: Fields): StatusRequest | DarajaReply {
  const initiator = textField(fields, 'Initiator');
  if (initiator === undefined) return darajaErrors.invalidField('Initiator');
  const securityCredential = textField(fields, 'SecurityCredential');
  if (securityCredential === undefined) return darajaErrors.invalidField('SecurityCredential');
  if (fields['CommandID'] !== 'TransactionStatusQuery') {
    return darajaErrors.invalidField('CommandID');
  }
  // By receipt, or (B2C, reversal) by the initiator's OriginatorConversationID.
  const transactionId = textField(fields, 'TransactionID') ??
    conversationReceipt(context, textField(fields, 'OriginalConversationID'));
  if (transactionId === undefined) return darajaErrors.invalidField('TransactionID');
  const shortcode = textField(fields, 'PartyA');
  if (shortcode === undefined || findShortcode(context, shortcode) === undefined) {
    return darajaErrors.invalidField('PartyA');
  }
  if (textField(fields, 'IdentifierType') !== '4') {
    return darajaErrors.invalidField('IdentifierType');
  }
  const resultUrl = textField(fields, 'ResultURL');
  if (resultUrl === undefined || !isHttpUrl(resultUrl)) {
    return darajaErrors.invalidField('ResultURL');
  }
  const queueTimeoutUrl = textField(fields, 'QueueTimeOutURL');
  if (queueTimeoutUrl === undefined || !isHttpUrl(queueTimeoutUrl)) {
    return darajaErrors.invalidField('QueueTimeOutURL');
  }
  const occasion = fields['Occasion'];
  return { initiator, securityCredential, transactionId, shortcode, resultUrl,
    occasion: typeof occasion === 'string' ? occasion : '' };
}

/**
 * The receipt of a B2C or reversal request; '' (no such receipt: code 25) when the request is
 * known but moved no money; undefined when no conversation id was given.
 */
function conversationReceipt(context: EmulatorContext, id: string | undefined):
  string | undefined {
  if (id === undefined) return undefined;
  return context.state.outflowRequests.get(id)?.transactionId ?? '';
}

/** POST /mpesa/transactionstatus/v1/query */
export function transactionStatusRequest(context: EmulatorContext, body: unknown): DarajaReply {
  const fields = asFields(body);
  if (fields === undefined) return darajaErrors.invalidPayload();
  const request = readStatusRequest(context, fields);
  if ('statusCode' in request) return request;
  const ids = {
    originatorConversationId: requestIdentifier(),
    conversationId: conversationIdentifier(context.clock.now()),
  };
  context.tasks.later(context.settings.timing.resultDelayMs, async () => {
    await postCallback(context, 'transaction-status-result', request.resultUrl,
      transactionStatusResult(context, request, ids));
  });
  return reply({
    OriginatorConversationID: ids.originatorConversationId,
    ConversationID: ids.conversationId,
    ResponseCode: '0',
    ResponseDescription: 'Accept the service request successfully.',
  });
}

function transactionStatusResult(
  context: EmulatorContext,
  request: StatusRequest,
  ids: Readonly<{ originatorConversationId: string; conversationId: string }>,
): unknown {
  const expected = context.settings.initiator;
  const initiatorValid = expected === undefined || (expected.name === request.initiator &&
    expected.securityCredential === request.securityCredential);
  const transaction = context.state.transactions.get(request.transactionId);
  const found = transaction !== undefined && transaction.shortcode === request.shortcode;
  const resultCode = !initiatorValid ? initiatorInvalidResultCode
    : found ? 0 : badParametersResultCode;
  const description = resultCode === badParametersResultCode
    ? 'The transaction receipt number does not exist.' : resultDescription(resultCode);
  return {
    Result: {
      ResultType: 0,
      ResultCode: resultCode,
      ResultDesc: description,
      OriginatorConversationID: ids.originatorConversationId,
      ConversationID: ids.conversationId,
      TransactionID: request.transactionId,
      ...(resultCode === 0 && transaction !== undefined
        ? { ResultParameters: { ResultParameter: resultParameters(context, transaction) } }
        : {}),
      ReferenceData: { ReferenceItem: { Key: 'Occasion', Value: request.occasion } },
    },
  };
}

function resultParameters(
  context: EmulatorContext,
  transaction: EmulatedTransaction,
): readonly Readonly<{ Key: string; Value?: unknown }>[] {
  const organization = context.settings.shortcodes
    .find((account) => account.shortcode === transaction.shortcode)?.organizationName ?? '';
  const person = [transaction.firstName, transaction.middleName, transaction.lastName]
    .filter((name) => name !== '').join(' ');
  const personParty = transaction.msisdn === '' ? ''
    : `${statementMsisdn(transaction.msisdn)} - ${person}`;
  const paybillParty = `${transaction.shortcode} - ${organization}`;
  const out = isWithdrawal(transaction);
  return [
    { Key: 'DebitPartyName', Value: out ? paybillParty : personParty },
    { Key: 'CreditPartyName', Value: out ? personParty : paybillParty },
    { Key: 'OriginatorConversationID', Value: transaction.originatorConversationId ?? '' },
    { Key: 'InitiatedTime', Value: Number(kenyaTimestamp(transaction.initiatedAt)) },
    { Key: 'DebitAccountType', Value: 'MMF Account For Customer' },
    { Key: 'DebitPartyCharges' },
    { Key: 'TransactionReason' },
    { Key: 'ReasonType', Value: reasonType(transaction) },
    { Key: 'TransactionStatus', Value: 'Completed' },
    { Key: 'FinalisedTime', Value: Number(kenyaTimestamp(transaction.completedAt)) },
    { Key: 'Amount', Value: shillingsNumber(transaction.amount) },
    { Key: 'ConversationID', Value: '' },
    { Key: 'ReceiptNo', Value: transaction.transactionId },
  ];
}

/**
 * The "Reason Type" of statements and status results. The outflow names are a contract with
 * reconciliation (it classifies statement lines by them).
 */
export const outflowReasonTypes = {
  b2c: 'Business Payment to Customer via API',
  reversal: 'Reversal',
  'b2c-charge': 'Business Payment Charge',
  sweep: 'Organization Withdrawal to Bank',
} as const;

export function reasonType(transaction: EmulatedTransaction): string {
  const channel = transaction.channel;
  if (channel === 'b2c' || channel === 'reversal' || channel === 'b2c-charge' ||
    channel === 'sweep') {
    return outflowReasonTypes[channel];
  }
  if (transaction.transactionType === 'Buy Goods') return 'Pay Merchant';
  return transaction.channel === 'stk' ? 'Pay Bill Online' : 'Pay Bill';
}
