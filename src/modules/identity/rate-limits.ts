/**
 * The database-backed limits on sign-in and one-time codes, per account and per source
 * address. Addresses are stored only as a keyed hash.
 */
import type { Kysely } from 'kysely';
import {
  codesSentPerAccountMax,
  codesSentPerAddressMax,
  rateLimitWindowMs,
  signInAttemptsPerAccountMax,
  signInAttemptsPerAddressMax,
} from './identity-limits.ts';
import type { IdentityTables } from './identity-tables.ts';
import { countHit } from './rate-limit-repo.ts';
import { sign } from './secret-tokens.ts';

export type LimitedAction = 'sign-in' | 'code-send';

const limits: Readonly<Record<LimitedAction, { perAccount: number; perAddress: number }>> = {
  'sign-in': { perAccount: signInAttemptsPerAccountMax, perAddress: signInAttemptsPerAddressMax },
  'code-send': { perAccount: codesSentPerAccountMax, perAddress: codesSentPerAddressMax },
};

export type AttemptSource = Readonly<{
  /**
   * Who is tried, whether or not they exist ('document:<hmac>', 'staff-email:<hmac>',
   * 'account:<id>'), so an unknown one trips the limit exactly when a known one would.
   */
  principal?: string | undefined;
  /** The caller's address (request.ip), hashed before it is stored. */
  address?: string | undefined;
  /**
   * A device this principal signed in on before (trusted-device.ts): its attempts are counted
   * apart from the principal's, so strangers spending the principal's limit do not lock the
   * owner out of it.
   */
  device?: string | undefined;
}>;

/** The principal of a sign-in by document, known or not; the number itself is not stored. */
export function documentPrincipal(key: Buffer, documentType: string, number: string): string {
  return `document:${sign(key, `${documentType}:${number}`)}`;
}

/** The principal of a staff sign-in by e-mail, known or not. */
export function staffEmailPrincipal(key: Buffer, email: string): string {
  return `staff-email:${sign(key, email)}`;
}

/**
 * Counts one attempt of `action` against the principal (or its device) and the address;
 * false when either is over its limit for the current window (the attempt must be refused).
 */
export async function allowAttempt(
  db: Kysely<IdentityTables>,
  addressKey: Buffer,
  action: LimitedAction,
  source: AttemptSource,
  now: Date,
): Promise<boolean> {
  const limit = limits[action];
  let allowed = true;
  if (source.address !== undefined) {
    const bucket = `${action}:address:${sign(addressKey, source.address)}`;
    if (await countHit(db, bucket, now, rateLimitWindowMs) > limit.perAddress) allowed = false;
  }
  if (source.principal !== undefined) {
    const bucket = source.device === undefined ? `${action}:${source.principal}`
      : `${action}:${source.principal}:device:${source.device}`;
    if (await countHit(db, bucket, now, rateLimitWindowMs) > limit.perAccount) allowed = false;
  }
  return allowed;
}
