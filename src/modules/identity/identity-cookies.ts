/**
 * Cookie names and options. With secure cookies (HTTPS) the names carry the __Host- prefix:
 * the browser then refuses them unless Secure, path=/ and without Domain, so no sub-domain
 * can plant or overwrite them. All are HttpOnly and SameSite=Lax.
 */
import type { CookieSerializeOptions } from '@fastify/cookie';
import {
  oneTimeCodeLifetimeMs,
  sessionAbsoluteTimeoutMs,
  trustedDeviceLifetimeMs,
} from './identity-limits.ts';

export type IdentityCookieNames = Readonly<{
  session: string;
  /** Binds CSRF tokens of forms shown before sign-in (register, sign-in, reset). */
  preSession: string;
  /** Names the one-time-code challenge this browser is answering. */
  challenge: string;
  /** Device tokens of the people who signed in on this browser (trusted-device.ts). */
  device: string;
}>;

export function identityCookieNames(secure: boolean): IdentityCookieNames {
  const prefix = secure ? '__Host-' : '';
  return {
    session: `${prefix}huduma_session`,
    preSession: `${prefix}huduma_presession`,
    challenge: `${prefix}huduma_challenge`,
    device: `${prefix}huduma_device`,
  };
}

const preSessionAgeSecondsMax = 24 * 60 * 60;

export function cookieOptions(
  secure: boolean,
  kind: 'session' | 'preSession' | 'challenge' | 'device',
): CookieSerializeOptions {
  const maxAgeMs = { session: sessionAbsoluteTimeoutMs, challenge: oneTimeCodeLifetimeMs * 2,
    preSession: preSessionAgeSecondsMax * 1000, device: trustedDeviceLifetimeMs }[kind];
  return {
    path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: Math.floor(maxAgeMs / 1000),
  };
}

export function expiredCookieOptions(secure: boolean): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure };
}
