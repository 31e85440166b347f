/**
 * M-Pesa Express (STK push): the request is checked like Safaricom checks it, acknowledged at
 * once, and the payer "answers" after a delay chosen by the phone's last digits (see
 * emulator-scenarios.ts). STK query reports 500.001.1001 while the payer has not answered.
 */
import { money } from '#platform/money/index.ts';
import {
  bookTransaction,
  deliverByScenario,
  findShortcode,
  issueReceipt,
  postCallback,
  type EmulatorContext,
} from './emulator-context.ts';
import { sendC2bConfirmation } from './emulator-c2b.ts';
import {
  checkoutRequestIdentifier,
  isDarajaTimestamp,
  kenyaTimestamp,
  requestIdentifier,
  shillingsNumber,
  stkPassword,
  subscriberName,
} from './emulator-formats.ts';
import {
  asFields,
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
  couldNotSendPromptResultCode,
  resultDescription,
  scenarioForPhone,
  timeoutResultCode,
  transactionDescriptionLengthMax,
  type PaymentScenario,
} from './emulator-scenarios.ts';
import { remember, stateLimits, type StkRequest } from './emulator-state.ts';

/** Community-reported limit: AccountReference is shown on the phone, 12 characters at most. */
const accountReferenceLengthMax = 12;

/** Checks BusinessShortCode, Timestamp and Password, as both push and query need. */
function checkCredentials(context: EmulatorContext, fields: Fields): string | DarajaReply {
  const shortcode = textField(fields, 'BusinessShortCode');
  if (shortcode === undefined) return darajaErrors.invalidField('BusinessShortCode');
  const account = findShortcode(context, shortcode);
  if (account === undefined) return darajaErrors.merchantDoesNotExist();
  const timestamp = textField(fields, 'Timestamp');
  if (timestamp === undefined || !isDarajaTimestamp(timestamp)) {
    return darajaErrors.invalidField('Timestamp');
  }
  // Any clock will do (Kenya or UTC); the Password only has to be built from the same text.
  if (fields['Password'] !== stkPassword(shortcode, account.passkey, timestamp)) {
    return darajaErrors.wrongCredentials();
  }
  return shortcode;
}

type PushFields = Readonly<{
  transactionType: 'Pay Bill' | 'Buy Goods';
  amountShillings: bigint;
  phoneNumber: string;
  phonesAreNumbers: boolean;
  callbackUrl: string;
  accountReference: string;
  transactionDescription: string;
}>;

function readPushFields(shortcode: string, fields: Fields): PushFields | DarajaReply {
  const type = fields['TransactionType'];
  if (type !== 'CustomerPayBillOnline' && type !== 'CustomerBuyGoodsOnline') {
    return darajaErrors.invalidField('TransactionType');
  }
  const amountShillings = shillingsField(fields, 'Amount');
  if (amountShillings === undefined) return darajaErrors.invalidField('Amount');
  const partyA = textField(fields, 'PartyA');
  if (partyA === undefined || !isSafaricomMsisdn(partyA)) {
    return darajaErrors.invalidField('PartyA');
  }
  if (textField(fields, 'PartyB') !== shortcode) return darajaErrors.invalidField('PartyB');
  const phoneNumber = textField(fields, 'PhoneNumber');
  if (phoneNumber === undefined || !isSafaricomMsisdn(phoneNumber)) {
    return darajaErrors.invalidField('PhoneNumber');
  }
  const callbackUrl = textField(fields, 'CallBackURL');
  if (callbackUrl === undefined || !isHttpUrl(callbackUrl)) {
    return darajaErrors.invalidField('CallBackURL');
  }
  const accountReference = textField(fields, 'AccountReference');
  if (accountReference === undefined || accountReference.length > accountReferenceLengthMax) {
    return darajaErrors.invalidField('AccountReference');
  }
  const description = fields['TransactionDesc'];
  return {
    transactionType: type === 'CustomerBuyGoodsOnline' ? 'Buy Goods' : 'Pay Bill',
    amountShillings,
    phoneNumber,
    phonesAreNumbers: typeof fields['PartyA'] === 'number' &&
      typeof fields['PhoneNumber'] === 'number',
    callbackUrl,
    accountReference,
    transactionDescription: typeof description === 'string' ? description : '',
  };
}

/** How the push will end, including the gotchas Safaricom is known for. */
function chooseScenario(push: PushFields): PaymentScenario {
  // Phones sent as strings: Safaricom accepts the push, then it times out with 1037.
  if (!push.phonesAreNumbers) return { kind: 'timeout' };
  if (push.transactionDescription.length > transactionDescriptionLengthMax) {
    return { kind: 'result', resultCode: couldNotSendPromptResultCode };
  }
  return scenarioForPhone(push.phoneNumber);
}

/** POST /mpesa/stkpush/v1/processrequest */
export function stkPushRequest(context: EmulatorContext, body: unknown): DarajaReply {
  const fields = asFields(body);
  if (fields === undefined) return darajaErrors.invalidPayload();
  const shortcode = checkCredentials(context, fields);
  if (typeof shortcode !== 'string') return shortcode;
  const push = readPushFields(shortcode, fields);
  if ('statusCode' in push) return push;
  const now = context.clock.now();
  let checkoutRequestId = checkoutRequestIdentifier(now);
  while (context.state.stkRequests.has(checkoutRequestId)) {
    checkoutRequestId = checkoutRequestIdentifier(now);
  }
  const request: StkRequest = {
    checkoutRequestId, merchantRequestId: requestIdentifier(), shortcode,
    transactionType: push.transactionType, amount: money(push.amountShillings * 100n, 'KES'),
    phoneNumber: push.phoneNumber, accountReference: push.accountReference,
    callbackUrl: push.callbackUrl, scenario: chooseScenario(push), requestedAt: now,
    status: 'pending', resultCode: undefined, resultDescription: undefined,
    receiptNumber: undefined, completedAt: undefined,
  };
  remember(context.state.stkRequests, checkoutRequestId, request, stateLimits.stkRequestsMax);
  const { timing } = context.settings;
  if (request.scenario.kind === 'timeout') {
    context.tasks.later(timing.stkTimeoutMs, async () => {
      complete(context, request, timeoutResultCode);
    });
  } else {
    context.tasks.later(timing.stkCompletionDelayMs, () => answer(context, request));
  }
  const message = 'Success. Request accepted for processing';
  return reply({
    MerchantRequestID: request.merchantRequestId,
    CheckoutRequestID: checkoutRequestId,
    ResponseCode: '0',
    ResponseDescription: message,
    CustomerMessage: message,
  });
}

/** The payer has answered: the push completes, and its callback goes as the scenario says. */
async function answer(context: EmulatorContext, request: StkRequest): Promise<void> {
  const resultCode = request.scenario.kind === 'result' ? request.scenario.resultCode : 0;
  complete(context, request, resultCode);
  if (resultCode === 0 && context.settings.stkConfirmsC2b) {
    const registration = context.state.registrations.get(request.shortcode);
    const transaction = context.state.transactions.get(request.receiptNumber ?? '');
    if (registration !== undefined && transaction !== undefined) {
      await sendC2bConfirmation(context, registration, transaction, '',
        { kind: 'result', resultCode: 0 });
    }
  }
  await deliverByScenario(context, request.scenario,
    () => postCallback(context, 'stk-callback', request.callbackUrl, stkCallbackBody(request)),
    context.settings.timing.stkCompletionDelayMs);
}

function complete(context: EmulatorContext, request: StkRequest, resultCode: number): void {
  const now = context.clock.now();
  request.status = 'completed';
  request.resultCode = resultCode;
  request.resultDescription = resultDescription(resultCode);
  request.completedAt = now;
  if (resultCode !== 0) return;
  const transaction = bookTransaction(context, {
    transactionId: issueReceipt(context, now), channel: 'stk', shortcode: request.shortcode,
    transactionType: request.transactionType, amount: request.amount,
    msisdn: request.phoneNumber, billReference: request.accountReference,
    ...subscriberName(request.phoneNumber), initiatedAt: request.requestedAt, completedAt: now,
  });
  request.receiptNumber = transaction.transactionId;
}

/** The callback of daraja.md section 5; CallbackMetadata only on success. */
export function stkCallbackBody(request: StkRequest): unknown {
  const metadata = request.resultCode === 0 && request.completedAt !== undefined
    ? {
      CallbackMetadata: {
        Item: [
          { Name: 'Amount', Value: shillingsNumber(request.amount) },
          { Name: 'MpesaReceiptNumber', Value: request.receiptNumber },
          { Name: 'Balance' },
          { Name: 'TransactionDate', Value: Number(kenyaTimestamp(request.completedAt)) },
          { Name: 'PhoneNumber', Value: Number(request.phoneNumber) },
        ],
      },
    }
    : {};
  return {
    Body: {
      stkCallback: {
        MerchantRequestID: request.merchantRequestId,
        CheckoutRequestID: request.checkoutRequestId,
        ResultCode: request.resultCode,
        ResultDesc: request.resultDescription,
        ...metadata,
      },
    },
  };
}

/** POST /mpesa/stkpushquery/v1/query */
export function stkQueryRequest(context: EmulatorContext, body: unknown): DarajaReply {
  const fields = asFields(body);
  if (fields === undefined) return darajaErrors.invalidPayload();
  const shortcode = checkCredentials(context, fields);
  if (typeof shortcode !== 'string') return shortcode;
  const checkoutRequestId = textField(fields, 'CheckoutRequestID');
  const request = context.state.stkRequests.get(checkoutRequestId ?? '');
  if (request === undefined || request.shortcode !== shortcode) {
    return darajaErrors.invalidField('CheckoutRequestID');
  }
  if (request.status === 'pending') return darajaErrors.stillProcessing();
  return reply({
    // "successsfully": Safaricom's own spelling.
    ResponseCode: '0',
    ResponseDescription: 'The service request has been accepted successsfully',
    MerchantRequestID: request.merchantRequestId,
    CheckoutRequestID: request.checkoutRequestId,
    ResultCode: String(request.resultCode),
    ResultDesc: request.resultDescription,
  });
}
