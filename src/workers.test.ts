import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { it } from 'node:test';
import { enqueueNotificationInTrx, findNotification } from '#modules/notifications/index.ts';
import type { HudumaModule } from '#platform/module.ts';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { modules } from './modules.ts';
import { collectOutboxHandlers, startWorkers } from './workers.ts';

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
});
