/**
 * Hostile input at the edge, as issue 9 found it: numbers that are not finite, NUL characters
 * on their way to the database, and refused form posts that answered twice. Each is a 4xx with
 * one answer and nothing logged above info.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '#platform/logging/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { FormClient } from '#test/helpers/form-client.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { insertPaymentsFixture } from '#test/helpers/payments.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';

const form = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

describeOnDatabases('hostile input at the edge', (database) => {
  const lines: string[] = [];
  let app: FastifyInstance;
  let payer: TestCaller;
  let reference = '';
  before(async () => {
    await insertPaymentsFixture(database());
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => {
      lines.push(line);
    } } });
    app = await buildTestApp(database(), { logger });
    payer = await signInAs(database(), 'account-holder');
    const started = await app.inject({ method: 'POST', url: '/pay/services/fixture-passport',
      headers: { ...form, ...payer.headers },
      payload: new URLSearchParams({ _csrf: payer.csrfToken }).toString() });
    assert.equal(started.statusCode, 303, started.body);
    reference = decodeURIComponent(String(started.headers.location).split('/').pop() ?? '');
  });
  after(async () => app.close());

  /** Lines at warn (40) or above since `from`. */
  const troubleSince = (from: number) => lines.slice(from)
    .filter((line) => (JSON.parse(line) as { level: number }).level >= 40);

  it('answers 400 to page numbers and sizes that are not finite', async () => {
    const from = lines.length;
    for (const url of ['/api/v1/agencies?pageSize=Infinity', '/api/v1/agencies?page=1e309',
      '/api/v1/agencies?page=-Infinity', '/api/v1/ministries/fixture-interior?page=1e309',
      '/api/v1/ministries/fixture-interior?pageSize=Infinity',
      '/api/v1/services?q=passport&pageSize=1e400']) {
      const response = await app.inject({ url });
      assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
      assert.equal(response.json<{ code: string }>().code, 'PLATFORM_VALIDATION_FAILED');
    }
    assert.deepEqual(troubleSince(from), []);
  });

  it('answers 400 to a NUL character anywhere, before it reaches the database', async () => {
    const from = lines.length;
    const visitor = new FormClient(app);
    await visitor.get('/staff/sign-in');
    const staff = await visitor.post('/staff/sign-in',
      { email: 'a\u0000@example.org', password: 'x\u0000y', code: '123456' });
    await visitor.get('/register');
    const register = await visitor.post('/register', { documentType: 'national_id',
      idNumber: '1234\u00005678', firstName: 'A\u0000', yearOfBirth: '1984' });
    const pay = await app.inject({ method: 'POST', url: `/pay/${reference}/mpesa`,
      headers: { ...form, ...payer.headers },
      payload: new URLSearchParams({ _csrf: payer.csrfToken, phone: '0712345678',
        requestKey: 'k\u0000' }).toString() });
    const search = await app.inject({ url: '/api/v1/agencies?ministry=a%00b' });
    const json = await app.inject({ method: 'POST', url: '/sign-in',
      headers: { 'content-type': 'application/json' }, payload: '{"idNumber":"1\\u0000"}' });
    for (const [name, response] of Object.entries({ staff, register, pay, search, json })) {
      assert.ok(response.statusCode === 400 || response.statusCode === 415,
        `${name}: ${response.statusCode} ${response.body.slice(0, 200)}`);
    }
    assert.deepEqual(troubleSince(from), []);
  });

  it('answers a refused anonymous form post once, logging no address or query', async () => {
    const from = lines.length;
    const response = await app.inject({ method: 'POST',
      url: '/staff/people?idNumber=27182818&email=wanjiku%40example.org',
      headers: form, payload: 'email=wanjiku%40example.org' });
    assert.equal(response.statusCode, 303);
    const forged = await app.inject({ method: 'POST', url: `/pay/${reference}/mpesa?x=31415926`,
      headers: { ...form, ...payer.headers }, payload: 'phone=0712345678' });
    assert.equal(forged.statusCode, 403);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(troubleSince(from), []);
    const written = lines.slice(from).join('');
    for (const value of ['27182818', 'wanjiku', '31415926']) {
      assert.ok(!written.includes(value), `${value} is not logged`);
    }
  });
});
