import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { loadConfig } from '#config';
import { manualClock } from '#platform/clock/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { runOutboxBatch } from '#platform/outbox/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { devInboxAdapter } from './notification-adapter.ts';
import {
  enqueueNotificationInTrx,
  notificationDeliverTopic,
  notificationDeliveryHandler,
} from './notification-service.ts';

const start = new Date('2026-11-28T07:30:00.000Z');

describeOnDatabases('dev inbox page', (database) => {
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp(database());
    await sql`delete from notification`.execute(database().db);
    await database().db.transaction().execute(async (trx) => {
      await enqueueNotificationInTrx(trx, {
        channel: 'sms', to: '+254712345678', template: 'identity.sign-in-code', language: 'en',
        params: { code: '271828', minutes: '10' },
      }, start);
      await enqueueNotificationInTrx(trx, {
        channel: 'email', to: 'amina@example.org', template: 'identity.registration-welcome',
        language: 'sw', params: { url: 'http://localhost:3000/<script>' },
      }, new Date(start.getTime() + 60_000));
    });
    const clock = manualClock(start);
    const logger = createLogger({ level: 'silent' });
    await runOutboxBatch({ db: database().db, clock, logger, handlers: {
      [notificationDeliverTopic]: notificationDeliveryHandler({ db: database().db, clock, logger,
        adapters: { sms: devInboxAdapter, email: devInboxAdapter } }),
    } });
  });
  after(async () => {
    await app.close();
  });

  it('shows what would have been sent, newest first, under a banner', async () => {
    const response = await app.inject({ method: 'GET', url: '/dev/inbox' });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] ?? '', /text\/html/);
    assert.equal(response.headers['x-robots-tag'], 'noindex');
    const page = response.body;
    assert.match(page, /Development inbox: messages are NOT sent/);
    assert.match(page, /Huduma: your sign-in code is 271828\./);
    assert.match(page, /\+254712345678/);
    assert.match(page, /Delivered to this inbox/);
    assert.ok(page.indexOf('amina@example.org') < page.indexOf('+254712345678'),
      'the newest message comes first');
    assert.match(page, /<span lang="sw">Karibu Huduma<\/span>/);
    assert.match(page, /&lt;script&gt;/, 'message text is escaped');
    assert.doesNotMatch(page, /<script/);
    assert.match(page, /<time datetime="2026-11-28T07:30:00.000Z">/);
  });

  it('speaks Swahili', async () => {
    const response = await app.inject({ method: 'GET', url: '/dev/inbox',
      headers: { cookie: 'huduma_lang=sw' } });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<html lang="sw">/);
    assert.match(response.body, /Sanduku la majaribio: ujumbe HAUTUMWI/);
    assert.match(response.body, /Umefika kwenye sanduku hili/);
  });

  it('does not exist when the dev inbox is off', async () => {
    const config = loadConfig({ HUDUMA_ENV: 'test', HUDUMA_DEV_INBOX: 'off' });
    const closed = await buildTestApp(database(), { config });
    try {
      const response = await closed.inject({ method: 'GET', url: '/dev/inbox' });
      assert.equal(response.statusCode, 404);
      assert.doesNotMatch(response.body, /271828/);
    } finally {
      await closed.close();
    }
  });
});
