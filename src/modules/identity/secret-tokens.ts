/**
 * Random secrets for sessions, challenges and one-time codes. Only hashes are stored: a copy
 * of the database does not let anyone sign in or guess a code faster than by asking us.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** 256 bits: unguessable session and challenge tokens. */
const tokenLengthBytes = 32;
export const oneTimeCodeDigits = 6;

export function generateToken(): string {
  return randomBytes(tokenLengthBytes).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** A 6-digit code from the operating system's random source, leading zeros kept. */
export function generateOneTimeCode(): string {
  return String(randomInt(0, 10 ** oneTimeCodeDigits)).padStart(oneTimeCodeDigits, '0');
}

/**
 * Codes have only a million values, so a plain hash would be reversed at once from a stolen
 * table: the hash is keyed with the challenge's own secret token, which the database never
 * holds (only its hash does).
 */
export function hashOneTimeCode(code: string, challengeToken: string): string {
  return createHmac('sha256', challengeToken).update(`code:${code}`).digest('base64url');
}

export function sameSecret(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** HMAC-SHA256 of a message under a key, base64url. */
export function sign(key: Buffer, message: string): string {
  return createHmac('sha256', key).update(message).digest('base64url');
}
