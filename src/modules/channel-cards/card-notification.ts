/**
 * The acquirer's notifications (docs/card-emulator.md): the Card-Signature check on the raw
 * body (HMAC-SHA256 of `${t}.${rawBody}` with our notification secret, t within 300 s of our
 * clock), then the event read. Pure, no I/O.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Currency } from '#platform/money/index.ts';
import { readAmount, readCurrency, readFailureCode, readId } from './acquirer-client.ts';

export const signatureToleranceSeconds = 300;

export type SignatureVerdict = Readonly<{ ok: true }> | Readonly<{ ok: false; reason: string }>;

/**
 * Whether `header` signs `rawBody` with `secret` at a time near `now`. Several v1 values may be
 * given (a key being rotated): one matching is enough.
 */
export function verifyCardSignature(
  header: string | undefined,
  rawBody: Uint8Array,
  secret: string,
  now: Date,
): SignatureVerdict {
  if (header === undefined || header === '') return { ok: false, reason: 'no Card-Signature' };
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [name, value = ''] = part.trim().split('=', 2);
    if (name === 't') timestamp = value;
    if (name === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || !/^[0-9]{1,12}$/.test(timestamp) || signatures.length === 0) {
    return { ok: false, reason: 'Card-Signature not understood' };
  }
  const ageSeconds = Math.abs(Math.floor(now.getTime() / 1000) - Number.parseInt(timestamp, 10));
  if (ageSeconds > signatureToleranceSeconds) {
    return { ok: false, reason: 'Card-Signature time outside the tolerance' };
  }
  const expected = createHmac('sha256', secret).update(`${timestamp}.`, 'utf8')
    .update(rawBody).digest();
  const matches = signatures.some((signature) =>
    timingSafeEqual(Buffer.from(signature, 'hex'), expected));
  return matches ? { ok: true } : { ok: false, reason: 'Card-Signature does not match' };
}

export type CardEvent =
  | Readonly<{ type: 'payment.succeeded'; eventId: string; sessionId: string;
    merchantReference: string; amountMinor: bigint; currency: Currency; paymentId: string;
    occurredAt: Date }>
  | Readonly<{ type: 'payment.failed'; eventId: string; sessionId: string;
    failureCode: string }>
  | Readonly<{ type: 'refund.succeeded' | 'refund.failed'; eventId: string; refundId: string;
    paymentId: string | undefined; failureCode: string | undefined }>;

type Json = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The event in a notification body; undefined when it is not one we understand. */
export function parseCardEvent(rawText: string): CardEvent | undefined {
  let body: unknown;
  try {
    body = JSON.parse(rawText) as unknown;
  } catch {
    return undefined;
  }
  if (!isObject(body) || !isObject(body.data)) return undefined;
  const eventId = readId(body.eventId);
  const occurredAt = typeof body.occurredAt === 'string' ? new Date(body.occurredAt) : undefined;
  if (eventId === undefined || occurredAt === undefined || Number.isNaN(occurredAt.getTime())) {
    return undefined;
  }
  const { data } = body;
  const sessionId = readId(data.sessionId);
  switch (body.type) {
    case 'payment.succeeded': {
      const amountMinor = readAmount(data.amountMinor);
      const currency = readCurrency(data.currency);
      const paymentId = readId(data.paymentId);
      const merchantReference = typeof data.merchantReference === 'string'
        ? data.merchantReference : undefined;
      if (sessionId === undefined || amountMinor === undefined || currency === undefined ||
        paymentId === undefined || merchantReference === undefined) return undefined;
      return { type: body.type, eventId, sessionId, merchantReference, amountMinor, currency,
        paymentId, occurredAt };
    }
    case 'payment.failed':
      if (sessionId === undefined) return undefined;
      return { type: body.type, eventId, sessionId,
        failureCode: readFailureCode(data.failureCode) ?? 'failed' };
    case 'refund.succeeded':
    case 'refund.failed': {
      const refundId = readId(data.refundId);
      if (refundId === undefined) return undefined;
      return { type: body.type, eventId, refundId, paymentId: readId(data.paymentId),
        failureCode: readFailureCode(data.failureCode) };
    }
    default:
      return undefined;
  }
}
