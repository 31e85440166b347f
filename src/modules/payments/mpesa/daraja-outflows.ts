/**
 * Money out of the paybill, for refunds (daraja.md section 7): B2C (v3, our
 * OriginatorConversationID, so a repeated request is not paid twice), reversal of a whole
 * receipt, and the status of either by its OriginatorConversationID. Each is only acknowledged
 * here; the Result comes later to ResultURL (or QueueTimeOutURL when M-Pesa timed out, when
 * the money may or may not have moved).
 */
import { ok } from '#platform/errors/index.ts';
import { normalisePhoneNumber, toWholeShillings } from './daraja-formats.ts';
import { textOf } from './daraja-http.ts';
import { accepted, checkUrls, invalid, unexpected, type ClientContext } from './daraja-calls.ts';
import type {
  B2cPaymentRequest,
  DarajaOperation,
  DarajaResult,
  InitiatorAccepted,
  OutflowStatusRequest,
  OutflowUrls,
  ReversalRequest,
} from './daraja-types.ts';

function initiatorOf(context: ClientContext, operation: DarajaOperation):
  DarajaResult<Readonly<{ Initiator: string; SecurityCredential: string }>> {
  const { initiator, securityCredential } = context.options;
  if (initiator === undefined || initiator === '' || securityCredential === undefined ||
    securityCredential === '') {
    return invalid(operation, 'initiator', 'no initiator or security credential');
  }
  return ok({ Initiator: initiator, SecurityCredential: securityCredential });
}

async function send(
  context: ClientContext,
  operation: DarajaOperation,
  path: string,
  request: OutflowUrls,
  body: Readonly<Record<string, unknown>>,
): Promise<DarajaResult<InitiatorAccepted>> {
  const initiator = initiatorOf(context, operation);
  if (!initiator.ok) return initiator;
  const urls = checkUrls(operation,
    { resultUrl: request.resultUrl, queueTimeoutUrl: request.queueTimeoutUrl });
  if (!urls.ok) return urls;
  const answer = accepted(operation, await context.call(operation, path, {
    ...initiator.value, ...body,
    ResultURL: request.resultUrl, QueueTimeOutURL: request.queueTimeoutUrl,
  }));
  if (!answer.ok) return answer;
  const originatorConversationId = textOf(answer.value.fields, 'OriginatorConversationID');
  const conversationId = textOf(answer.value.fields, 'ConversationID');
  if (originatorConversationId === undefined || conversationId === undefined) {
    return unexpected(operation, answer.value, 'no conversation ids');
  }
  return ok({ originatorConversationId, conversationId,
    responseDescription: textOf(answer.value.fields, 'ResponseDescription') ?? '' });
}

/** POST /mpesa/b2c/v3/paymentrequest (BusinessPayment). */
export async function b2cPayment(context: ClientContext, request: B2cPaymentRequest):
  Promise<DarajaResult<InitiatorAccepted>> {
  const amountShillings = toWholeShillings(request.amount);
  if (amountShillings === undefined) {
    return invalid('b2c-payment', 'amount', 'must be whole, positive shillings (KES)');
  }
  const msisdn = normalisePhoneNumber(request.phoneNumber);
  if (msisdn === undefined) return invalid('b2c-payment', 'phoneNumber', 'not a Safaricom number');
  return send(context, 'b2c-payment', '/mpesa/b2c/v3/paymentrequest', request, {
    OriginatorConversationID: request.originatorConversationId,
    CommandID: 'BusinessPayment',
    Amount: amountShillings,
    PartyA: context.shortcodeNumber,
    PartyB: BigInt(msisdn),
    Remarks: request.remarks,
    Occasion: request.occasion ?? '',
  });
}

/** POST /mpesa/reversal/v1/request: the whole receipt back to its payer. */
export async function reversal(context: ClientContext, request: ReversalRequest):
  Promise<DarajaResult<InitiatorAccepted>> {
  const amountShillings = toWholeShillings(request.amount);
  if (amountShillings === undefined) {
    return invalid('reversal', 'amount', 'must be whole, positive shillings (KES)');
  }
  return send(context, 'reversal', '/mpesa/reversal/v1/request', request, {
    OriginatorConversationID: request.originatorConversationId,
    CommandID: 'TransactionReversal',
    TransactionID: request.transactionId,
    Amount: amountShillings,
    ReceiverParty: context.shortcodeNumber,
    // Safaricom's spelling.
    RecieverIdentifierType: '11',
    Remarks: request.remarks,
    Occasion: request.occasion ?? '',
  });
}

/** Transaction status of a B2C or reversal by its OriginatorConversationID. */
export async function outflowStatus(context: ClientContext, request: OutflowStatusRequest):
  Promise<DarajaResult<InitiatorAccepted>> {
  return send(context, 'transaction-status', '/mpesa/transactionstatus/v1/query', request, {
    CommandID: 'TransactionStatusQuery',
    OriginalConversationID: request.originalConversationId,
    PartyA: context.shortcodeNumber,
    IdentifierType: '4',
    Remarks: 'Refund status',
    Occasion: request.occasion,
  });
}

/**
 * Whether a failed reversal's words say the payer spent the money (Safaricom gives no code
 * of its own for it). Then only a B2C can refund them.
 */
export function isRecipientSpent(resultDescription: string): boolean {
  return /spent|insufficient funds|recipient.*insufficient/i.test(resultDescription);
}
