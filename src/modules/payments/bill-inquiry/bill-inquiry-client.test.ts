/**
 * The signed lookup request against a local HTTP server: the body carries the reference and
 * amount and nothing about the payer, the signature verifies with the documented recipe (the
 * sample agency's, written from the docs), and every way an agency can fail to answer is an
 * outcome, never a throw: an error status, an answer not understood or too large, no answer
 * within the timeout, a refused connection, a redirect.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { money } from '#platform/money/index.ts';
import { verifyHudumaSignature } from '../../../../examples/sample-agency/signature.ts';
import { lookUpBill, type LookupRequest } from './bill-inquiry-client.ts';

type Seen = Readonly<{ headers: IncomingHttpHeaders; body: string }>;
const answers = new Map<string, (response: ServerResponse) => void>();
const seen: Seen[] = [];
const json = (status: number, body: string) => (response: ServerResponse) => {
  response.writeHead(status, { 'content-type': 'application/json' }).end(body);
};

describe('the bill lookup request', () => {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers.get(request.url ?? '') ?? json(404, '{}');
      answer(response);
    });
  });
  let base = '';
  before(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  const request = (path: string, timeoutMs = 1_000): LookupRequest => ({
    url: `${base}${path}`, secret: 'bisec_test', timeoutMs, reference: 'KP12345678X',
    amount: money(1_500_00n, 'KES'), at: new Date() });

  it('sends the reference and amount, signed so the documented recipe verifies it', async () => {
    answers.set('/found', json(200, '{"found":true,"amountDueMinor":"150000","currency":"KES"}'));
    const result = await lookUpBill(request('/found'));
    assert.equal(result.outcome, 'found');
    const last = seen.at(-1);
    assert.ok(last !== undefined);
    assert.deepEqual(Object.keys(JSON.parse(last.body) as object).sort(),
      ['amountMinor', 'currency', 'reference', 'requestedAt']);
    assert.ok(verifyHudumaSignature('bisec_test', last.headers, last.body));
    assert.ok(!verifyHudumaSignature('bisec_other', last.headers, last.body));
  });

  it('turns every failure into an outcome', async () => {
    answers.set('/missing', json(200, '{"found":false}'));
    answers.set('/error', json(503, '{"found":true}'));
    answers.set('/garbled', json(200, 'not json'));
    answers.set('/numbers', json(200, '{"found":true,"amountDueMinor":150000,"currency":"KES"}'));
    answers.set('/huge', json(200, `{"found":false,"pad":"${'x'.repeat(20_000)}"}`));
    answers.set('/moved', (response) => {
      response.writeHead(302, { location: `${base}/found` }).end();
    });
    answers.set('/slow', (response) => {
      setTimeout(() => json(200, '{"found":false}')(response), 600);
    });
    const table = [['/missing', 'not_found'], ['/error', 'unavailable'],
      ['/garbled', 'invalid_answer'], ['/numbers', 'invalid_answer'],
      ['/huge', 'invalid_answer'], ['/moved', 'unavailable']] as const;
    for (const [path, outcome] of table) {
      assert.equal((await lookUpBill(request(path))).outcome, outcome, path);
    }
    assert.equal((await lookUpBill(request('/slow', 150))).outcome, 'timeout');
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const refused = await lookUpBill({ ...request('/'), url: `http://127.0.0.1:${port}/` });
    assert.equal(refused.outcome, 'unavailable');
  });
});
