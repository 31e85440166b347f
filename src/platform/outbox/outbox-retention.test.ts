import assert from 'node:assert/strict';
import { beforeEach, it } from 'node:test';
import { sql } from 'kysely';
import { manualClock } from '#platform/clock/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  countOutboxBacklog,
  deleteDeliveredOutboxEvents,
  enqueueOutboxEventInTrx,
  findOutboxEvent,
  OutboxPermanentFailure,
  runOutboxBatch,
} from './index.ts';

const logger = createLogger({ level: 'silent' });
const start = new Date('2026-12-01T10:00:00.000Z');
const hourMs = 60 * 60_000;

describeOnDatabases('outbox retention', (database) => {
  beforeEach(async () => {
    await sql`delete from outbox_event`.execute(database().db);
  });

  /** Enqueues `count` events of a topic at `at` and runs them through a worker at `at`. */
  async function deliverAt(at: Date, count: number, topic = 'test.done'): Promise<string[]> {
    const ids = await database().db.transaction().execute(async (trx) => {
      const made: string[] = [];
      for (let index = 0; index < count; index += 1) {
        made.push((await enqueueOutboxEventInTrx(trx, topic, { index }, at)).id);
      }
      return made;
    });
    await runOutboxBatch({ db: database().db, clock: manualClock(at), logger,
      batchSizeMax: 100, handlers: {
        'test.done': async () => undefined,
        'test.refused': async () => {
          throw new OutboxPermanentFailure('refused');
        },
      } });
    return ids;
  }

  it('deletes delivered events older than the cut-off, and keeps the rest', async () => {
    const old = await deliverAt(start, 5);
    const recent = await deliverAt(new Date(start.getTime() + 2 * hourMs), 3);
    const dead = await deliverAt(start, 1, 'test.refused');
    const pending = await database().db.transaction().execute((trx) =>
      enqueueOutboxEventInTrx(trx, 'test.waiting', {}, start));
    const deleted = await deleteDeliveredOutboxEvents(database().db,
      { deliveredBefore: new Date(start.getTime() + hourMs) });
    assert.equal(deleted, 5);
    for (const id of old) assert.equal(await findOutboxEvent(database().db, id), undefined);
    for (const id of [...recent, ...dead, pending.id]) {
      assert.ok(await findOutboxEvent(database().db, id), 'recent, dead and pending stay');
    }
    assert.deepEqual(await countOutboxBacklog(database().db), { pending: 1n, dead: 1n });
  });

  it('deletes in bounded batches, and no more than its batches per run', async () => {
    await deliverAt(start, 7);
    const cutOff = new Date(start.getTime() + hourMs);
    const options = { deliveredBefore: cutOff, batchSizeMax: 2, batchesMax: 2 };
    assert.equal(await deleteDeliveredOutboxEvents(database().db, options), 4);
    assert.equal(await deleteDeliveredOutboxEvents(database().db, options), 3);
    assert.equal(await deleteDeliveredOutboxEvents(database().db, options), 0);
    const left = await sql<{ count: bigint }>`select count(*) as count from outbox_event`
      .execute(database().db);
    assert.equal(left.rows[0]?.count, 0n);
  });

  it('claims through a (topic, available_at) index of pending events only', async () => {
    const rows = await sql<{ definition: string }>`
      select indexdef as definition from pg_indexes
      where tablename = 'outbox_event' and indexname = 'outbox_event_topic_due_idx'`
      .execute(database().db);
    assert.match(rows.rows[0]?.definition ?? 'no such index',
      /\(topic, available_at\) WHERE \(\(delivered_at IS NULL\) AND \(NOT dead\)\)/);
  });
});
