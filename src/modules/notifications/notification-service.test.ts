import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { after, before, beforeEach, it } from 'node:test';
import { sql } from 'kysely';
import { manualClock } from '#platform/clock/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import {
  findOutboxEvent,
  outboxRetryDelayMs,
  runOutboxBatch,
  type OutboxWorkerOptions,
} from '#platform/outbox/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { devInboxAdapter, type NotificationAdapters } from './notification-adapter.ts';
import { findNotification, removedSecretBody } from './notification-repo.ts';
import {
  enqueueNotificationInTrx,
  enqueueNotificationsInTrx,
  notificationDeliverTopic,
  notificationDeliveryHandler,
  type NotificationRequest,
} from './notification-service.ts';
import { smsHttpAdapter } from './sms-http-adapter.ts';

const start = new Date('2026-11-28T10:00:00.000Z');
const phone = '+254712345678';
const signInCode: NotificationRequest = {
  channel: 'sms', to: phone, template: 'identity.sign-in-code', language: 'en',
  params: { code: '481516', minutes: '10' }, accountId: 'account-1',
};

describeOnDatabases('notifications', (database) => {
  let provider: Server;
  let providerUrl = '';
  let providerAnswers: ((response: ServerResponse) => void)[] = [];
  const logLines: string[] = [];
  const logger = createLogger({ level: 'debug',
    destination: { write: (line: string) => void logLines.push(line) } });

  before(async () => {
    provider = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const answer = providerAnswers.shift();
        if (answer !== undefined) answer(response);
        else response.writeHead(200).end(JSON.stringify({ messageId: 'prov-1' }));
      });
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const address = provider.address();
    assert.ok(address !== null && typeof address === 'object');
    providerUrl = `http://127.0.0.1:${address.port}/sms`;
  });
  after(async () => {
    provider.closeAllConnections();
    await new Promise<void>((resolve) => provider.close(() => resolve()));
  });
  beforeEach(async () => {
    await sql`delete from outbox_event`.execute(database().db);
    await sql`delete from notification`.execute(database().db);
    providerAnswers = [];
    logLines.length = 0;
  });

  const enqueue = (request: NotificationRequest = signInCode) =>
    database().db.transaction().execute((trx) => enqueueNotificationInTrx(trx, request, start));

  const worker = (
    adapters: NotificationAdapters,
    clock = manualClock(start),
    attemptsMax = 5,
  ): OutboxWorkerOptions & { clock: ReturnType<typeof manualClock> } => ({
    db: database().db, clock, logger, attemptsMax,
    handlers: {
      [notificationDeliverTopic]: notificationDeliveryHandler({
        db: database().db, clock, logger, adapters,
      }),
    },
  });

  const smsProvider = (): NotificationAdapters => ({
    sms: smsHttpAdapter({ url: providerUrl, apiKey: 'key', timeoutMs: 2_000 }),
    email: devInboxAdapter,
  });

  it('writes the message and its delivery event in the caller\'s transaction', async () => {
    const { id } = await enqueue();
    const stored = await findNotification(database().db, id);
    assert.equal(stored?.status, 'queued');
    assert.equal(stored?.recipient, phone);
    assert.equal(stored?.body,
      'Huduma: your sign-in code is 481516. It expires in 10 minutes. Never share it with anyone.');
    assert.equal(stored?.subject, null);
    assert.equal(stored?.accountId, 'account-1');
    const events = await sql<{ topic: string; payload: unknown }>`
      select topic, payload from outbox_event`.execute(database().db);
    assert.deepEqual(events.rows,
      [{ topic: 'notification.deliver', payload: { notificationId: id } }]);
  });

  it('queues many messages at once, each with its delivery event, or none of them', async () => {
    const email = { ...signInCode, channel: 'email' as const, to: 'wanjiru@example.ke',
      language: 'en' as const };
    const queued = await database().db.transaction().execute((trx) =>
      enqueueNotificationsInTrx(trx, [signInCode, email], start));
    assert.equal(queued.length, 2);
    const stored = await Promise.all(queued.map(({ id }) => findNotification(database().db, id)));
    assert.deepEqual(stored.map((row) => [row?.channel, row?.recipient, row?.status]),
      [['sms', phone, 'queued'], ['email', 'wanjiru@example.ke', 'queued']]);
    const events = await sql<{ payload: { notificationId: string } }>`
      select payload from outbox_event order by payload->>'notificationId'`
      .execute(database().db);
    assert.deepEqual(events.rows.map((row) => row.payload.notificationId).sort(),
      queued.map(({ id }) => id).sort());
    await assert.rejects(database().db.transaction().execute((trx) =>
      enqueueNotificationsInTrx(trx, [signInCode, { ...email, to: 'not an address' }], start)),
    /e-mail/);
    const counts = await sql<{ n: bigint }>`select count(*) as n from notification`
      .execute(database().db);
    assert.equal(counts.rows[0]?.n, 2n);
  });

  it('leaves nothing behind when the caller\'s transaction rolls back', async () => {
    await assert.rejects(database().db.transaction().execute(async (trx) => {
      await enqueueNotificationInTrx(trx, signInCode, start);
      throw new Error('sign-in failed');
    }), /sign-in failed/);
    const counts = await sql<{ notifications: bigint; events: bigint }>`
      select (select count(*) from notification) as notifications,
             (select count(*) from outbox_event) as events`.execute(database().db);
    assert.deepEqual(counts.rows[0], { notifications: 0n, events: 0n });
  });

  it('refuses a malformed recipient, an unknown template, or no transaction', async () => {
    await assert.rejects(enqueue({ ...signInCode, to: '0712 345 678' }), /phone number/);
    await assert.rejects(enqueue({ ...signInCode, channel: 'email', to: 'a@b@c' }), /e-mail/);
    await assert.rejects(enqueue({ ...signInCode, template: 'identity.unknown' }), /unknown/);
    await assert.rejects(enqueueNotificationInTrx(database().db, signInCode, start),
      /transaction/);
  });

  it('delivers to the dev inbox, records it as sent, and never sends it twice', async () => {
    const { id } = await enqueue();
    const options = worker({ sms: devInboxAdapter, email: devInboxAdapter });
    assert.equal((await runOutboxBatch(options)).delivered, 1);
    const stored = await findNotification(database().db, id);
    assert.equal(stored?.status, 'sent');
    assert.equal(stored?.provider, 'dev-inbox');
    assert.equal(stored?.providerMessageId, id);
    assert.equal(stored?.attempts, 1);
    assert.deepEqual(stored?.sentAt, start);
    // A replayed delivery event (at-least-once) finds it sent and does nothing.
    const handler = options.handlers[notificationDeliverTopic];
    assert.ok(handler !== undefined);
    await handler({ id: 'replay', topic: notificationDeliverTopic, payload: { notificationId: id },
      createdAt: start, attempts: 2 },
    { signal: AbortSignal.timeout(1_000), isLastAttempt: false });
    assert.equal((await findNotification(database().db, id))?.attempts, 1);
  });

  it('retries an SMS the provider failed with 5xx, then records the provider id', async () => {
    providerAnswers = [(response) => response.writeHead(503).end()];
    const { id } = await enqueue();
    const options = worker(smsProvider());
    assert.equal((await runOutboxBatch(options)).retried, 1);
    let stored = await findNotification(database().db, id);
    assert.equal(stored?.status, 'failed');
    assert.equal(stored?.lastError, 'SMS provider answered HTTP 503');
    options.clock.advanceMs(outboxRetryDelayMs(1));
    assert.equal((await runOutboxBatch(options)).delivered, 1);
    stored = await findNotification(database().db, id);
    assert.equal(stored?.status, 'sent');
    assert.equal(stored?.provider, 'sms-http');
    assert.equal(stored?.providerMessageId, 'prov-1');
    assert.equal(stored?.attempts, 2);
    assert.equal(stored?.lastError, null);
    assert.equal(stored?.body, removedSecretBody, 'the one-time code leaves the log once sent');
  });

  it('keeps the body of a sent message that holds no secret', async () => {
    const { id } = await enqueue({ ...signInCode, template: 'payments.payment-received',
      params: { amount: 'KES 50.00', billReference: 'HD7K2M9QX4PL', receiptNumber: 'TKL9X2' } });
    await runOutboxBatch(worker(smsProvider()));
    const stored = await findNotification(database().db, id);
    assert.equal(stored?.status, 'sent');
    assert.match(stored?.body ?? '', /we received KES 50\.00 for bill HD7K2M9QX4PL/);
  });

  it('retries an SMS the provider did not answer in time', async () => {
    providerAnswers = [() => undefined];
    const { id } = await enqueue();
    const adapters: NotificationAdapters = {
      sms: smsHttpAdapter({ url: providerUrl, apiKey: 'key', timeoutMs: 200 }),
      email: devInboxAdapter,
    };
    const options = worker(adapters);
    assert.equal((await runOutboxBatch(options)).retried, 1);
    assert.equal((await findNotification(database().db, id))?.lastError,
      'SMS provider did not answer within 200 ms');
    options.clock.advanceMs(outboxRetryDelayMs(1));
    assert.equal((await runOutboxBatch(options)).delivered, 1);
  });

  it('gives up at once when the provider refuses the message (4xx)', async () => {
    providerAnswers = [(response) => response.writeHead(400).end('{"error":"bad number"}')];
    const { id } = await enqueue();
    const report = await runOutboxBatch(worker(smsProvider()));
    assert.equal(report.dead, 1);
    assert.equal((await findNotification(database().db, id))?.status, 'dead');
  });

  it('marks the notification dead when the last attempt fails', async () => {
    providerAnswers = [
      (response) => response.writeHead(502).end(),
      (response) => response.writeHead(502).end(),
    ];
    const { id } = await enqueue();
    const options = worker(smsProvider(), manualClock(start), 2);
    await runOutboxBatch(options);
    assert.equal((await findNotification(database().db, id))?.status, 'failed');
    options.clock.advanceMs(outboxRetryDelayMs(1));
    assert.equal((await runOutboxBatch(options)).dead, 1);
    const stored = await findNotification(database().db, id);
    assert.equal(stored?.status, 'dead');
    assert.equal(stored?.attempts, 2);
  });

  it('logs notification ids and statuses, never the recipient or the message', async () => {
    providerAnswers = [(response) => response.writeHead(503).end()];
    const { id } = await enqueue();
    const options = worker(smsProvider());
    await runOutboxBatch(options);
    options.clock.advanceMs(outboxRetryDelayMs(1));
    await runOutboxBatch(options);
    const log = logLines.join('');
    assert.match(log, new RegExp(id));
    assert.match(log, /"status":"failed"/);
    assert.match(log, /"status":"sent"/);
    assert.doesNotMatch(log, /712345678/);
    assert.doesNotMatch(log, /481516/);
    assert.doesNotMatch(log, /sign-in code/);
  });

  it('finds an outbox event dead when its notification no longer exists', async () => {
    const { id } = await enqueue();
    const eventId = (await sql<{ id: string }>`select id from outbox_event`
      .execute(database().db)).rows[0]?.id ?? '';
    await sql`delete from notification where id = ${id}`.execute(database().db);
    assert.equal((await runOutboxBatch(worker(smsProvider()))).dead, 1);
    assert.match((await findOutboxEvent(database().db, eventId))?.lastError ?? '',
      /does not exist/);
  });
});
