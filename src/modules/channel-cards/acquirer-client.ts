/**
 * The card acquirer's server-to-server API (docs/card-emulator.md): create a hosted payment
 * session, query it, ask for a refund. Bearer key; every create carries an Idempotency-Key, so
 * a retry makes nothing twice. Answers are checked before use; the raw text of a session query
 * is returned too, so payments can keep it verbatim. Amounts are strings of minor units.
 */
import type { Currency } from '#platform/money/index.ts';

export type AcquirerConfig = Readonly<{
  acquirerBaseUrl: string;
  secretKey: string;
}>;

export type AcquirerFetch = typeof fetch;

export type SessionRequest = Readonly<{
  merchantReference: string;
  amountMinor: bigint;
  currency: Currency;
  description: string;
  returnUrl: string;
  notificationUrl: string;
}>;

export type CreatedSession = Readonly<{
  sessionId: string;
  hostedUrl: string;
  expiresAt: Date;
}>;

export type SessionStatus = 'open' | 'succeeded' | 'failed' | 'expired';

/** What a session query says (never a card number: the acquirer keeps only brand and last4). */
export type SessionState = Readonly<{
  sessionId: string;
  merchantReference: string;
  amountMinor: bigint;
  currency: Currency;
  status: SessionStatus;
  failureCode: string | undefined;
  paymentId: string | undefined;
  paidAt: Date | undefined;
}>;

export type AcquirerReply<T> =
  | Readonly<{ ok: true; value: T; rawText: string }>
  | Readonly<{ ok: false; reason: string; status: number | undefined }>;

const timeoutMs = 10_000;
const amountPattern = /^[1-9][0-9]{0,14}$/;
const idPattern = /^[A-Za-z0-9_-]{4,100}$/;
const failureCodePattern = /^[a-z_]{1,64}$/;

type Json = Readonly<Record<string, unknown>>;

async function call(
  config: AcquirerConfig,
  fetcher: AcquirerFetch,
  request: Readonly<{ method: 'GET' | 'POST'; path: string; idempotencyKey?: string;
    body?: Json }>,
): Promise<AcquirerReply<Json>> {
  const headers: Record<string, string> = { authorization: `Bearer ${config.secretKey}`,
    accept: 'application/json' };
  if (request.idempotencyKey !== undefined) headers['idempotency-key'] = request.idempotencyKey;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  let text: string;
  try {
    response = await fetcher(`${config.acquirerBaseUrl}${request.path}`, {
      method: request.method, headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    return { ok: false, reason: `acquirer unreachable: ${(error as Error).name}`,
      status: undefined };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    parsed = undefined;
  }
  if (!response.ok || typeof parsed !== 'object' || parsed === null) {
    const code = typeof parsed === 'object' && parsed !== null
      ? String((parsed as Json).error ?? '') : '';
    return { ok: false, reason: `acquirer answered ${response.status} ${code}`.trim(),
      status: response.status };
  }
  return { ok: true, value: parsed as Json, rawText: text };
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

function date(value: unknown): Date | undefined {
  const written = text(value);
  if (written === undefined) return undefined;
  const parsed = new Date(written);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

export function readCurrency(value: unknown): Currency | undefined {
  return value === 'KES' || value === 'USD' ? value : undefined;
}

/** A positive amount of minor units written as digits; undefined otherwise. */
export function readAmount(value: unknown): bigint | undefined {
  const written = text(value);
  return written !== undefined && amountPattern.test(written) ? BigInt(written) : undefined;
}

export function readId(value: unknown): string | undefined {
  const written = text(value);
  return written !== undefined && idPattern.test(written) ? written : undefined;
}

export function readFailureCode(value: unknown): string | undefined {
  const written = text(value);
  return written !== undefined && failureCodePattern.test(written) ? written : undefined;
}

export async function createSession(
  config: AcquirerConfig,
  fetcher: AcquirerFetch,
  idempotencyKey: string,
  request: SessionRequest,
): Promise<AcquirerReply<CreatedSession>> {
  const reply = await call(config, fetcher, { method: 'POST', path: '/v1/sessions',
    idempotencyKey, body: { ...request, amountMinor: request.amountMinor.toString() } });
  if (!reply.ok) return reply;
  const sessionId = readId(reply.value.sessionId);
  const hostedUrl = text(reply.value.hostedUrl);
  const expiresAt = date(reply.value.expiresAt);
  if (sessionId === undefined || hostedUrl === undefined || !/^https?:\/\//.test(hostedUrl) ||
    expiresAt === undefined) {
    return { ok: false, reason: 'acquirer session answer not understood', status: undefined };
  }
  return { ok: true, value: { sessionId, hostedUrl, expiresAt }, rawText: reply.rawText };
}

const statuses: readonly SessionStatus[] = ['open', 'succeeded', 'failed', 'expired'];

/** Reads a session as the acquirer describes it (a query answer); undefined if not one. */
export function readSessionState(value: Json): SessionState | undefined {
  const sessionId = readId(value.sessionId);
  const amountMinor = readAmount(value.amountMinor);
  const currency = readCurrency(value.currency);
  const status = statuses.find((candidate) => candidate === value.status);
  const merchantReference = text(value.merchantReference);
  if (sessionId === undefined || amountMinor === undefined || currency === undefined ||
    status === undefined || merchantReference === undefined) return undefined;
  const paymentId = readId(value.paymentId);
  if (status === 'succeeded' && paymentId === undefined) return undefined;
  return { sessionId, merchantReference, amountMinor, currency, status,
    failureCode: readFailureCode(value.failureCode), paymentId, paidAt: date(value.paidAt) };
}

export async function querySession(
  config: AcquirerConfig,
  fetcher: AcquirerFetch,
  sessionId: string,
): Promise<AcquirerReply<SessionState>> {
  const reply = await call(config, fetcher,
    { method: 'GET', path: `/v1/sessions/${encodeURIComponent(sessionId)}` });
  if (!reply.ok) return reply;
  const state = readSessionState(reply.value);
  if (state === undefined) {
    return { ok: false, reason: 'acquirer session answer not understood', status: undefined };
  }
  return { ok: true, value: state, rawText: reply.rawText };
}

export type RefundRequest = Readonly<{
  paymentId: string;
  amountMinor: bigint;
  currency: Currency;
  merchantRefundReference: string;
}>;

export async function createRefund(
  config: AcquirerConfig,
  fetcher: AcquirerFetch,
  idempotencyKey: string,
  request: RefundRequest,
): Promise<AcquirerReply<Readonly<{ refundId: string }>>> {
  const reply = await call(config, fetcher, { method: 'POST', path: '/v1/refunds',
    idempotencyKey, body: { ...request, amountMinor: request.amountMinor.toString() } });
  if (!reply.ok) return reply;
  const refundId = readId(reply.value.refundId);
  if (refundId === undefined) {
    return { ok: false, reason: 'acquirer refund answer not understood', status: undefined };
  }
  return { ok: true, value: { refundId }, rawText: reply.rawText };
}
