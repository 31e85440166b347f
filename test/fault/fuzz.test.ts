/**
 * The route fuzz's share in `npm test`: a few thousand generated requests over every declared
 * route and form, on each database. `npm run fault:fuzz` sends the full 100,000 (RELIABILITY.md).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { findPersonalData } from './fuzz/fuzz-log-scan.ts';
import { runFuzz, scanLog, startFuzzTarget, type FuzzTarget } from './fuzz/fuzz-run.ts';

const requestsPerDatabase = 1_500;
const seed = 20261203;

it('the log scan finds ID, phone and e-mail shapes, and not the usual fields', () => {
  for (const [value, shape] of [['31415926', 'ID number'], ['+254712345678', 'phone'],
    ['0712345678', 'phone'], ['wanjiku@example.org', 'e-mail'], ['C0300598', 'passport number']]) {
    assert.equal(findPersonalData(JSON.stringify({ level: 30, msg: `x ${value} y` })), shape);
    assert.equal(findPersonalData(JSON.stringify({ detail: { value } })), shape);
  }
  assert.equal(findPersonalData(JSON.stringify({ level: 30, time: 1796283173450, pid: 1234567,
    hostname: 'vm', reqId: 'req-12', responseTime: 12.3456789, msg: 'request completed',
    err: { stack: 'at file.ts:50:10' } })), undefined);
  // Generated ids whose digit runs look like ID numbers are not personal data.
  assert.equal(findPersonalData(JSON.stringify({ msg: 'payment alert raised',
    alertId: '0193a5b2-7e41-7a3c-8123-41234567b9ac',
    token: 'f1234567890abcdef0123456789abcde' })), undefined);
  assert.equal(findPersonalData(JSON.stringify({ msg: 'id 0193a5b2-7e41-7a3c-8123-41234567b9ac' +
    ' for 31415926' })), 'ID number');
});

describeOnDatabases('route fuzz', (database) => {
  let target: FuzzTarget;
  before(async () => {
    target = await startFuzzTarget(database());
  });
  after(async () => target.close());

  it(`${requestsPerDatabase} generated requests: no 5xx, no crash, no personal data logged`,
    async () => {
      const result = await runFuzz(target, { count: requestsPerDatabase, seed, concurrency: 4 });
      scanLog(target, result);
      assert.equal(result.requests, requestsPerDatabase);
      assert.deepEqual(result.failures.map(({ request, outcome }) =>
        `${request.method} ${request.route} as ${request.caller}: ${outcome}`), []);
      assert.deepEqual(result.crashes, []);
      assert.deepEqual(result.personalDataLines, []);
      const health = await target.app.inject('/healthz');
      assert.equal(health.statusCode, 200, 'the app still answers');
    });
});
