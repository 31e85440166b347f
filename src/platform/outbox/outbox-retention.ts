/**
 * Retention: delivered events are deleted once they are older than the retention period, in
 * bounded batches, so the table holds recent work rather than everything ever done. Dead events
 * stay until an operator decides what to do with them.
 */
import { sql } from 'kysely';
import type { AnyKysely } from './outbox-tables.ts';

/** How long a delivered event is kept (for an operator looking into a recent delivery). */
export const outboxRetentionMsDefault = 7 * 24 * 60 * 60_000;
/** Rows one DELETE statement removes at most: short statements, short locks. */
export const outboxRetentionBatchSizeMax = 1_000;
/** Statements one run makes at most; what is left waits for the next run. */
export const outboxRetentionBatchesPerRunMax = 50;
/** How often the workers run the retention job. */
export const outboxRetentionEveryMsDefault = 10 * 60_000;

export type OutboxRetentionOptions = Readonly<{
  /** Delivered before this instant: deleted. */
  deliveredBefore: Date;
  batchSizeMax?: number;
  batchesMax?: number;
}>;

/**
 * Deletes delivered events older than `deliveredBefore`, oldest first, a batch per statement,
 * until a batch comes back short or `batchesMax` batches ran. Returns how many it deleted.
 * Safe from several processes at once (SKIP LOCKED: each deletes rows the others do not).
 */
export async function deleteDeliveredOutboxEvents(
  db: AnyKysely,
  options: OutboxRetentionOptions,
): Promise<number> {
  const batchSizeMax = options.batchSizeMax ?? outboxRetentionBatchSizeMax;
  const batchesMax = options.batchesMax ?? outboxRetentionBatchesPerRunMax;
  let deleted = 0;
  for (let batch = 0; batch < batchesMax; batch += 1) {
    const result = await sql`
      delete from outbox_event where id in (
        select id from outbox_event
        where delivered_at is not null and delivered_at < ${options.deliveredBefore}
        order by delivered_at
        limit ${batchSizeMax}
        for update skip locked)`.execute(db);
    const count = Number(result.numAffectedRows ?? 0n);
    deleted += count;
    if (count < batchSizeMax) break;
  }
  return deleted;
}
