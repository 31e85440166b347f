/**
 * Client secrets are stored as SHA-256 only, yet the provider library checks
 * client_secret_basic by comparing the presented secret with the client's own. So the /oidc
 * route reads the client id and secret from the Authorization header (RFC 6749 2.3.1) and
 * runs the library inside this request's store; the client storage gives the library the
 * presented secret only when its hash is the stored one, else a value nobody can present.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type PresentedSecret = Readonly<{ clientId: string; secret: string }>;

export const presentedSecrets = new AsyncLocalStorage<PresentedSecret | undefined>();

/** What the library is given as the secret of a client whose secret was not presented. */
export const unpresentableSecret = randomBytes(48).toString('base64url');

export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The client id and secret of `Authorization: Basic ...`, form-urlencoded each. */
export function basicCredentialsOf(header: string | undefined): PresentedSecret | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    const decode = (text: string) => decodeURIComponent(text.replaceAll('+', ' '));
    return { clientId: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

/** The secret to hand the library for `clientId` whose stored hash is `storedHash`. */
export function secretForLibrary(clientId: string, storedHash: string | null): string {
  const presented = presentedSecrets.getStore();
  if (presented?.clientId !== clientId || storedHash === null) return unpresentableSecret;
  const given = Buffer.from(hashClientSecret(presented.secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored)
    ? presented.secret : unpresentableSecret;
}
