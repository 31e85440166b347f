/**
 * M-Pesa Express: the push (checked against the contract's limits before it is sent) and the
 * query, where "still processing" and 1037 are pending, never failed.
 */
import { ok } from '#platform/errors/index.ts';
import { normalisePhoneNumber, toWholeShillings } from './daraja-formats.ts';
import { textOf } from './daraja-http.ts';
import { classifyStkResult, isStillProcessing } from './daraja-result-codes.ts';
import {
  accepted,
  checkUrls,
  invalid,
  stkCredentials,
  stkNumber,
  unexpected,
  type ClientContext,
} from './daraja-calls.ts';
import type {
  DarajaResult,
  StkPushAccepted,
  StkPushRequest,
  StkQueryAnswer,
} from './daraja-types.ts';

/** Limits of the contract (daraja.md 5): what the payer's phone can show. */
const accountReferenceLengthMax = 12;
const transactionDescriptionLengthMax = 13;

type CheckedPush = Readonly<{ amountShillings: bigint; phone: bigint }>;

function checkStkPush(request: StkPushRequest): DarajaResult<CheckedPush> {
  const amountShillings = toWholeShillings(request.amount);
  if (amountShillings === undefined) {
    return invalid('stk-push', 'amount', 'must be whole, positive shillings (KES)');
  }
  const phone = normalisePhoneNumber(request.phoneNumber);
  if (phone === undefined) return invalid('stk-push', 'phoneNumber', 'not a Safaricom number');
  const reference = request.accountReference;
  if (reference === '' || reference.length > accountReferenceLengthMax) {
    return invalid('stk-push', 'accountReference', 'must be 1 to 12 characters');
  }
  const description = request.transactionDescription;
  if (description === '' || description.length > transactionDescriptionLengthMax) {
    return invalid('stk-push', 'transactionDescription', 'must be 1 to 13 characters');
  }
  const urls = checkUrls('stk-push', { callbackUrl: request.callbackUrl });
  if (!urls.ok) return urls;
  return ok({ amountShillings, phone: BigInt(phone) });
}

/** POST /mpesa/stkpush/v1/processrequest: only an acknowledgement; the result comes later. */
export async function stkPush(
  context: ClientContext,
  request: StkPushRequest,
): Promise<DarajaResult<StkPushAccepted>> {
  const checked = checkStkPush(request);
  if (!checked.ok) return checked;
  const answer = accepted('stk-push', await context.call('stk-push',
    '/mpesa/stkpush/v1/processrequest', {
      ...stkCredentials(context),
      TransactionType: request.transactionType ?? 'CustomerPayBillOnline',
      Amount: checked.value.amountShillings,
      // Phones as JSON numbers unless configured otherwise: one integrator reports that sent
      // as strings the push silently ends in 1037 (daraja.md 5).
      PartyA: stkNumber(context, checked.value.phone),
      PartyB: stkNumber(context, context.shortcodeNumber),
      PhoneNumber: stkNumber(context, checked.value.phone),
      CallBackURL: request.callbackUrl,
      AccountReference: request.accountReference,
      TransactionDesc: request.transactionDescription,
    }));
  if (!answer.ok) return answer;
  const fields = answer.value.fields;
  const merchantRequestId = textOf(fields, 'MerchantRequestID');
  const checkoutRequestId = textOf(fields, 'CheckoutRequestID');
  if (merchantRequestId === undefined || checkoutRequestId === undefined) {
    return unexpected('stk-push', answer.value, 'no MerchantRequestID or CheckoutRequestID');
  }
  return ok({
    merchantRequestId,
    checkoutRequestId,
    responseDescription: textOf(fields, 'ResponseDescription') ?? '',
    customerMessage: textOf(fields, 'CustomerMessage') ?? '',
  });
}

/** POST /mpesa/stkpushquery/v1/query */
export async function stkQuery(
  context: ClientContext,
  checkoutRequestId: string,
): Promise<DarajaResult<StkQueryAnswer>> {
  const answer = await context.call('stk-query', '/mpesa/stkpushquery/v1/query',
    { ...stkCredentials(context), CheckoutRequestID: checkoutRequestId });
  if (!answer.ok) {
    const failure = answer.error;
    if (failure.kind === 'daraja' && isStillProcessing(failure.errorCode, failure.errorMessage)) {
      return ok({ outcome: 'pending', resultCode: undefined,
        resultDescription: failure.errorMessage, checkoutRequestId,
        merchantRequestId: undefined });
    }
    return answer;
  }
  const resultText = textOf(answer.value.fields, 'ResultCode');
  if (resultText === undefined || !/^\d{1,9}$/.test(resultText)) {
    return unexpected('stk-query', answer.value, 'no numeric ResultCode');
  }
  // A result code, not money.
  const resultCode = Number.parseInt(resultText, 10);
  return ok({
    outcome: classifyStkResult(resultCode),
    resultCode,
    resultDescription: textOf(answer.value.fields, 'ResultDesc') ?? '',
    checkoutRequestId,
    merchantRequestId: textOf(answer.value.fields, 'MerchantRequestID'),
  });
}
