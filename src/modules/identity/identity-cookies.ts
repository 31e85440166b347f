/**
 * Cookie names and options. With secure cookies (HTTPS) the names carry the __Host- prefix:
 * the browser then refuses them unless Secure, path=/ and without Domain, so no sub-domain
 * can plant or overwrite them. All are HttpOnly and SameSite=Lax.
 */
import type { CookieSerializeOptions } from '@fastify/cookie';
import { oneTimeCodeLifetimeMs, sessionAbsoluteTimeoutMs } from './identity-limits.ts';

export type IdentityCookieNames = Readonly<{
  session: string;
  /** Binds CSRF tokens of forms shown before sign-in (register, sign-in, reset). */
  preSession: string;
  /** Names the one-time-code challenge this browser is answering. */
  challenge: string;
}>;

export function identityCookieNames(secure: boolean): IdentityCookieNames {
  const prefix = secure ? '__Host-' : '';
  return {
    session: `${prefix}huduma_session`,
    preSession: `${prefix}huduma_presession`,
    challenge: `${prefix}huduma_challenge`,
  };
}

const preSessionAgeSecondsMax = 24 * 60 * 60;

export function cookieOptions(
  secure: boolean,
  kind: 'session' | 'preSession' | 'challenge',
): CookieSerializeOptions {
  const maxAgeMs = kind === 'session' ? sessionAbsoluteTimeoutMs
    : kind === 'challenge' ? oneTimeCodeLifetimeMs * 2 : preSessionAgeSecondsMax * 1000;
  return {
    path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: Math.floor(maxAgeMs / 1000),
  };
}

export function expiredCookieOptions(secure: boolean): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure };
}
