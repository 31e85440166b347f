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
import type { EmulatedTransaction } from './emulator-state.ts';

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
  const transactionId = textField(fields, 'TransactionID');
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
  const payer = [transaction.firstName, transaction.middleName, transaction.lastName]
    .filter((name) => name !== '').join(' ');
  return [
    { Key: 'DebitPartyName', Value: `${statementMsisdn(transaction.msisdn)} - ${payer}` },
    { Key: 'CreditPartyName', Value: `${transaction.shortcode} - ${organization}` },
    { Key: 'OriginatorConversationID', Value: '' },
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

/** The "Reason Type" of statements and status results. */
export function reasonType(transaction: EmulatedTransaction): string {
  if (transaction.transactionType === 'Buy Goods') return 'Pay Merchant';
  return transaction.channel === 'stk' ? 'Pay Bill Online' : 'Pay Bill';
}
