/**
 * SMS through a provider's HTTP API: one JSON POST per message, with the API key as a bearer
 * token and our notification id as the idempotency key, so a retried send is not delivered
 * twice by a provider that honours it. Every call has a time limit; retries are the outbox's.
 *
 * Request:  POST <url> { "to": "+2547...", "message": "...", "reference": "<notification id>" }
 * Response: any 2xx, optionally JSON with "messageId" (or "id"): the provider's message id.
 */
import {
  DeliveryError,
  type NotificationAdapter,
  type OutgoingMessage,
  type SendReceipt,
} from './notification-adapter.ts';

export type SmsHttpOptions = Readonly<{
  url: string;
  apiKey: string | undefined;
  timeoutMs?: number;
}>;

export const smsTimeoutMsDefault = 10_000;
/** A provider's answer is a small JSON document; anything bigger is not read. */
const responseLengthMax = 16 * 1024;
/** Statuses where the same request may succeed later. */
const retryableStatuses = new Set([408, 425, 429]);

export function smsHttpAdapter(options: SmsHttpOptions): NotificationAdapter {
  const timeoutMs = options.timeoutMs ?? smsTimeoutMsDefault;
  return {
    name: 'sms-http',
    send: async (message, signal) => {
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: requestHeaders(options.apiKey, message.notificationId),
          body: JSON.stringify(requestBody(message)),
          // A redirect would carry the API key elsewhere; the URL is configured exactly.
          redirect: 'manual',
          signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
        });
      } catch (error) {
        throw transportError(error, timeoutMs);
      }
      return readResponse(response);
    },
  };
}

function requestHeaders(apiKey: string | undefined, notificationId: string): Headers {
  const headers = new Headers({
    'content-type': 'application/json',
    accept: 'application/json',
    'idempotency-key': notificationId,
  });
  if (apiKey !== undefined) headers.set('authorization', `Bearer ${apiKey}`);
  return headers;
}

function requestBody(message: OutgoingMessage) {
  return { to: message.to, message: message.body, reference: message.notificationId };
}

async function readResponse(response: Response): Promise<SendReceipt> {
  const text = (await response.text().catch(() => '')).slice(0, responseLengthMax);
  const status = response.status;
  if (status >= 200 && status < 300) return { providerMessageId: messageIdOf(text) };
  const retryable = status >= 500 || retryableStatuses.has(status);
  // The provider's body may quote the number; only the status is kept.
  throw new DeliveryError(`SMS provider answered HTTP ${status}`, retryable);
}

function messageIdOf(text: string): string | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const record = parsed as Record<string, unknown>;
    const id = record.messageId ?? record.id;
    if (typeof id === 'string' && id !== '') return id.slice(0, 200);
    if (typeof id === 'number') return String(id);
    return null;
  } catch {
    return null;
  }
}

function transportError(error: unknown, timeoutMs: number): DeliveryError {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return new DeliveryError(`SMS provider did not answer within ${timeoutMs} ms`, true);
  }
  if (error instanceof DOMException && error.name === 'AbortError') {
    return new DeliveryError('SMS send was cancelled', true);
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = cause !== undefined && 'code' in cause ? String(cause.code) : 'network error';
  return new DeliveryError(`SMS provider unreachable (${code})`, true);
}
