import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { enqueueNotificationInTrx, findNotification } from '#modules/notifications/index.ts';
import { manualClock } from '#platform/clock/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import type { HudumaModule } from '#platform/module.ts';
import { enqueueOutboxEventInTrx, findOutboxEvent } from '#platform/outbox/index.ts';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { modules } from './modules.ts';
import {
  checkOutboxTopics,
  collectOutboxHandlers,
  OutboxTopicError,
  outboxRetentionJob,
  startPeriodicJobs,
  startWorkers,
  unconsumedOutboxEventsJob,
} from './workers.ts';

const consumer = (name: string, topic: string): HudumaModule => ({
  name, errors: {}, messages: { en: {}, sw: {} },
  outboxHandlers: () => ({ [topic]: async () => undefined }),
});

describeOnDatabases('background workers', (database) => {
  it('collect every module\'s topic handlers, and refuse a topic with two consumers', () => {
    const deps = testDeps(database());
    const handlers = collectOutboxHandlers(modules, deps);
    assert.ok('notification.deliver' in handlers);
    assert.throws(() => collectOutboxHandlers(
      [consumer('a', 'test.shared'), consumer('b', 'test.shared')], deps),
    /outbox topic test.shared has two handlers/);
  });

  it('refuse to start when a module enqueues a topic that no module consumes', () => {
    const deps = testDeps(database());
    const producer: HudumaModule = { name: 'producer', errors: {}, messages: { en: {}, sw: {} },
      outboxTopics: ['test.consumed', 'test.orphaned'] };
    const modulesWithOrphan = [producer, consumer('consumer', 'test.consumed')];
    assert.throws(() => checkOutboxTopics(modulesWithOrphan, deps), (error: unknown) =>
      error instanceof OutboxTopicError &&
      error.message.startsWith('Outbox topics without a consumer: ' +
        'test.orphaned (enqueued by producer).'));
    assert.throws(() => startWorkers(modulesWithOrphan, deps), OutboxTopicError);
    const handlers = checkOutboxTopics(modules, deps);
    const declared = modules.flatMap((module) => module.outboxTopics ?? []);
    assert.ok(declared.length > 0);
    for (const topic of declared) assert.ok(topic in handlers, `${topic} has a consumer`);
  });

  it('delete delivered events past the retention period (the workers\' own job)', async () => {
    const now = new Date('2026-12-03T12:00:00.000Z');
    const clock = manualClock(now);
    const deps = testDeps(database(), { clock });
    const eventAt = async (at: Date) => (await database().db.transaction().execute((trx) =>
      enqueueOutboxEventInTrx(trx, 'test.retained', {}, at))).id;
    const old = await eventAt(new Date(now.getTime() - 8 * 24 * 60 * 60_000));
    const recent = await eventAt(new Date(now.getTime() - 60_000));
    const pendingOld = await eventAt(new Date(now.getTime() - 30 * 24 * 60 * 60_000));
    await sql`update outbox_event set delivered_at = created_at
      where id in (${old}, ${recent})`.execute(database().db);
    const job = outboxRetentionJob(deps);
    assert.equal(job.name, 'outbox.retention');
    await job.run();
    assert.equal(await findOutboxEvent(database().db, old), undefined);
    assert.ok(await findOutboxEvent(database().db, recent), 'delivered a minute ago: kept');
    assert.ok(await findOutboxEvent(database().db, pendingOld), 'never delivered: kept');
  });

  it('report pending events of a topic that nothing here consumes', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn',
      destination: { write: (line: string) => void lines.push(line) } });
    const deps = testDeps(database(), { logger });
    await sql`delete from outbox_event`.execute(database().db);
    const job = unconsumedOutboxEventsJob(deps, { 'test.handled': async () => undefined });
    const enqueue = (topic: string) => database().db.transaction().execute((trx) =>
      enqueueOutboxEventInTrx(trx, topic, {}, new Date()));
    await enqueue('test.handled');
    await job.run();
    assert.deepEqual(lines, [], 'a consumed topic is not reported');
    await enqueue('test.unclaimed');
    await enqueue('test.unclaimed');
    await job.run();
    assert.equal(lines.length, 1);
    const logged = JSON.parse(lines[0] ?? '{}') as { topics?: unknown; msg?: string };
    assert.deepEqual(logged.topics, [{ topic: 'test.unclaimed', pending: 2 }]);
    assert.match(logged.msg ?? '', /no module here consumes/);
  });

  it('deliver a notification queued by a module, then stop', async () => {
    const deps = testDeps(database());
    const workers = startWorkers(modules, deps);
    try {
      const { id } = await database().db.transaction().execute((trx) =>
        enqueueNotificationInTrx(trx, {
          channel: 'sms', to: '+254700000001', template: 'identity.sign-in-code',
          language: 'sw', params: { code: '000111', minutes: '5' },
        }, new Date()));
      workers.wake();
      const deadline = Date.now() + 10_000;
      while ((await findNotification(database().db, id))?.status !== 'sent' &&
        Date.now() < deadline) {
        await delay(50);
      }
      const stored = await findNotification(database().db, id);
      assert.equal(stored?.status, 'sent');
      assert.equal(stored?.provider, 'dev-inbox');
    } finally {
      await workers.stop();
    }
  });

  it('run periodic jobs on their timer, one run at a time, until stopped', async () => {
    const deps = testDeps(database());
    let runs = 0;
    let concurrent = 0;
    let overlapped = false;
    let failures = 0;
    const jobs = startPeriodicJobs([
      { name: 'test.slow', everyMs: 5, run: async () => {
        concurrent += 1;
        overlapped ||= concurrent > 1;
        await delay(20);
        runs += 1;
        concurrent -= 1;
      } },
      { name: 'test.failing', everyMs: 5, run: async () => {
        failures += 1;
        throw new Error('this job fails');
      } },
    ], deps);
    const deadline = Date.now() + 10_000;
    while ((runs < 3 || failures < 3) && Date.now() < deadline) await delay(10);
    await jobs.stop();
    const stoppedAt = runs;
    assert.ok(runs >= 3 && failures >= 3, `${runs} runs, ${failures} failures`);
    assert.equal(overlapped, false);
    assert.equal(concurrent, 0, 'stop() waits for the run in progress');
    await delay(50);
    assert.equal(runs, stoppedAt, 'no run after stop()');
  });

  it('include the payments callback sweep', () => {
    const deps = testDeps(database());
    const names = modules.flatMap((module) => module.periodicJobs?.(deps) ?? [])
      .map((job) => job.name);
    assert.ok(names.includes('payments.callback-sweep'));
  });
});

/** Every source file under src/, tests left out. */
async function sourceFiles(): Promise<{ path: string; text: string }[]> {
  const root = fileURLToPath(new URL('.', import.meta.url));
  const names = await readdir(root, { recursive: true });
  const files = names.filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
  return Promise.all(files.map(async (name) =>
    ({ path: name, text: await readFile(path.join(root, name), 'utf8') })));
}

it('declares, in its module\'s outboxTopics, every topic the code enqueues', async () => {
  const declared = new Set(modules.flatMap((module) => module.outboxTopics ?? []));
  const defined = new Set<string>();
  for (const file of await sourceFiles()) {
    for (const match of file.text.matchAll(/export const \w+Topic = '([^']+)'/g)) {
      defined.add(match[1] ?? '');
    }
    // A producer names its topic through one of those constants, never a string of its own.
    for (const match of file.text.matchAll(/enqueueOutboxEventInTrx\(\s*\w+,\s*([^,]+),/g)) {
      assert.match(match[1] ?? '', /^\w+Topic$/, `${file.path}: topic ${match[1]}`);
    }
  }
  assert.deepEqual([...defined].sort(), [...declared].sort());
});
