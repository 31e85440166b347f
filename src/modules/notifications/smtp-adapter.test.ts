import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestSmtpServer, type TestSmtpServer } from '#test/helpers/smtp-server.ts';
import { DeliveryError } from './notification-adapter.ts';
import { smtpAdapter } from './smtp-adapter.ts';

const message = {
  notificationId: '01a2210f-627e-7470-9747-489c08c0bf45',
  to: 'wanjiku@example.org',
  subject: 'Your Huduma sign-in code',
  body: 'Your sign-in code is 123456.\n\nIt expires in 10 minutes.',
};
const signal = () => AbortSignal.timeout(10_000);

describe('SMTP adapter, against a local SMTP server', () => {
  let server: TestSmtpServer;
  before(async () => {
    server = await startTestSmtpServer();
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.setBehaviour({});
    server.received.length = 0;
  });

  const adapter = (timeoutMs = 5_000) => smtpAdapter({
    url: `smtp://127.0.0.1:${server.port}`,
    from: 'Huduma <no-reply@huduma.example>',
    timeoutMs,
  });

  it('sends the message over SMTP and returns its Message-ID', async () => {
    const receipt = await adapter().send(message, signal());
    assert.match(receipt.providerMessageId ?? '', /^<.+@.+>$/);
    assert.equal(server.received.length, 1);
    const mail = server.received[0];
    assert.equal(mail?.from, 'no-reply@huduma.example');
    assert.deepEqual(mail?.to, ['wanjiku@example.org']);
    assert.match(mail?.data ?? '', /^Subject: Your Huduma sign-in code$/m);
    assert.match(mail?.data ?? '', /^X-Huduma-Notification: 01a2210f-627e/m);
    assert.match(mail?.data ?? '', /Your sign-in code is 123456\./);
  });

  it('treats a 5xx refusal as permanent, without quoting the address', async () => {
    server.setBehaviour({ rcptReply: '550 5.1.1 <wanjiku@example.org> user unknown' });
    await assert.rejects(adapter().send(message, signal()), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.retryable, false);
      assert.doesNotMatch(error.message, /wanjiku/);
      assert.match(error.message, /550/);
      return true;
    });
  });

  it('treats a 4xx answer as worth retrying', async () => {
    server.setBehaviour({ dataReply: '451 4.3.0 mailbox busy, try later' });
    await assert.rejects(adapter().send(message, signal()), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.retryable, true);
      assert.match(error.message, /451/);
      return true;
    });
  });

  it('gives up on a server that never greets, in time, and retries later', async () => {
    server.setBehaviour({ silent: true });
    const startedAt = Date.now();
    await assert.rejects(adapter(300).send(message, signal()), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.retryable, true);
      return true;
    });
    assert.ok(Date.now() - startedAt < 5_000);
  });

  it('retries when nothing listens', async () => {
    const closed = smtpAdapter({ url: 'smtp://127.0.0.1:1', from: 'a@b.example', timeoutMs: 500 });
    await assert.rejects(closed.send(message, signal()), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.retryable, true);
      return true;
    });
  });
});
