/**
 * Daraja's synchronous answers and request checks. Errors are Daraja's own envelope,
 * {requestId, errorCode, errorMessage}, never problem+json: the emulator must fail exactly
 * as Safaricom does, so the client's error handling is tested against the real shapes.
 */
import { requestIdentifier } from './emulator-formats.ts';

export type DarajaReply = Readonly<{ statusCode: number; body: unknown }>;

export function reply(body: unknown, statusCode = 200): DarajaReply {
  return { statusCode, body };
}

/** The HTTP status of a Daraja error; an invalid token is 401 whatever its code says. */
function statusOf(errorCode: string): number {
  if (errorCode.startsWith('404.001.')) return 401;
  const status = Number(errorCode.slice(0, 3));
  return status >= 400 && status <= 599 ? status : 400;
}

export function darajaError(errorCode: string, errorMessage: string): DarajaReply {
  return reply({ requestId: requestIdentifier(), errorCode, errorMessage }, statusOf(errorCode));
}

export const darajaErrors = {
  invalidAccessToken: () => darajaError('404.001.03', 'Invalid Access Token'),
  invalidAuthenticationHeader: () => darajaError('404.001.04', 'Invalid Authentication Header'),
  invalidAuthentication: () => darajaError('400.008.01', 'Invalid Authentication passed'),
  invalidGrantType: () => darajaError('400.008.02', 'Invalid grant type passed'),
  invalidPayload: () => darajaError('400.002.05', 'Invalid Request Payload'),
  invalidField: (field: string) => darajaError('400.002.02', `Bad Request - Invalid ${field}`),
  wrongCredentials: () => darajaError('500.001.1001', 'Wrong credentials'),
  merchantDoesNotExist: () => darajaError('500.001.1001', 'Merchant does not exist'),
  /** STK query while the payer has not answered yet: pending, not failed. */
  stillProcessing: () => darajaError('500.001.1001', 'The transaction is being processed'),
} as const;

export type Fields = Readonly<Record<string, unknown>>;

export function asFields(body: unknown): Fields | undefined {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? body as Fields : undefined;
}

/** A string field, or a number Daraja also accepts in its place (ShortCode: 600000). */
export function textField(fields: Fields, name: string): string | undefined {
  const value = fields[name];
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
    return String(value);
  }
  return undefined;
}

/** A whole, positive number of shillings, as a JSON number or a digit string. */
export function shillingsField(fields: Fields, name: string): bigint | undefined {
  const value = fields[name];
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return BigInt(value);
  if (typeof value === 'string' && /^[1-9]\d{0,11}$/.test(value)) return BigInt(value);
  return undefined;
}

/** 2547XXXXXXXX or 2541XXXXXXXX: a Safaricom number in international form. */
export function isSafaricomMsisdn(text: string): boolean {
  return /^254[17]\d{8}$/.test(text);
}

/**
 * Safaricom's rules for registered C2B URLs: public HTTPS; no localhost, mockbin or
 * requestbin; no "M-Pesa" or "Safaricom" in any spelling; and, by one integrator's account,
 * none of "exe", "exec", "cmd", "SQL", "query".
 */
export function breaksCallbackUrlRules(text: string): boolean {
  if (!URL.canParse(text)) return true;
  const url = new URL(text);
  const host = url.hostname.toLowerCase();
  const local = host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' ||
    /^(127|10|0)\.|^192\.168\.|^172\.(1[6-9]|2\d|3[01])\./.test(host);
  return url.protocol !== 'https:' || local || /mockbin|requestbin/i.test(host) ||
    /m[\W_]*pesa|safaricom|exe|cmd|sql|query/i.test(text);
}

export function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const protocol = new URL(text).protocol;
  return protocol === 'http:' || protocol === 'https:';
}
