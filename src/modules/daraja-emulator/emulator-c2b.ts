/**
 * C2B (paybill): register URL, and a payment that M-Pesa first offers to the validation URL
 * (waiting at most 8 s, then ResponseType decides), books if accepted, then confirms to the
 * confirmation URL, once, with the payload of daraja.md section 3.
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
import {
  hashMsisdn,
  kenyaTimestamp,
  maskMsisdn,
  requestIdentifier,
  shillingsText,
  subscriberName,
} from './emulator-formats.ts';
import {
  asFields,
  breaksCallbackUrlRules,
  darajaErrors,
  isHttpUrl,
  isSafaricomMsisdn,
  reply,
  shillingsField,
  textField,
  type DarajaReply,
} from './emulator-replies.ts';
import { scenarioForPhone, type PaymentScenario } from './emulator-scenarios.ts';
import {
  remember,
  stateLimits,
  type C2bAttempt,
  type C2bRegistration,
  type DarajaApiVersion,
  type EmulatedTransaction,
} from './emulator-state.ts';

export type C2bCommand = 'CustomerPayBillOnline' | 'CustomerBuyGoodsOnline';

export type C2bPaymentInput = Readonly<{
  shortcode: string;
  commandId: C2bCommand;
  amountShillings: bigint;
  msisdn: string;
  billReference: string;
}>;

export type C2bOutcome = Readonly<{
  originatorConversationId: string;
  transactionId: string;
  status: 'completed' | 'rejected';
  /** Why: the validation ResultCode, or how it was decided without an answer. */
  decision: string;
  transaction: EmulatedTransaction | undefined;
}>;

const billReferenceLengthMax = 100;

export function registerC2bUrls(
  context: EmulatorContext,
  body: unknown,
  version: DarajaApiVersion,
): DarajaReply {
  const fields = asFields(body);
  if (fields === undefined) return darajaErrors.invalidPayload();
  const shortcode = textField(fields, 'ShortCode');
  if (shortcode === undefined || findShortcode(context, shortcode) === undefined) {
    return darajaErrors.invalidField('ShortCode');
  }
  // Case-exact, as Safaricom checks it.
  const responseType = fields['ResponseType'];
  if (responseType !== 'Completed' && responseType !== 'Cancelled') {
    return darajaErrors.invalidField('ResponseType');
  }
  const strict = context.settings.callbackUrlRules === 'safaricom';
  const acceptable = (url: string | undefined): url is string =>
    url !== undefined && isHttpUrl(url) && !(strict && breaksCallbackUrlRules(url));
  const confirmationUrl = textField(fields, 'ConfirmationURL');
  if (!acceptable(confirmationUrl)) return darajaErrors.invalidField('ConfirmationURL');
  const validationUrl = textField(fields, 'ValidationURL');
  if (!acceptable(validationUrl)) return darajaErrors.invalidField('ValidationURL');
  context.state.registrations.set(shortcode, {
    shortcode, responseType, confirmationUrl, validationUrl, version,
    registeredAt: context.clock.now(),
  });
  // "Coversation": Safaricom's own spelling.
  return reply({
    OriginatorCoversationID: requestIdentifier(), ResponseCode: '0', ResponseDescription: 'success',
  });
}

export function parseC2bSimulation(
  context: EmulatorContext,
  body: unknown,
): C2bPaymentInput | DarajaReply {
  const fields = asFields(body);
  if (fields === undefined) return darajaErrors.invalidPayload();
  const shortcode = textField(fields, 'ShortCode');
  if (shortcode === undefined || findShortcode(context, shortcode) === undefined) {
    return darajaErrors.invalidField('ShortCode');
  }
  const commandId = fields['CommandID'];
  if (commandId !== 'CustomerPayBillOnline' && commandId !== 'CustomerBuyGoodsOnline') {
    return darajaErrors.invalidField('CommandID');
  }
  const amountShillings = shillingsField(fields, 'Amount');
  if (amountShillings === undefined) return darajaErrors.invalidField('Amount');
  const msisdn = textField(fields, 'Msisdn');
  if (msisdn === undefined || !isSafaricomMsisdn(msisdn)) {
    return darajaErrors.invalidField('Msisdn');
  }
  const billReference = fields['BillRefNumber'] ?? '';
  if (typeof billReference !== 'string' || billReference.length > billReferenceLengthMax) {
    return darajaErrors.invalidField('BillRefNumber');
  }
  return { shortcode, commandId, amountShillings, msisdn, billReference };
}

/** POST .../c2b/v1/simulate: answers at once; the payment runs on in the background. */
export function simulateC2bRequest(context: EmulatorContext, body: unknown): DarajaReply {
  const parsed = parseC2bSimulation(context, body);
  if ('statusCode' in parsed) return parsed;
  const originatorConversationId = requestIdentifier();
  context.tasks.track(runC2bPayment(context, parsed, originatorConversationId))
    .catch((error: unknown) => context.logger?.error({ err: error }, 'emulated C2B failed'));
  return reply({
    OriginatorCoversationID: originatorConversationId,
    ResponseCode: '0',
    ResponseDescription: 'Accept the service request successfully.',
  });
}

type Decision = Readonly<{ accepted: boolean; decision: string; thirdPartyTransId: string }>;

/** Runs one paybill payment: validation, booking, confirmation. */
export async function runC2bPayment(
  context: EmulatorContext,
  input: C2bPaymentInput,
  originatorConversationId: string = requestIdentifier(),
): Promise<C2bOutcome> {
  const now = context.clock.now();
  const transactionId = issueReceipt(context, now);
  const amount = money(input.amountShillings * 100n, 'KES');
  const attempt: C2bAttempt = {
    originatorConversationId, transactionId, shortcode: input.shortcode, amount,
    billReference: input.billReference, status: 'validating', decision: undefined,
  };
  remember(context.state.c2bAttempts, originatorConversationId, attempt,
    stateLimits.c2bAttemptsMax);
  const registration = context.state.registrations.get(input.shortcode);
  const pending: EmulatedTransaction = {
    transactionId, channel: 'c2b', shortcode: input.shortcode,
    transactionType: input.commandId === 'CustomerBuyGoodsOnline' ? 'Buy Goods' : 'Pay Bill',
    amount, msisdn: input.msisdn, billReference: input.billReference,
    ...subscriberName(input.msisdn), initiatedAt: now, completedAt: now,
    balanceAfter: amount, sequence: 0,
  };
  let decision: Decision = { accepted: true, decision: 'no validation', thirdPartyTransId: '' };
  if (registration !== undefined && context.settings.externalValidation) {
    decision = await validate(context, registration, pending);
  }
  attempt.decision = decision.decision;
  if (!decision.accepted) {
    attempt.status = 'rejected';
    return { originatorConversationId, transactionId, status: 'rejected',
      decision: decision.decision, transaction: undefined };
  }
  const transaction = bookTransaction(context, { ...pending, completedAt: context.clock.now() });
  attempt.status = 'completed';
  if (registration !== undefined) {
    await sendC2bConfirmation(context, registration, transaction, decision.thirdPartyTransId,
      deliveryScenario(scenarioForPhone(input.msisdn)));
  }
  return { originatorConversationId, transactionId, status: 'completed',
    decision: decision.decision, transaction };
}

/** For C2B only the delivery scenarios apply: the payer chose to pay. */
function deliveryScenario(scenario: PaymentScenario): PaymentScenario {
  return scenario.kind === 'result' || scenario.kind === 'timeout'
    ? { kind: 'result', resultCode: 0 } : scenario;
}

export async function sendC2bConfirmation(
  context: EmulatorContext,
  registration: C2bRegistration,
  transaction: EmulatedTransaction,
  thirdPartyTransId: string,
  scenario: PaymentScenario,
): Promise<void> {
  const body = c2bPayload(context, registration, transaction, {
    orgAccountBalance: shillingsText(transaction.balanceAfter), thirdPartyTransId,
  });
  await deliverByScenario(context, scenario,
    () => postCallback(context, 'c2b-confirmation', registration.confirmationUrl, body));
}

async function validate(
  context: EmulatorContext,
  registration: C2bRegistration,
  transaction: EmulatedTransaction,
): Promise<Decision> {
  const body = c2bPayload(context, registration, transaction,
    { orgAccountBalance: '', thirdPartyTransId: '' });
  const outcome = await postCallback(context, 'c2b-validation', registration.validationUrl, body,
    context.settings.timing.validationTimeoutMs);
  const answer = outcome.delivered && outcome.status >= 200 && outcome.status < 300
    ? parseObject(outcome.responseBody) : undefined;
  const resultCode = answer?.['ResultCode'];
  if (typeof resultCode !== 'string' && typeof resultCode !== 'number') {
    // No usable answer in time: M-Pesa does what ResponseType says.
    const accepted = registration.responseType === 'Completed';
    return { accepted, decision: `no answer: ResponseType ${registration.responseType}`,
      thirdPartyTransId: '' };
  }
  const thirdParty = answer?.['ThirdPartyTransID'];
  return {
    accepted: String(resultCode) === '0',
    decision: String(resultCode),
    thirdPartyTransId: typeof thirdParty === 'string' ? thirdParty : '',
  };
}

function parseObject(text: string): Readonly<Record<string, unknown>> | undefined {
  try {
    return asFields(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** The validation and confirmation payload (the same shape for both). */
export function c2bPayload(
  context: EmulatorContext,
  registration: C2bRegistration,
  transaction: EmulatedTransaction,
  extra: Readonly<{ orgAccountBalance: string; thirdPartyTransId: string }>,
): Readonly<Record<string, string>> {
  const privacy = context.settings.msisdnPrivacy;
  const hashed = privacy === 'hashed' ||
    (privacy === 'by-version' && registration.version === 'v1');
  return {
    TransactionType: transaction.transactionType,
    TransID: transaction.transactionId,
    TransTime: kenyaTimestamp(transaction.completedAt),
    TransAmount: shillingsText(transaction.amount),
    BusinessShortCode: transaction.shortcode,
    BillRefNumber: transaction.billReference,
    InvoiceNumber: '',
    OrgAccountBalance: extra.orgAccountBalance,
    ThirdPartyTransID: extra.thirdPartyTransId,
    MSISDN: hashed ? hashMsisdn(transaction.msisdn) : maskMsisdn(transaction.msisdn),
    FirstName: transaction.firstName,
    MiddleName: transaction.middleName,
    LastName: transaction.lastName,
  };
}
