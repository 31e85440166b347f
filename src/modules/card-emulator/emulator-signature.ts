/**
 * The Card-Signature header of notifications: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * `${t}.${rawBody}` keyed with the merchant's notification secret>. The receiver checks it on
 * the raw body and refuses a t more than 300 s from its own clock.
 */
import { createHmac } from 'node:crypto';

export const cardSignatureHeader = 'card-signature';
/** How far from the receiver's clock a signature's time may be. */
export const signatureToleranceSeconds = 300;

/** The header value for `rawBody` signed at `timestampSeconds`. */
export function signCardNotification(
  notificationSecret: string,
  timestampSeconds: number,
  rawBody: string,
): string {
  const v1 = createHmac('sha256', notificationSecret)
    .update(`${timestampSeconds}.${rawBody}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}
