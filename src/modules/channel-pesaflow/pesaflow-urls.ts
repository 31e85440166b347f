/**
 * Where Huduma's server may POST a client's IPN (its notificationURL): in production https
 * only, never this machine or a private network (an address literal or a plainly local name;
 * no DNS lookup), so a checkout cannot turn the IPN sender against internal services.
 * Elsewhere also http, but only to this machine (the sample client in development and tests).
 * The same rule as bill inquiry's lookup address (docs/bill-inquiry.md).
 */
import { isIP } from 'node:net';

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isInternalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') ||
    host.endsWith('.local')) {
    return true;
  }
  if (isIP(host) === 6) return host === '::1' || host === '::' || /^f[cd]|^fe80/.test(host);
  if (isIP(host) !== 4) return false;
  const [a = 0, b = 0] = host.split('.').map(Number);
  return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127);
}

export function notificationUrlAccepted(url: string, production: boolean): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '') return false;
  if (production) return parsed.protocol === 'https:' && !isInternalHost(parsed.hostname);
  return parsed.protocol === 'https:' ||
    (parsed.protocol === 'http:' && loopbackHosts.has(parsed.hostname));
}
