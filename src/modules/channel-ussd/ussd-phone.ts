/**
 * Phone numbers as the gateway asserts them: normalised to +254XXXXXXXXX (Kenyan mobile
 * numbers only), stored only as an HMAC under the channel's phone key, never logged.
 */
import { createHmac } from 'node:crypto';

/** +2547XXXXXXXX / 2547... / 07... / 01... (spaces and hyphens forgiven); else undefined. */
export function normaliseUssdPhone(raw: string): string | undefined {
  const compact = raw.replace(/[\s-]/g, '');
  const match = /^(?:\+?254|0)([17]\d{8})$/.exec(compact);
  return match === null ? undefined : `+254${match[1] ?? ''}`;
}

/** The key a phone's rows are stored under: HMAC-SHA256, hex. */
export function phoneKeyOf(secret: string, phone: string): string {
  return createHmac('sha256', secret).update(phone, 'utf8').digest('hex');
}

