/**
 * The outbox's SQL: enqueue in the caller's transaction, claim due events with
 * FOR UPDATE SKIP LOCKED, then mark them delivered, retry later, or dead.
 */
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import { withOutboxTables, type AnyKysely } from './outbox-tables.ts';

/** JSON the outbox can store: what a handler will need, ids rather than personal data. */
export type OutboxPayload = Readonly<Record<string, unknown>>;

export type OutboxEvent = Readonly<{
  id: string;
  topic: string;
  payload: unknown;
  createdAt: Date;
  /** How many times the event has been claimed, this claim included (1 on the first try). */
  attempts: number;
}>;

const topicPattern = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
const lastErrorLengthMax = 1_000;

/**
 * Adds an event in the caller's transaction, so it exists if and only if the change that
 * caused it commits. It becomes due at `now` (or `availableAt`, to schedule it later).
 */
export async function enqueueOutboxEventInTrx(
  trx: AnyKysely,
  topic: string,
  payload: OutboxPayload,
  now: Date,
  options: Readonly<{ availableAt?: Date }> = {},
): Promise<{ id: string }> {
  assert.ok(trx.isTransaction, 'enqueueOutboxEventInTrx must run in a transaction');
  assert.match(topic, topicPattern, 'an outbox topic is dotted lower-case, like payment.allocated');
  const id = uuidv7(now.getTime());
  await withOutboxTables(trx).insertInto('outbox_event').values({
    id,
    topic,
    payload: JSON.stringify(payload),
    created_at: now,
    available_at: options.availableAt ?? now,
  }).execute();
  return { id };
}

/**
 * Claims up to `limit` due events of the given topics, oldest first, and leases them until
 * `leaseUntil`: a worker that dies mid-event leaves it to be claimed again when the lease ends.
 * SKIP LOCKED lets concurrent workers claim disjoint batches without waiting on each other.
 */
export async function claimDueOutboxEvents(
  db: AnyKysely,
  options: Readonly<{ topics: readonly string[]; limit: number; now: Date; leaseUntil: Date }>,
): Promise<OutboxEvent[]> {
  if (options.topics.length === 0 || options.limit <= 0) return [];
  const outbox = withOutboxTables(db);
  const rows = await outbox.transaction().execute(async (trx) => {
    const due = await trx.selectFrom('outbox_event').select('id')
      .where('delivered_at', 'is', null)
      .where('dead', '=', false)
      .where('available_at', '<=', options.now)
      .where('topic', 'in', [...options.topics])
      .orderBy('available_at').orderBy('id')
      .limit(options.limit)
      .forUpdate().skipLocked()
      .execute();
    if (due.length === 0) return [];
    return trx.updateTable('outbox_event')
      .set({ available_at: options.leaseUntil, attempts: sql`attempts + 1` })
      .where('id', 'in', due.map((row) => row.id))
      .returning(['id', 'topic', 'payload', 'created_at', 'attempts'])
      .execute();
  });
  return rows
    .map((row) => ({
      id: row.id,
      topic: row.topic,
      payload: row.payload,
      createdAt: row.created_at,
      attempts: row.attempts,
    }))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}

export async function markOutboxEventDelivered(
  db: AnyKysely,
  id: string,
  now: Date,
): Promise<void> {
  await withOutboxTables(db).updateTable('outbox_event')
    .set({ delivered_at: now, last_error: null })
    .where('id', '=', id).where('dead', '=', false)
    .execute();
}

/** Records a failed attempt: due again at `retryAt`, or dead when `dead` is true. */
export async function markOutboxEventFailed(
  db: AnyKysely,
  id: string,
  failure: Readonly<{ error: string; retryAt: Date; dead: boolean }>,
): Promise<void> {
  await withOutboxTables(db).updateTable('outbox_event')
    .set({
      available_at: failure.retryAt,
      dead: failure.dead,
      last_error: failure.error.slice(0, lastErrorLengthMax),
    })
    .where('id', '=', id).where('delivered_at', 'is', null)
    .execute();
}

export type OutboxEventRow = Readonly<{
  id: string;
  topic: string;
  payload: unknown;
  attempts: number;
  availableAt: Date;
  lastError: string | null;
  deliveredAt: Date | null;
  dead: boolean;
}>;

/** One event as stored, for tests and operators; undefined when there is none. */
export async function findOutboxEvent(
  db: AnyKysely,
  id: string,
): Promise<OutboxEventRow | undefined> {
  const row = await withOutboxTables(db).selectFrom('outbox_event').selectAll()
    .where('id', '=', id).executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id,
    topic: row.topic,
    payload: row.payload,
    attempts: row.attempts,
    availableAt: row.available_at,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    dead: row.dead,
  };
}

/** Counts of pending (not yet delivered, not dead) and dead events: for /metrics and checks. */
export async function countOutboxBacklog(
  db: AnyKysely,
): Promise<{ pending: bigint; dead: bigint }> {
  const row = await withOutboxTables(db).selectFrom('outbox_event')
    .select([
      sql<bigint>`count(*) filter (where delivered_at is null and not dead)`.as('pending'),
      sql<bigint>`count(*) filter (where dead)`.as('dead'),
    ])
    .executeTakeFirstOrThrow();
  return { pending: row.pending, dead: row.dead };
}

/**
 * Pending (not delivered, not dead) events of any topic outside `topics`, counted per topic:
 * events no worker of this app would ever claim (enqueued by a trigger, or by another version).
 */
export async function countPendingOutboxEventsOutside(
  db: AnyKysely,
  topics: readonly string[],
): Promise<{ topic: string; pending: bigint }[]> {
  let query = withOutboxTables(db).selectFrom('outbox_event')
    .select(['topic', sql<bigint>`count(*)`.as('pending')])
    .where('delivered_at', 'is', null).where('dead', '=', false);
  if (topics.length > 0) query = query.where('topic', 'not in', [...topics]);
  return query.groupBy('topic').orderBy('topic').execute();
}
