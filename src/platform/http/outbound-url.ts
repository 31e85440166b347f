/**
 * Addresses the platform's server will call on someone's say-so (an agency's webhook, its bill
 * lookup, an old-gateway client's IPN): in production https only and never this machine or a
 * private network, so a registration cannot turn our outbound requests against internal
 * services. The host is judged as written (an address literal or a plainly local name); a name
 * that resolves to a private address is not caught here (no DNS lookup).
 */
import { isIP } from 'node:net';

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A host name that is plainly this machine or a private network. */
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

export type OutboundUrlRule = Readonly<{
  production: boolean;
  lengthMax?: number;
  /** Refuse a #fragment (it is never sent, so it can only mislead). */
  refuseFragment?: boolean;
  /**
   * Outside production, besides https: plain http to this machine only ('loopback': the sample
   * systems in development and tests), or to any host ('any').
   */
  httpOutsideProduction: 'loopback' | 'any';
}>;

export function outboundUrlAccepted(url: string, rule: OutboundUrlRule): boolean {
  if (rule.lengthMax !== undefined && url.length > rule.lengthMax) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '') return false;
  if (rule.refuseFragment === true && parsed.hash !== '') return false;
  if (rule.production) return parsed.protocol === 'https:' && !isInternalHost(parsed.hostname);
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' &&
    (rule.httpOutsideProduction === 'any' || loopbackHosts.has(parsed.hostname));
}
