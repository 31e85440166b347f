/**
 * One HTTP exchange with Daraja: a time limit on the whole of it (AbortSignal.timeout), JSON
 * out with bigints as exact JSON numbers, and every way it can go wrong named (DarajaFailure).
 */
import { err, ok } from '#platform/errors/index.ts';
import type { DarajaOperation, DarajaResult } from './daraja-types.ts';

export type HttpSettings = Readonly<{ baseUrl: string; timeoutMs: number; fetch: typeof fetch }>;

export type DarajaAnswer = Readonly<{ status: number; fields: Readonly<Record<string, unknown>> }>;

/** Bodies quoted in failures are cut to this: enough to diagnose, never a whole page. */
const quotedBodyLengthMax = 500;

// JSON.rawJSON (ES2025) writes a bigint as a JSON number without going through a float.
const rawJson = (JSON as unknown as { rawJSON: (text: string) => unknown }).rawJSON;

/** JSON text where bigint values (amounts, phone numbers) become exact JSON numbers. */
export function darajaJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? rawJson(item.toString()) : item);
}

export type DarajaRequest = Readonly<{
  method: 'GET' | 'POST';
  path: string;
  authorization: string;
  body?: unknown;
}>;

export async function exchange(
  settings: HttpSettings,
  operation: DarajaOperation,
  request: DarajaRequest,
): Promise<DarajaResult<DarajaAnswer>> {
  let status: number;
  let text: string;
  try {
    const response = await settings.fetch(`${settings.baseUrl}${request.path}`, {
      method: request.method,
      headers: {
        authorization: request.authorization,
        accept: 'application/json',
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(request.body === undefined ? {} : { body: darajaJson(request.body) }),
      // One limit for connecting, waiting and reading the body.
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return err({ kind: 'timeout', operation, timeoutMs: settings.timeoutMs });
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    return err({ kind: 'network', operation,
      message: cause instanceof Error ? cause.message : String(cause) });
  }
  return interpret(operation, status, text);
}

function interpret(
  operation: DarajaOperation,
  status: number,
  text: string,
): DarajaResult<DarajaAnswer> {
  const quoted = text.slice(0, quotedBodyLengthMax);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const fields = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? parsed as Readonly<Record<string, unknown>> : undefined;
  const errorCode = fields?.['errorCode'];
  if (fields !== undefined && (typeof errorCode === 'string' || typeof errorCode === 'number')) {
    const requestId = fields['requestId'];
    return err({
      kind: 'daraja', operation, status, errorCode: String(errorCode),
      errorMessage: String(fields['errorMessage'] ?? ''),
      requestId: typeof requestId === 'string' ? requestId : undefined,
    });
  }
  if (status < 200 || status > 299) return err({ kind: 'http', operation, status, body: quoted });
  if (fields === undefined) {
    return err({ kind: 'unexpected-response', operation, status,
      message: `not a JSON object: ${quoted}` });
  }
  return ok({ status, fields });
}

/** A field Daraja sends as a string or a number, as text. */
export function textOf(fields: Readonly<Record<string, unknown>>, name: string):
  string | undefined {
  const value = fields[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
