/**
 * Verifying a request from Huduma, as docs/agency-webhooks.md and docs/bill-inquiry.md say:
 * `Huduma-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>` with the Unix
 * time in seconds in `Huduma-Timestamp`, refused when more than 5 minutes from our clock.
 * Written from the documents, not from the platform's code: both directions use this recipe.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const toleranceSeconds = 300;

export function verifyHudumaSignature(secret: string, headers: IncomingHttpHeaders,
  rawBody: string, nowSeconds = Date.now() / 1000): boolean {
  const timestamp = String(headers['huduma-timestamp'] ?? '');
  const signature = String(headers['huduma-signature'] ?? '');
  if (!/^\d+$/.test(timestamp) ||
    Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
  return signature.split(',').some((part) => {
    const [version, value] = part.trim().split('=');
    return version === 'v1' && value !== undefined && value.length === expected.length &&
      timingSafeEqual(Buffer.from(value), Buffer.from(expected));
  });
}
