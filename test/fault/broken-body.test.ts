/**
 * A client that sends a broken chunked body and goes: the server answers 400 if it can and
 * logs nothing at error level (the rate limit of the sign-in routes once threw a TypeError on
 * the address the closed socket no longer has).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '#config';
import { createLogger } from '#platform/logging/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';

/** Sends `head` and `body` on a raw connection, closes it after `closeAfterMs`. */
function sendRaw(port: number, request: string, closeAfterMs: number): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(request);
      setTimeout(() => socket.end(), closeAfterMs);
    });
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', () => undefined);
  });
}

describeOnDatabases('a broken chunked body', (database) => {
  const lines: string[] = [];
  let app: FastifyInstance;
  let port = 0;
  before(async () => {
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => {
      lines.push(line);
    } } });
    // No C2B registration at listen: the in-process emulator is not on this port.
    const config = loadConfig({ HUDUMA_ENV: 'test', HUDUMA_MPESA_REGISTER_C2B_URLS: 'off' });
    app = await buildTestApp(database(), { logger, config });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as net.AddressInfo).port;
  });
  after(async () => app.close());

  it('on a rate-limited route gets a 400 and logs no error', async () => {
    const from = lines.length;
    for (const path of ['/sign-in', '/sign-in/code', '/staff/sign-in']) {
      for (const body of ['zz\r\nabc\r\n0\r\n\r\n', '5\r\nabc\r\n0\r\n\r\n', '3\r\nabc']) {
        const answer = await sendRaw(port, `POST ${path} HTTP/1.1\r\nHost: huduma\r\n` +
          'Content-Type: application/x-www-form-urlencoded\r\n' +
          `Transfer-Encoding: chunked\r\n\r\n${body}`, 50);
        assert.match(answer, /^(HTTP\/1\.1 400 |$)/, `${path} ${JSON.stringify(body)}`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const errors = lines.slice(from)
      .filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    assert.deepEqual(errors, []);
  });
});
