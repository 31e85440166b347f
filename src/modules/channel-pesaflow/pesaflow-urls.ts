/**
 * Where Huduma's server may POST a client's IPN (its notificationURL): the platform's rule for
 * outbound addresses (https only in production, never this machine or a private network;
 * elsewhere also http, but only to this machine: the sample client in development and tests),
 * as for bill inquiry's lookup address (docs/bill-inquiry.md).
 */
import { outboundUrlAccepted } from '#platform/http/index.ts';

export { isInternalHost } from '#platform/http/index.ts';

export function notificationUrlAccepted(url: string, production: boolean): boolean {
  return outboundUrlAccepted(url, { production, httpOutsideProduction: 'loopback' });
}
