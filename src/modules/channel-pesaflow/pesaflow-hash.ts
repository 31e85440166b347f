/**
 * The legacy gateway's hashes, pure (docs/pesaflow.md): the checkout's secureHash, the status
 * query's secure_hash and the IPN's signature. Each is HMAC-SHA256 keyed with the client's
 * apiKey over concatenated fields, then base64 of either the lowercase hex digest (the official
 * PHP sample, 'hex-base64') or the raw digest ('raw-base64'): a per-client setting.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const hashEncodings = ['hex-base64', 'raw-base64'] as const;
export type HashEncoding = (typeof hashEncodings)[number];

export const ipnRecipes = ['invoice-amount', 'ref-invoice-amount-date'] as const;
export type IpnRecipe = (typeof ipnRecipes)[number];

export function isHashEncoding(value: string): value is HashEncoding {
  return (hashEncodings as readonly string[]).includes(value);
}

export function isIpnRecipe(value: string): value is IpnRecipe {
  return (ipnRecipes as readonly string[]).includes(value);
}

/** base64 of HMAC-SHA256(key, message), encoded as the client expects. */
export function pesaflowHmac(key: string, message: string, encoding: HashEncoding): string {
  const hmac = createHmac('sha256', key).update(message, 'utf8');
  return encoding === 'hex-base64'
    ? Buffer.from(hmac.digest('hex'), 'utf8').toString('base64')
    : hmac.digest('base64');
}

/** The fields the checkout's secureHash covers, as the client sent them. */
export type CheckoutHashFields = Readonly<{
  apiClientID: string; amountExpected: string; serviceID: string; clientIDNumber: string;
  currency: string; billRefNumber: string; billDesc: string; clientName: string;
}>;

export function checkoutHashMessage(fields: CheckoutHashFields, secret: string): string {
  return fields.apiClientID + fields.amountExpected + fields.serviceID + fields.clientIDNumber +
    fields.currency + fields.billRefNumber + fields.billDesc + fields.clientName + secret;
}

/** Compares two hashes in constant time (a different length is simply unequal). */
export function sameHash(given: string, expected: string): boolean {
  const left = Buffer.from(given, 'utf8');
  const right = Buffer.from(expected, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

export type ClientKeys = Readonly<{ apiKey: string; secret: string; encoding: HashEncoding }>;

export function checkoutHashMatches(keys: ClientKeys, fields: CheckoutHashFields,
  given: string): boolean {
  return sameHash(given,
    pesaflowHmac(keys.apiKey, checkoutHashMessage(fields, keys.secret), keys.encoding));
}

/** secure_hash of the status query: HMAC(apiKey, api_client_id + ref_no). */
export function statusHash(keys: ClientKeys, apiClientId: string, refNo: string): string {
  return pesaflowHmac(keys.apiKey, apiClientId + refNo, keys.encoding);
}

export type IpnSignedFields = Readonly<{
  client_invoice_ref: string; invoice_number: string; amount_paid: string; payment_date: string;
}>;

/** What the IPN's signature signs, by the client's recipe. */
export function ipnMessage(recipe: IpnRecipe, fields: IpnSignedFields, secret: string): string {
  return recipe === 'invoice-amount'
    ? fields.invoice_number + fields.amount_paid + secret
    : fields.client_invoice_ref + fields.invoice_number + fields.amount_paid +
      fields.payment_date + secret;
}

export function ipnSignature(keys: ClientKeys & Readonly<{ recipe: IpnRecipe }>,
  fields: IpnSignedFields): string {
  return pesaflowHmac(keys.apiKey, ipnMessage(keys.recipe, fields, keys.secret), keys.encoding);
}
