/**
 * The bill lookup request to an agency's endpoint: POST JSON, signed like our webhooks
 * (`Huduma-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>`, the Unix time in
 * seconds in `Huduma-Timestamp`; docs/bill-inquiry.md), with the route's timeout over the
 * whole exchange, no redirects followed, and a bounded answer. Never throws: every failure is
 * an outcome the route's fallback handles.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Money } from '#platform/money/index.ts';
import type { BillLookupOutcome } from './bill-inquiry-tables.ts';
import {
  lookupAnswerBytesMax,
  parseLookupAnswer,
  type BillLookupAnswer,
} from './bill-inquiry-rules.ts';

export const lookupSecretPrefix = 'bisec_';

export function generateLookupSecret(): string {
  return `${lookupSecretPrefix}${randomBytes(32).toString('base64url')}`;
}

/** The webhook recipe (agencies' webhook-signing.ts), so agencies verify both alike. */
export function signLookup(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type LookupRequest = Readonly<{
  url: string;
  secret: string;
  timeoutMs: number;
  reference: string;
  amount: Money;
  at: Date;
}>;

export type LookupResult =
  | Readonly<{ outcome: 'found' | 'not_found'; answer: BillLookupAnswer }>
  | Readonly<{ outcome: Exclude<BillLookupOutcome, 'found' | 'not_found'>; detail: string }>;

/** The exact body sent: the reference and the amount being paid, nothing about the payer. */
export function lookupBody(request: Pick<LookupRequest, 'reference' | 'amount' | 'at'>): string {
  return JSON.stringify({ reference: request.reference,
    amountMinor: request.amount.amountMinor.toString(), currency: request.amount.currency,
    requestedAt: request.at.toISOString() });
}

export async function lookUpBill(request: LookupRequest): Promise<LookupResult> {
  const body = lookupBody(request);
  const timestamp = String(Math.floor(request.at.getTime() / 1000));
  try {
    const response = await fetch(request.url, {
      method: 'POST', body, redirect: 'error',
      signal: AbortSignal.timeout(request.timeoutMs),
      headers: { 'content-type': 'application/json', 'user-agent': 'Huduma-BillInquiry/1',
        'Huduma-Timestamp': timestamp,
        'Huduma-Signature': signLookup(request.secret, timestamp, body) },
    });
    const text = await response.text();
    if (!response.ok) return { outcome: 'unavailable', detail: `status ${response.status}` };
    if (text.length > lookupAnswerBytesMax) {
      return { outcome: 'invalid_answer', detail: 'answer too large' };
    }
    const answer = parseLookupAnswer(parseJson(text));
    if (answer === undefined) return { outcome: 'invalid_answer', detail: 'answer not understood' };
    return { outcome: answer.found ? 'found' : 'not_found', answer };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { outcome: 'timeout', detail: `no answer within ${request.timeoutMs} ms` };
    }
    return { outcome: 'unavailable', detail: name === '' ? 'request failed' : name };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
