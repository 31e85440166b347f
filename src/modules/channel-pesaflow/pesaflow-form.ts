/**
 * The checkout form read strictly, as the legacy gateway does: its keys are case-sensitive
 * camelCase, a key it does not know (e.g. callBackURLONSuccess) or a required one missing is
 * PESAFLOW_FIELDS_INVALID (422), naming the key. Values are single strings within limits.
 */
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import type { CheckoutRequest } from './pesaflow-checkout.ts';

type FieldRule = Readonly<{ required: boolean; min: number; max: number; pattern?: RegExp }>;

const text = (max: number, min = 1): FieldRule => ({ required: true, min, max });
const url: FieldRule = { required: true, min: 8, max: 500, pattern: /^https?:\/\/\S+$/ };
const optional = (rule: FieldRule): FieldRule => ({ ...rule, required: false });

/** Every key of the protocol's checkout form, with its limits. */
export const checkoutFields: Readonly<Record<string, FieldRule>> = {
  apiClientID: { required: true, min: 1, max: 12, pattern: /^[0-9]+$/ },
  serviceID: text(80),
  billDesc: text(200),
  currency: { required: true, min: 3, max: 3, pattern: /^[A-Z]{3}$/ },
  billRefNumber: { required: true, min: 1, max: 64, pattern: /^[\x21-\x7e]+$/ },
  clientMSISDN: optional({ required: false, min: 0, max: 15, pattern: /^(\+?[0-9]{9,14})?$/ }),
  clientName: text(100),
  clientIDNumber: text(30, 0),
  clientEmail: optional(text(200, 0)),
  amountExpected: { required: true, min: 1, max: 20, pattern: /^[0-9]+(\.[0-9]{1,2})?$/ },
  callBackURLOnSuccess: url,
  callBackURLOnFailure: optional(url),
  callBackURLOnTimeout: optional(url),
  notificationURL: url,
  pictureURL: optional(url),
  format: optional({ required: false, min: 4, max: 6, pattern: /^(iframe|json)$/ }),
  sendSTK: optional({ required: false, min: 4, max: 5, pattern: /^(true|false)$/ }),
  secureHash: text(200),
};

export type CheckoutForm = Readonly<{
  request: CheckoutRequest;
  format: 'iframe' | 'json';
  /** The phone the STK prompt goes to when sendSTK=true. */
  sendStkTo: string | undefined;
}>;

function fieldProblem(name: string, value: unknown): string | undefined {
  const rule = checkoutFields[name];
  if (rule === undefined) return `${name} is not a field of the checkout (keys are case-sensitive)`;
  if (typeof value !== 'string') return `${name} must be given once, as text`;
  // An optional field sent empty (as integrators' forms do) is as if absent.
  if (!rule.required && value === '') return undefined;
  // The route skips the platform's input guard (provider-callback): control characters
  // (NUL would fail in the database) are refused here.
  if (/[\u0000-\u001f\u007f]/.test(value)) return `${name} must not hold control characters`;
  if (value.length < rule.min || value.length > rule.max) {
    return `${name} must be ${rule.min} to ${rule.max} characters`;
  }
  if (rule.pattern !== undefined && value !== '' && !rule.pattern.test(value)) {
    return `${name} is not in the expected form`;
  }
  return undefined;
}

export function readCheckoutForm(body: Readonly<Record<string, unknown>>):
  Result<CheckoutForm, Failure<'PESAFLOW_FIELDS_INVALID'>> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    const problem = fieldProblem(name, value);
    if (problem !== undefined) {
      return err(failure('PESAFLOW_FIELDS_INVALID', problem, { [name]: problem }));
    }
    fields[name] = value as string;
  }
  for (const [name, rule] of Object.entries(checkoutFields)) {
    if (rule.required && fields[name] === undefined) {
      return err(failure('PESAFLOW_FIELDS_INVALID', `${name} is required`,
        { [name]: 'required' }));
    }
  }
  const field = (name: string): string => fields[name] ?? '';
  const optionalField = (name: string): string | undefined => fields[name] === '' ? undefined
    : fields[name];
  const msisdn = optionalField('clientMSISDN');
  if (fields.sendSTK === 'true' && msisdn === undefined) {
    return err(failure('PESAFLOW_FIELDS_INVALID', 'sendSTK=true needs clientMSISDN',
      { clientMSISDN: 'required' }));
  }
  return ok({
    request: { apiClientID: field('apiClientID'), serviceID: field('serviceID'),
      billDesc: field('billDesc'), currency: field('currency'),
      billRefNumber: field('billRefNumber'), clientName: field('clientName'),
      clientIDNumber: field('clientIDNumber'), amountExpected: field('amountExpected'),
      notificationURL: field('notificationURL'),
      callBackURLOnSuccess: field('callBackURLOnSuccess'),
      callBackURLOnFailure: optionalField('callBackURLOnFailure'),
      callBackURLOnTimeout: optionalField('callBackURLOnTimeout'),
      secureHash: field('secureHash') },
    format: fields.format === 'json' ? 'json' : 'iframe',
    sendStkTo: fields.sendSTK === 'true' ? msisdn : undefined,
  });
}
