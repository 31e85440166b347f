/**
 * Reversal (POST /mpesa/reversal/v1/request, daraja.md section 7): a whole paid-in receipt
 * sent back to its payer. Acknowledged at once; the Result says whether it happened. It fails
 * when the payer has spent the money (said only in the free-text ResultDesc), when the paybill
 * is short, or when the receipt is unknown or already reversed.
 */
import { money, type Money } from '#platform/money/index.ts';
import {
  balanceOf,
  findShortcode,
  postCallback,
  type EmulatorContext,
} from './emulator-context.ts';
import { shillingsNumber, requestIdentifier } from './emulator-formats.ts';
import {
  outflowResultCodes,
  outflowResultDescriptions,
  outflowScenarioForPhone,
} from './emulator-outflow-scenarios.ts';
import {
  acknowledge,
  bookWithdrawal,
  initiatorIsValid,
  openOutflowRequest,
  publicName,
  queueTimeoutBody,
  readInitiatorEnvelope,
  resultBody,
  resultDateTime,
  sendResult,
  type InitiatorEnvelope,
} from './emulator-outflows.ts';
import {
  asFields,
  darajaErrors,
  shillingsField,
  textField,
  type DarajaReply,
  type Fields,
} from './emulator-replies.ts';
import { isWithdrawal, type OutflowRequest } from './emulator-state.ts';

type ReversalRequest = InitiatorEnvelope & Readonly<{
  originatorConversationId: string | undefined;
  transactionId: string;
  shortcode: string;
  amount: Money;
}>;

function readReversalRequest(context: EmulatorContext, fields: Fields):
  ReversalRequest | DarajaReply {
  const envelope = readInitiatorEnvelope(fields);
  if ('statusCode' in envelope) return envelope;
  if (fields['CommandID'] !== 'TransactionReversal') return darajaErrors.invalidField('CommandID');
  const transactionId = textField(fields, 'TransactionID');
  if (transactionId === undefined) return darajaErrors.invalidField('TransactionID');
  const amountShillings = shillingsField(fields, 'Amount');
  if (amountShillings === undefined) return darajaErrors.invalidField('Amount');
  const shortcode = textField(fields, 'ReceiverParty');
  if (shortcode === undefined || findShortcode(context, shortcode) === undefined) {
    return darajaErrors.invalidField('ReceiverParty');
  }
  // Safaricom's misspelling is the field's name; the correct spelling is taken too.
  const identifierType = textField(fields, 'RecieverIdentifierType') ??
    textField(fields, 'ReceiverIdentifierType');
  if (identifierType !== '11') return darajaErrors.invalidField('RecieverIdentifierType');
  return { ...envelope, transactionId, shortcode,
    originatorConversationId: textField(fields, 'OriginatorConversationID'),
    amount: money(amountShillings * 100n, 'KES') };
}

/** POST /mpesa/reversal/v1/request */
export function reversalRequest(context: EmulatorContext, body: unknown): DarajaReply {
  const fields = asFields(body);
  if (fields === undefined) return darajaErrors.invalidPayload();
  const request = readReversalRequest(context, fields);
  if ('statusCode' in request) return request;
  const opened = openOutflowRequest(context,
    request.originatorConversationId ?? requestIdentifier());
  if (!opened.repeated) {
    context.tasks.later(context.settings.timing.resultDelayMs,
      () => completeReversal(context, request, opened.request));
  }
  return acknowledge(opened.request);
}

/** Why the reversal cannot happen, before the scenario is asked; undefined when it can. */
function refusal(context: EmulatorContext, request: ReversalRequest):
  Readonly<{ code: string; description: string }> | undefined {
  if (!initiatorIsValid(context, request)) {
    return { code: outflowResultCodes.initiatorInvalid,
      description: outflowResultDescriptions.initiatorInvalid };
  }
  const original = context.state.transactions.get(request.transactionId);
  if (original === undefined || isWithdrawal(original) ||
    original.shortcode !== request.shortcode ||
    original.amount.amountMinor !== request.amount.amountMinor) {
    return { code: outflowResultCodes.invalidOriginalTransaction,
      description: outflowResultDescriptions.invalidOriginalTransaction };
  }
  if (context.state.reversedReceipts.has(original.transactionId)) {
    return { code: outflowResultCodes.alreadyReversed,
      description: outflowResultDescriptions.alreadyReversed };
  }
  return undefined;
}

async function completeReversal(
  context: EmulatorContext,
  request: ReversalRequest,
  outflow: OutflowRequest,
): Promise<void> {
  const fail = (code: string, description: string) => postCallback(context, 'reversal-result',
    request.resultUrl, resultBody(outflow, { code, description, transactionId: '',
      occasion: request.occasion }));
  const refused = refusal(context, request);
  const original = context.state.transactions.get(request.transactionId);
  if (refused !== undefined || original === undefined) {
    await fail(refused?.code ?? outflowResultCodes.invalidOriginalTransaction,
      refused?.description ?? outflowResultDescriptions.invalidOriginalTransaction);
    return;
  }
  const scenario = outflowScenarioForPhone(original.msisdn);
  if (scenario.kind === 'recipient-spent') {
    await fail(outflowResultCodes.recipientSpent, outflowResultDescriptions.recipientSpent);
    return;
  }
  if (scenario.kind === 'timeout-not-moved') {
    await postCallback(context, 'queue-timeout', request.queueTimeoutUrl,
      queueTimeoutBody(outflow));
    return;
  }
  if (balanceOf(context, request.shortcode).amountMinor < request.amount.amountMinor) {
    await fail(outflowResultCodes.insufficientBalance,
      outflowResultDescriptions.insufficientBalance);
    return;
  }
  const reversed = bookWithdrawal(context, { channel: 'reversal', shortcode: request.shortcode,
    amount: request.amount, msisdn: original.msisdn,
    linkedTransactionId: original.transactionId,
    originatorConversationId: outflow.originatorConversationId });
  context.state.reversedReceipts.add(original.transactionId);
  outflow.transactionId = reversed.transactionId;
  if (scenario.kind === 'timeout-moved') {
    await postCallback(context, 'queue-timeout', request.queueTimeoutUrl,
      queueTimeoutBody(outflow));
    return;
  }
  const organization = findShortcode(context, request.shortcode)?.organizationName ?? '';
  await sendResult(context, 'reversal-result', request.resultUrl, resultBody(outflow, {
    code: outflowResultCodes.success,
    description: outflowResultDescriptions.success,
    transactionId: reversed.transactionId,
    occasion: request.occasion,
    parameters: [
      { Key: 'DebitAccountBalance',
        Value: `Utility Account|KES|${shillingsNumber(reversed.balanceAfter)}` },
      { Key: 'Amount', Value: shillingsNumber(reversed.amount) },
      { Key: 'TransCompletedTime', Value: resultDateTime(reversed.completedAt) },
      { Key: 'OriginalTransactionID', Value: original.transactionId },
      { Key: 'Charge', Value: 0 },
      { Key: 'CreditPartyPublicName', Value: publicName(original.msisdn) },
      { Key: 'DebitPartyPublicName', Value: `${request.shortcode} - ${organization}` },
    ],
  }), scenario.kind === 'duplicate-result');
}
