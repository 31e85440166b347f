import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { beforeEach, it } from 'node:test';
import { sql } from 'kysely';
import { manualClock, systemClock } from '#platform/clock/index.ts';
import { migrate, openPostgresDatabase } from '#platform/db/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { createPostgresDatabase, describeOnDatabases } from '#test/helpers/databases.ts';
import {
  countOutboxBacklog,
  enqueueOutboxEventInTrx,
  findOutboxEvent,
  OutboxPermanentFailure,
  outboxRetryDelayMs,
  runOutboxBatch,
  startOutboxWorker,
  type OutboxEvent,
  type OutboxHandler,
} from './index.ts';

const logger = createLogger({ level: 'silent' });
const start = new Date('2026-11-28T10:00:00.000Z');

describeOnDatabases('outbox', (database, kind) => {
  beforeEach(async () => {
    await sql`delete from outbox_event`.execute(database().db);
  });

  async function enqueue(topic: string, payload: Record<string, unknown>, now = start) {
    return database().db.transaction().execute((trx) =>
      enqueueOutboxEventInTrx(trx, topic, payload, now));
  }

  it('keeps an event only if the transaction that wrote it commits', async () => {
    await assert.rejects(database().db.transaction().execute(async (trx) => {
      await enqueueOutboxEventInTrx(trx, 'test.rolled-back', { n: 1 }, start);
      throw new Error('abandon');
    }), /abandon/);
    const { id } = await enqueue('test.committed', { n: 2 });
    const backlog = await countOutboxBacklog(database().db);
    assert.equal(backlog.pending, 1n);
    assert.deepEqual((await findOutboxEvent(database().db, id))?.payload, { n: 2 });
  });

  it('refuses to enqueue outside a transaction, or with a badly named topic', async () => {
    await assert.rejects(enqueueOutboxEventInTrx(database().db, 'test.x', {}, start),
      /must run in a transaction/);
    await assert.rejects(enqueue('NotDotted', {}), /dotted lower-case/);
  });

  it('runs the topic handler with the payload and marks the event delivered', async () => {
    const { id } = await enqueue('test.greet', { name: 'x' });
    const seen: OutboxEvent[] = [];
    const clock = manualClock(start);
    const report = await runOutboxBatch({
      db: database().db, clock, logger,
      handlers: { 'test.greet': async (event) => void seen.push(event) },
    });
    assert.deepEqual(report, { claimed: 1, delivered: 1, retried: 0, dead: 0 });
    assert.equal(seen.length, 1);
    assert.deepEqual(seen[0]?.payload, { name: 'x' });
    assert.equal(seen[0]?.attempts, 1);
    const stored = await findOutboxEvent(database().db, id);
    assert.deepEqual(stored?.deliveredAt, start);
    const again = await runOutboxBatch({ db: database().db, clock, logger,
      handlers: { 'test.greet': async (event) => void seen.push(event) } });
    assert.equal(again.claimed, 0, 'a delivered event is never claimed again');
  });

  it('leaves topics without a handler in this worker for another worker', async () => {
    const { id } = await enqueue('test.elsewhere', {});
    const report = await runOutboxBatch({ db: database().db, clock: manualClock(start), logger,
      handlers: { 'test.mine': async () => undefined } });
    assert.equal(report.claimed, 0);
    assert.equal((await findOutboxEvent(database().db, id))?.attempts, 0);
  });

  it('does not claim an event before it is due', async () => {
    const later = new Date(start.getTime() + 60_000);
    await database().db.transaction().execute((trx) =>
      enqueueOutboxEventInTrx(trx, 'test.later', {}, start, { availableAt: later }));
    const clock = manualClock(start);
    const options = { db: database().db, clock, logger,
      handlers: { 'test.later': async () => undefined } };
    assert.equal((await runOutboxBatch(options)).claimed, 0);
    clock.advanceMs(60_000);
    assert.equal((await runOutboxBatch(options)).delivered, 1);
  });

  it('retries a failed event with exponential back-off, then delivers it', async () => {
    const { id } = await enqueue('test.flaky', {});
    const clock = manualClock(start);
    let calls = 0;
    const handler: OutboxHandler = async () => {
      calls += 1;
      if (calls <= 2) throw new Error(`provider down ${calls}`);
    };
    const options = { db: database().db, clock, logger, handlers: { 'test.flaky': handler } };
    assert.deepEqual(await runOutboxBatch(options),
      { claimed: 1, delivered: 0, retried: 1, dead: 0 });
    let stored = await findOutboxEvent(database().db, id);
    assert.equal(stored?.attempts, 1);
    assert.equal(stored?.lastError, 'Error: provider down 1');
    assert.deepEqual(stored?.availableAt, new Date(start.getTime() + outboxRetryDelayMs(1)));

    clock.advanceMs(outboxRetryDelayMs(1) - 1);
    assert.equal((await runOutboxBatch(options)).claimed, 0, 'not before the back-off ends');
    clock.advanceMs(1);
    assert.equal((await runOutboxBatch(options)).retried, 1);
    stored = await findOutboxEvent(database().db, id);
    assert.equal(stored?.attempts, 2);
    const secondRetryAt = clock.now().getTime() + outboxRetryDelayMs(2);
    assert.deepEqual(stored?.availableAt, new Date(secondRetryAt));

    clock.advanceMs(outboxRetryDelayMs(2));
    assert.equal((await runOutboxBatch(options)).delivered, 1);
    stored = await findOutboxEvent(database().db, id);
    assert.equal(stored?.attempts, 3);
    assert.equal(stored?.lastError, null);
    assert.ok(stored?.deliveredAt instanceof Date);
    assert.equal(calls, 3);
  });

  it('gives up after attemptsMax failures and keeps the event as a dead letter', async () => {
    const { id } = await enqueue('test.doomed', {});
    const clock = manualClock(start);
    const lastAttemptFlags: boolean[] = [];
    const options = {
      db: database().db, clock, logger, attemptsMax: 3,
      handlers: {
        'test.doomed': async (_event: OutboxEvent, context: { isLastAttempt: boolean }) => {
          lastAttemptFlags.push(context.isLastAttempt);
          throw new Error('always');
        },
      },
    };
    const outcomes: string[] = [];
    for (let round = 0; round < 5; round += 1) {
      const report = await runOutboxBatch(options);
      if (report.retried > 0) outcomes.push('retried');
      if (report.dead > 0) outcomes.push('dead');
      clock.advanceMs(24 * 60 * 60_000);
    }
    assert.deepEqual(outcomes, ['retried', 'retried', 'dead']);
    assert.deepEqual(lastAttemptFlags, [false, false, true]);
    const stored = await findOutboxEvent(database().db, id);
    assert.equal(stored?.dead, true);
    assert.equal(stored?.attempts, 3);
    assert.equal(stored?.deliveredAt, null);
    assert.deepEqual(await countOutboxBacklog(database().db), { pending: 0n, dead: 1n });
  });

  it('makes an event dead at once when its handler says retrying cannot help', async () => {
    const { id } = await enqueue('test.refused', {});
    const report = await runOutboxBatch({ db: database().db, clock: manualClock(start), logger,
      handlers: { 'test.refused': async () => {
        throw new OutboxPermanentFailure('provider refused it');
      } } });
    assert.deepEqual(report, { claimed: 1, delivered: 0, retried: 0, dead: 1 });
    const stored = await findOutboxEvent(database().db, id);
    assert.equal(stored?.dead, true);
    assert.equal(stored?.attempts, 1);
    assert.match(stored?.lastError ?? '', /provider refused it/);
  });

  it('leases a claimed event, so an abandoned claim is picked up after the lease', async () => {
    const { id } = await enqueue('test.abandoned', {});
    const clock = manualClock(start);
    const never = new Promise<void>(() => undefined);
    // A handler that never returns stands for a worker that died mid-event.
    const abandoned = runOutboxBatch({ db: database().db, clock, logger, leaseMs: 60_000,
      handlerTimeoutMs: 10_000, handlers: { 'test.abandoned': () => never } })
      .catch(() => undefined);
    await delay(200);
    const handled: string[] = [];
    const options = { db: database().db, clock, logger,
      handlers: { 'test.abandoned': async (event: OutboxEvent) => void handled.push(event.id) } };
    assert.equal((await runOutboxBatch(options)).claimed, 0, 'leased to the first worker');
    clock.advanceMs(60_000);
    assert.equal((await runOutboxBatch(options)).delivered, 1);
    assert.deepEqual(handled, [id]);
    assert.equal((await findOutboxEvent(database().db, id))?.attempts, 2);
    void abandoned;
  });

  it('gives up waiting for a handler that outlives its time limit, and retries', async () => {
    const { id } = await enqueue('test.stuck', {});
    const never = new Promise<void>(() => undefined);
    const report = await runOutboxBatch({ db: database().db, clock: manualClock(start), logger,
      handlerTimeoutMs: 100, handlers: { 'test.stuck': () => never } });
    assert.deepEqual(report, { claimed: 1, delivered: 0, retried: 1, dead: 0 });
    assert.equal((await findOutboxEvent(database().db, id))?.lastError,
      'Error: handler ran longer than 100 ms');
  });

  it('runs a polling worker that delivers what is enqueued and stops cleanly', async () => {
    const handled: string[] = [];
    const worker = startOutboxWorker({
      db: database().db, clock: systemClock, logger, pollIntervalMs: 50, batchSizeMax: 5,
      handlers: { 'test.polled': async (event) => void handled.push(event.id) },
    });
    const ids: string[] = [];
    for (let index = 0; index < 12; index += 1) {
      ids.push((await enqueue('test.polled', { index }, new Date())).id);
    }
    worker.wake();
    const deadline = Date.now() + 10_000;
    while (handled.length < ids.length && Date.now() < deadline) await delay(20);
    await worker.stop();
    assert.deepEqual([...handled].sort(), [...ids].sort());
  });

  if (kind === 'postgres') {
    it('hands each event to exactly one of two concurrent workers in two processes', async () => {
      const created = await createPostgresDatabase();
      const first = await openPostgresDatabase(created.url, { poolSizeMax: 4 });
      const second = await openPostgresDatabase(created.url, { poolSizeMax: 4 });
      try {
        await migrate(first.db);
        const eventCount = 300;
        await first.db.transaction().execute(async (trx) => {
          for (let index = 0; index < eventCount; index += 1) {
            await enqueueOutboxEventInTrx(trx, 'test.race', { index }, start);
          }
        });
        const handledBy = new Map<string, string[]>();
        const handler = (name: string): OutboxHandler => async (event) => {
          handledBy.set(event.id, [...(handledBy.get(event.id) ?? []), name]);
          await delay(Math.random() * 3);
        };
        const clock = manualClock(new Date(start.getTime() + 1_000));
        const workers = [
          startOutboxWorker({ db: first.db, clock, logger, pollIntervalMs: 10,
            batchSizeMax: 7, handlers: { 'test.race': handler('first') } }),
          startOutboxWorker({ db: second.db, clock, logger, pollIntervalMs: 10,
            batchSizeMax: 7, handlers: { 'test.race': handler('second') } }),
        ];
        const deadline = Date.now() + 30_000;
        while (handledBy.size < eventCount && Date.now() < deadline) await delay(20);
        await Promise.all(workers.map((worker) => worker.stop()));
        assert.equal(handledBy.size, eventCount);
        const twice = [...handledBy.values()].filter((names) => names.length !== 1);
        assert.deepEqual(twice, [], 'no event is handled twice');
        const names = new Set([...handledBy.values()].flat());
        assert.deepEqual([...names].sort(), ['first', 'second'], 'both workers took a share');
        assert.deepEqual(await countOutboxBacklog(first.db), { pending: 0n, dead: 0n });
      } finally {
        await first.close();
        await second.close();
        await created.drop();
      }
    });
  }
});

it('backs off exponentially from 5 seconds up to an hour', () => {
  assert.deepEqual([1, 2, 3, 4].map(outboxRetryDelayMs), [5_000, 10_000, 20_000, 40_000]);
  assert.equal(outboxRetryDelayMs(11), 60 * 60_000);
  assert.equal(outboxRetryDelayMs(1_000), 60 * 60_000);
});
