/**
 * Fixed-window counters in the database, so that N app processes share one limit. A hit is
 * one upsert that returns the new count; the caller compares it with its limit.
 */
import { sql, type Kysely } from 'kysely';
import type { IdentityTables } from './identity-tables.ts';

/** Old windows are swept now and then, not on every hit. */
const sweepEveryHits = 200;
const sweepAgeMs = 24 * 60 * 60 * 1000;
let hitsSinceSweep = 0;

export function windowStart(now: Date, windowMs: number): Date {
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

/** Counts one hit in `bucket` for the window containing `now`; returns the hits so far. */
export async function countHit(
  db: Kysely<IdentityTables>,
  bucket: string,
  now: Date,
  windowMs: number,
): Promise<number> {
  const row = await db.insertInto('rate_limit_counter')
    .values({ bucket, window_started_at: windowStart(now, windowMs), hits: 1 })
    .onConflict((conflict) => conflict.columns(['bucket', 'window_started_at'])
      .doUpdateSet({ hits: sql<number>`rate_limit_counter.hits + 1` }))
    .returning('hits')
    .executeTakeFirstOrThrow();
  hitsSinceSweep += 1;
  if (hitsSinceSweep >= sweepEveryHits) {
    hitsSinceSweep = 0;
    await db.deleteFrom('rate_limit_counter')
      .where('window_started_at', '<', new Date(now.getTime() - sweepAgeMs)).execute();
  }
  return row.hits;
}

/** Hits so far in the current window, without counting one. */
export async function currentHits(
  db: Kysely<IdentityTables>,
  bucket: string,
  now: Date,
  windowMs: number,
): Promise<number> {
  const row = await db.selectFrom('rate_limit_counter').select('hits')
    .where('bucket', '=', bucket)
    .where('window_started_at', '=', windowStart(now, windowMs))
    .executeTakeFirst();
  return row?.hits ?? 0;
}
