import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { it } from 'node:test';
import { enqueueNotificationInTrx, findNotification } from '#modules/notifications/index.ts';
import type { HudumaModule } from '#platform/module.ts';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { modules } from './modules.ts';
import { collectOutboxHandlers, startPeriodicJobs, startWorkers } from './workers.ts';

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
