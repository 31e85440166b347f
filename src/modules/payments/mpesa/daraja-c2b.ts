/**
 * C2B: register our confirmation and validation URLs (and, in the sandbox or the emulator,
 * simulate a payer), and transaction status, the initiator API that confirms a receipt.
 */
import { ok } from '#platform/errors/index.ts';
import { normalisePhoneNumber, toWholeShillings } from './daraja-formats.ts';
import { textOf } from './daraja-http.ts';
import {
  accepted,
  acknowledgement,
  checkUrls,
  invalid,
  unexpected,
  type ClientContext,
} from './daraja-calls.ts';
import type {
  Acknowledged,
  C2bRegistrationRequest,
  C2bSimulationRequest,
  DarajaResult,
  InitiatorAccepted,
  TransactionStatusRequest,
} from './daraja-types.ts';

/** Safaricom refuses callback URLs that name M-Pesa or Safaricom, in any spelling. */
const forbiddenInCallbackUrls = /m[\W_]*pesa|safaricom/i;

export async function registerC2bUrls(
  context: ClientContext,
  request: C2bRegistrationRequest,
): Promise<DarajaResult<Acknowledged>> {
  const urls = { confirmationUrl: request.confirmationUrl, validationUrl: request.validationUrl };
  const checked = checkUrls('c2b-register', urls);
  if (!checked.ok) return checked;
  for (const [field, url] of Object.entries(urls)) {
    if (forbiddenInCallbackUrls.test(url)) {
      return invalid('c2b-register', field, 'Safaricom refuses URLs naming M-Pesa or Safaricom');
    }
  }
  const answer = await context.call('c2b-register',
    `/mpesa/c2b/${request.apiVersion ?? 'v2'}/registerurl`, {
      ShortCode: context.options.shortcode,
      ResponseType: request.responseType,
      ConfirmationURL: request.confirmationUrl,
      ValidationURL: request.validationUrl,
    });
  return acknowledgement('c2b-register', answer);
}

export async function simulateC2b(
  context: ClientContext,
  request: C2bSimulationRequest,
): Promise<DarajaResult<Acknowledged>> {
  const amountShillings = toWholeShillings(request.amount);
  if (amountShillings === undefined) {
    return invalid('c2b-simulate', 'amount', 'must be whole, positive shillings (KES)');
  }
  const msisdn = normalisePhoneNumber(request.msisdn);
  if (msisdn === undefined) return invalid('c2b-simulate', 'msisdn', 'not a Safaricom number');
  const answer = await context.call('c2b-simulate', '/mpesa/c2b/v1/simulate', {
    ShortCode: context.shortcodeNumber,
    CommandID: request.commandId ?? 'CustomerPayBillOnline',
    Amount: amountShillings,
    Msisdn: BigInt(msisdn),
    BillRefNumber: request.billReference,
  });
  return acknowledgement('c2b-simulate', answer);
}

/** POST /mpesa/transactionstatus/v1/query: the result goes to resultUrl. */
export async function transactionStatus(
  context: ClientContext,
  request: TransactionStatusRequest,
): Promise<DarajaResult<InitiatorAccepted>> {
  const { initiator, securityCredential } = context.options;
  if (initiator === undefined || initiator === '' || securityCredential === undefined ||
    securityCredential === '') {
    return invalid('transaction-status', 'initiator', 'no initiator or security credential');
  }
  const urls = checkUrls('transaction-status',
    { resultUrl: request.resultUrl, queueTimeoutUrl: request.queueTimeoutUrl });
  if (!urls.ok) return urls;
  const answer = accepted('transaction-status', await context.call('transaction-status',
    '/mpesa/transactionstatus/v1/query', {
      Initiator: initiator,
      SecurityCredential: securityCredential,
      CommandID: 'TransactionStatusQuery',
      TransactionID: request.transactionId,
      PartyA: context.shortcodeNumber,
      IdentifierType: '4',
      ResultURL: request.resultUrl,
      QueueTimeOutURL: request.queueTimeoutUrl,
      Remarks: request.remarks ?? 'Status',
      Occasion: request.occasion ?? '',
    }));
  if (!answer.ok) return answer;
  const originatorConversationId = textOf(answer.value.fields, 'OriginatorConversationID');
  const conversationId = textOf(answer.value.fields, 'ConversationID');
  if (originatorConversationId === undefined || conversationId === undefined) {
    return unexpected('transaction-status', answer.value, 'no conversation ids');
  }
  return ok({ originatorConversationId, conversationId,
    responseDescription: textOf(answer.value.fields, 'ResponseDescription') ?? '' });
}
