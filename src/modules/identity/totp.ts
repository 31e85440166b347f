/**
 * Time-based one-time passwords (RFC 6238, on HOTP, RFC 4226) for staff second factor:
 * HMAC-SHA1, 30-second steps, 6 digits, accepting one step either side for clock drift.
 * The caller stores the last step used and passes it in, so a code is never accepted twice.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const totpStepSeconds = 30;
export const totpDigits = 6;
/** Steps accepted either side of now (RFC 6238 section 5.2 recommends at most one). */
export const totpDriftStepsMax = 1;
const secretLengthBytes = 20;

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += base32Alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += base32Alphabet[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const character of clean) {
    const index = base32Alphabet.indexOf(character);
    if (index < 0) throw new Error('not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** A new random secret, base32 (the form authenticator apps take). */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(secretLengthBytes));
}

/** HOTP (RFC 4226 section 5.3): dynamic truncation of HMAC(secret, counter). */
export function hotp(
  secret: Buffer,
  counter: bigint,
  digits: number = totpDigits,
  algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1',
): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(counter);
  const digest = createHmac(algorithm, secret).update(message).digest();
  const offset = (digest[digest.length - 1] ?? 0) & 0x0f;
  const binary = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

export function totpStepAt(time: Date): bigint {
  return BigInt(Math.floor(time.getTime() / 1000 / totpStepSeconds));
}

export type TotpCheck =
  | Readonly<{ ok: true; step: bigint }>
  | Readonly<{ ok: false; reason: 'wrong' | 'replayed' }>;

/**
 * Checks a code at `now`. `lastUsedStep` is the step of the last code accepted for this
 * secret (null if none); a code of that step or older is refused as a replay.
 */
export function checkTotp(
  secretBase32: string,
  code: string,
  now: Date,
  lastUsedStep: bigint | null,
): TotpCheck {
  if (!/^\d{6}$/.test(code)) return { ok: false, reason: 'wrong' };
  const secret = base32Decode(secretBase32);
  const current = totpStepAt(now);
  let replayed = false;
  for (let drift = -totpDriftStepsMax; drift <= totpDriftStepsMax; drift += 1) {
    const step = current + BigInt(drift);
    const expected = hotp(secret, step);
    if (timingSafeEqual(Buffer.from(expected), Buffer.from(code))) {
      if (lastUsedStep !== null && step <= lastUsedStep) {
        replayed = true;
        continue;
      }
      return { ok: true, step };
    }
  }
  return { ok: false, reason: replayed ? 'replayed' : 'wrong' };
}

/** The otpauth:// URI an authenticator app reads (Key Uri Format). */
export function otpauthUri(secretBase32: string, accountLabel: string, issuer: string): string {
  const label = encodeURIComponent(`${issuer}:${accountLabel}`);
  const query = new URLSearchParams({
    secret: secretBase32, issuer, algorithm: 'SHA1', digits: String(totpDigits),
    period: String(totpStepSeconds),
  });
  return `otpauth://totp/${label}?${query.toString()}`;
}
