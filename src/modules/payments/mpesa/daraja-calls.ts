/**
 * What every Daraja operation shares: the authorised call (retried once with a fresh token
 * when the gateway refuses the old one; it refuses before M-Pesa sees the request, so the
 * retry cannot pay twice), the STK credentials, and how answers become Results.
 */
import { err, ok } from '#platform/errors/index.ts';
import { darajaTimestamp, isHttpUrl, stkPassword } from './daraja-formats.ts';
import { exchange, textOf, type DarajaAnswer, type HttpSettings } from './daraja-http.ts';
import type { TokenSource } from './daraja-token.ts';
import type {
  DarajaClientOptions,
  DarajaFailure,
  DarajaOperation,
  DarajaResult,
} from './daraja-types.ts';

export type ClientContext = Readonly<{
  options: DarajaClientOptions;
  shortcodeNumber: bigint;
  call: (operation: DarajaOperation, path: string, body: unknown) =>
    Promise<DarajaResult<DarajaAnswer>>;
}>;

/** A token refused: HTTP 401, or Daraja's "Invalid Access Token" code whatever the status. */
function isStaleToken(failure: DarajaFailure): boolean {
  if (failure.kind === 'daraja') {
    return failure.status === 401 || failure.errorCode === '404.001.03';
  }
  return failure.kind === 'http' && failure.status === 401;
}

export function createCaller(http: HttpSettings, tokens: TokenSource): ClientContext['call'] {
  return async (operation, path, body) => {
    const send = (token: string) =>
      exchange(http, operation, { method: 'POST', path, authorization: `Bearer ${token}`, body });
    const token = await tokens.get();
    if (!token.ok) return token;
    const first = await send(token.value);
    if (first.ok || !isStaleToken(first.error)) return first;
    tokens.invalidate(token.value);
    const fresh = await tokens.get();
    return fresh.ok ? send(fresh.value) : fresh;
  };
}

/** A shortcode or phone number in an STK request, as the configured field types say. */
export function stkNumber(context: ClientContext, value: bigint): bigint | string {
  return context.options.stkFieldTypes === 'strings' ? value.toString() : value;
}

/** BusinessShortCode, Password and Timestamp, as STK push and query both need. */
export function stkCredentials(context: ClientContext): Readonly<Record<string, unknown>> {
  const { options } = context;
  const timestamp = darajaTimestamp(options.clock.now(), options.timestampZone ?? 'kenya');
  return {
    BusinessShortCode: stkNumber(context, context.shortcodeNumber),
    Password: stkPassword(options.shortcode, options.passkey, timestamp),
    Timestamp: timestamp,
  };
}

export function invalid<T>(operation: DarajaOperation, field: string, message: string):
  DarajaResult<T> {
  return err({ kind: 'invalid-request', operation, field, message });
}

export function unexpected<T>(operation: DarajaOperation, answer: DarajaAnswer, message: string):
  DarajaResult<T> {
  return err({ kind: 'unexpected-response', operation, status: answer.status, message });
}

/** A 200 with ResponseCode other than "0" is a refusal, reported like Daraja's errors. */
export function accepted(
  operation: DarajaOperation,
  answer: DarajaResult<DarajaAnswer>,
): DarajaResult<DarajaAnswer> {
  if (!answer.ok) return answer;
  const code = textOf(answer.value.fields, 'ResponseCode');
  if (code === '0') return answer;
  return err({ kind: 'daraja', operation, status: answer.value.status, errorCode: code ?? '',
    errorMessage: textOf(answer.value.fields, 'ResponseDescription') ?? '',
    requestId: undefined });
}

/** The acknowledgement of register URL and simulate. */
export function acknowledgement(
  operation: DarajaOperation,
  answer: DarajaResult<DarajaAnswer>,
): DarajaResult<Readonly<{ conversationId: string; responseDescription: string }>> {
  const checked = accepted(operation, answer);
  if (!checked.ok) return checked;
  // "OriginatorCoversationID" is Safaricom's spelling; the corrected one is taken too.
  const fields = checked.value.fields;
  return ok({
    conversationId: textOf(fields, 'OriginatorCoversationID') ??
      textOf(fields, 'OriginatorConversationID') ?? '',
    responseDescription: textOf(fields, 'ResponseDescription') ?? '',
  });
}

export function checkUrls(
  operation: DarajaOperation,
  urls: Readonly<Record<string, string>>,
): DarajaResult<true> {
  for (const [field, url] of Object.entries(urls)) {
    if (!isHttpUrl(url)) {
      return invalid(operation, field, 'not an http(s) URL');
    }
  }
  return ok(true);
}
