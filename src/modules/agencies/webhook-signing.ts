/**
 * Webhook signatures: `Huduma-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>`
 * with the Unix time in seconds in `Huduma-Timestamp` (docs/agency-webhooks.md). Secrets are
 * 32 random bytes, shown to the agency once.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const timestampHeader = 'huduma-timestamp';
export const signatureHeader = 'huduma-signature';
export const secretPrefix = 'whsec_';

export function generateWebhookSecret(): string {
  return `${secretPrefix}${randomBytes(32).toString('base64url')}`;
}

export function signWebhook(secret: string, timestamp: string, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `v1=${mac}`;
}

/** The headers of one delivery attempt sent at `at`. */
export function webhookHeaders(secret: string, body: string, at: Date):
Readonly<Record<string, string>> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    'content-type': 'application/json',
    'user-agent': 'Huduma-Webhooks/1',
    'Huduma-Timestamp': timestamp,
    'Huduma-Signature': signWebhook(secret, timestamp, body),
  };
}
