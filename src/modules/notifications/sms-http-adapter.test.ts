import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DeliveryError } from './notification-adapter.ts';
import { smsHttpAdapter } from './sms-http-adapter.ts';

type Received = Readonly<{ headers: IncomingMessage['headers']; body: unknown }>;
type Answer = (response: ServerResponse) => void;

const message = {
  notificationId: '01a2210f-627e-7470-9747-489c08c0bf45',
  to: '+254712345678',
  subject: null,
  body: 'Huduma: your sign-in code is 123456.',
};
const signal = () => AbortSignal.timeout(10_000);

describe('SMS adapter, against a local HTTP provider', () => {
  let server: Server;
  let url = '';
  const received: Received[] = [];
  let answers: Answer[] = [];

  before(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          headers: request.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        });
        const answer = answers.shift() ?? ((reply: ServerResponse) => reply.end('{}'));
        answer(response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address !== null && typeof address === 'object');
    url = `http://127.0.0.1:${address.port}/v1/messages`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    received.length = 0;
    answers = [];
  });

  const json = (status: number, body: unknown): Answer => (response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  it('POSTs JSON with the API key and our id as idempotency key', async () => {
    answers = [json(201, { messageId: 'prov-777', to: '+254712345678' })];
    const adapter = smsHttpAdapter({ url, apiKey: 'key-1' });
    const receipt = await adapter.send(message, signal());
    assert.deepEqual(receipt, { providerMessageId: 'prov-777' });
    assert.equal(received.length, 1);
    assert.deepEqual(received[0]?.body, {
      to: '+254712345678',
      message: 'Huduma: your sign-in code is 123456.',
      reference: message.notificationId,
    });
    assert.equal(received[0]?.headers.authorization, 'Bearer key-1');
    assert.equal(received[0]?.headers['idempotency-key'], message.notificationId);
    assert.equal(received[0]?.headers['content-type'], 'application/json');
  });

  it('accepts a 2xx without a JSON body', async () => {
    answers = [(response) => response.writeHead(204).end()];
    const receipt = await smsHttpAdapter({ url, apiKey: undefined }).send(message, signal());
    assert.deepEqual(receipt, { providerMessageId: null });
    assert.equal(received[0]?.headers.authorization, undefined);
  });

  it('treats 5xx and 429 as worth retrying, other 4xx as permanent', async () => {
    const adapter = smsHttpAdapter({ url, apiKey: 'key-1' });
    for (const [status, retryable] of [[503, true], [500, true], [429, true], [400, false],
      [401, false], [422, false]] as const) {
      answers = [json(status, { error: 'invalid number +254712345678' })];
      await assert.rejects(adapter.send(message, signal()), (error: unknown) => {
        assert.ok(error instanceof DeliveryError);
        assert.equal(error.retryable, retryable, `HTTP ${status}`);
        assert.equal(error.message, `SMS provider answered HTTP ${status}`);
        return true;
      });
    }
  });

  it('refuses to follow a redirect, which would carry the API key elsewhere', async () => {
    answers = [(response) => response.writeHead(302, { location: 'http://elsewhere/' }).end()];
    await assert.rejects(smsHttpAdapter({ url, apiKey: 'key-1' }).send(message, signal()),
      (error: unknown) => error instanceof DeliveryError && !error.retryable);
  });

  it('gives up on a provider that does not answer in time, as worth retrying', async () => {
    answers = [() => undefined];
    const startedAt = Date.now();
    await assert.rejects(smsHttpAdapter({ url, apiKey: 'k', timeoutMs: 200 })
      .send(message, signal()), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.retryable, true);
      assert.equal(error.message, 'SMS provider did not answer within 200 ms');
      return true;
    });
    assert.ok(Date.now() - startedAt < 2_000);
  });

  it('retries when the provider cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    assert.ok(address !== null && typeof address === 'object');
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nowhere = `http://127.0.0.1:${address.port}/`;
    await assert.rejects(smsHttpAdapter({ url: nowhere, apiKey: 'k' })
      .send(message, signal()), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.retryable, true);
      assert.match(error.message, /unreachable \(ECONNREFUSED\)/);
      return true;
    });
  });
});
