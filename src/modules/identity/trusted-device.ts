/**
 * Device tokens (OWASP's "device cookies"): after a sign-in, the browser keeps a token signed
 * for the one who signed in. Later attempts for that person carrying it are counted on their
 * own (rate-limits.ts), so a stranger who spends that person's attempt limit does not lock
 * them out of the browser they use; a browser without one waits for the window, as before.
 *
 * A token is `<nonce>.<issued, unix seconds>.<hmac(key, "device:" principal nonce issued)>`;
 * the cookie holds a few, newest first, joined by `~`. Nothing is stored: the key (the address
 * key, kept in the database) makes them unforgeable, and the issue time ends them.
 */
import { randomBytes } from 'node:crypto';
import { trustedDeviceLifetimeMs, trustedDevicesPerBrowserMax } from './identity-limits.ts';
import { sameSecret, sign } from './secret-tokens.ts';

const nonceBytes = 16;
const cookieLengthMax = 1_000;

function macOf(key: Buffer, principal: string, nonce: string, issued: string): string {
  return sign(key, `device:${principal}:${nonce}:${issued}`);
}

/** The cookie's new value: a token for `principal` before the ones `previous` held. */
export function issueDeviceToken(
  key: Buffer,
  principal: string,
  previous: string | undefined,
  now: Date,
): string {
  const nonce = randomBytes(nonceBytes).toString('base64url');
  const issued = String(Math.floor(now.getTime() / 1000));
  const token = `${nonce}.${issued}.${macOf(key, principal, nonce, issued)}`;
  const kept = (previous ?? '').slice(0, cookieLengthMax).split('~')
    .filter((old) => old !== '' && /^[\w-]+\.\d+\.[\w-]+$/.test(old));
  return [token, ...kept].slice(0, trustedDevicesPerBrowserMax).join('~');
}

/** The nonce of a live token for `principal` in the cookie, or undefined. */
export function provenDevice(
  key: Buffer,
  principal: string,
  cookie: string | undefined,
  now: Date,
): string | undefined {
  if (cookie === undefined) return undefined;
  for (const token of cookie.slice(0, cookieLengthMax).split('~')) {
    const [nonce, issued, mac, ...rest] = token.split('.');
    if (nonce === undefined || issued === undefined || mac === undefined || rest.length > 0 ||
      !/^\d{1,12}$/.test(issued)) continue;
    const ageMs = now.getTime() - Number(issued) * 1000;
    if (ageMs < 0 || ageMs > trustedDeviceLifetimeMs) continue;
    if (sameSecret(mac, macOf(key, principal, nonce, issued))) return nonce;
  }
  return undefined;
}
