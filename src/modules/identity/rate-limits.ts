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
  /** The account or staff member tried, when known ('account:<id>' or 'staff:<id>'). */
  principal?: string | undefined;
  /** The caller's address (request.ip), hashed before it is stored. */
  address?: string | undefined;
}>;

/**
 * Counts one attempt of `action` against the account and the address; false when either is
 * over its limit for the current window (the attempt must then be refused).
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
    const bucket = `${action}:${source.principal}`;
    if (await countHit(db, bucket, now, rateLimitWindowMs) > limit.perAccount) allowed = false;
  }
  return allowed;
}
