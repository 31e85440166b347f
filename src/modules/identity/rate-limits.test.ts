import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { manualClock } from '#platform/clock/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { FormClient } from '#test/helpers/form-client.ts';
import { latestCodeSentTo } from '#test/helpers/inbox.ts';
import { identityDb } from './identity-deps.ts';
import {
  codesSentPerAccountMax,
  httpSignInRequestsPerMinuteMax,
  signInAttemptsPerAccountMax,
  signInAttemptsPerAddressMax,
} from './identity-limits.ts';
import { allowAttempt } from './rate-limits.ts';

const registration = {
  documentType: 'passport', documentNumber: 'C0300598', firstName: 'Sifa', birthYear: '1979',
  phone: '+447911123456', email: '', codeChannel: 'sms', password: 'a long pass phrase',
};
const windowMs = 16 * 60_000;

describeOnDatabases('identity: rate limits', (database) => {
  let app: FastifyInstance;
  const clock = manualClock(new Date('2026-11-28T12:00:00Z'));
  before(async () => {
    app = await buildTestApp(database(), { clock });
    const browser = new FormClient(app);
    await browser.get('/register');
    const registered = await browser.post('/register', registration);
    assert.equal(registered.statusCode, 303);
    clock.advanceMs(windowMs);
  });
  after(async () => {
    await app.close();
  });

  /** A browser at its own address, so only the per-account limit applies. */
  const from = async (address: string) => {
    const browser = new FormClient(app, { remoteAddress: address });
    await browser.get('/sign-in');
    return browser;
  };

  it('limits password attempts per account, whatever the address', async () => {
    for (let attempt = 1; attempt <= signInAttemptsPerAccountMax; attempt += 1) {
      const browser = await from(`10.0.0.${attempt}`);
      const wrong = await browser.post('/sign-in', { ...registration, password: 'wrong one!' });
      assert.equal(wrong.statusCode, 401);
    }
    const browser = await from('10.0.1.1');
    const right = await browser.post('/sign-in', registration);
    assert.equal(right.statusCode, 429, 'even the right password waits for the window');
    assert.match(right.body, /Too many attempts/);
    clock.advanceMs(windowMs);
    assert.equal((await browser.post('/sign-in', registration)).statusCode, 303);
  });

  it('limits codes sent per account', async () => {
    clock.advanceMs(windowMs);
    for (let attempt = 1; attempt <= codesSentPerAccountMax; attempt += 1) {
      const browser = await from(`10.0.2.${attempt}`);
      assert.equal((await browser.post('/sign-in', registration)).statusCode, 303);
      clock.advanceMs(1_000);
    }
    const browser = await from('10.0.2.99');
    const refused = await browser.post('/sign-in', registration);
    assert.equal(refused.statusCode, 429);
    const code = await latestCodeSentTo(database(), '+447911123456');
    assert.match(code, /^\d{6}$/, 'the earlier codes were sent');
  });

  it('counts attempts per source address in the database, shared by every process', async () => {
    const db = identityDb({ db: database().db });
    const key = Buffer.alloc(32, 7);
    const now = new Date('2026-11-28T13:00:00Z');
    for (let attempt = 1; attempt <= signInAttemptsPerAddressMax; attempt += 1) {
      assert.ok(await allowAttempt(db, key, 'sign-in', { address: '192.0.2.1' }, now));
    }
    assert.equal(await allowAttempt(db, key, 'sign-in', { address: '192.0.2.1' }, now), false);
    assert.ok(await allowAttempt(db, key, 'sign-in', { address: '192.0.2.2' }, now));
    const stored = await db.selectFrom('rate_limit_counter').select('bucket').execute();
    assert.ok(stored.every((row) => !row.bucket.includes('192.0.2')), 'addresses are hashed');
  });

  it('limits sign-in requests per address per minute in each process (HTTP 429)', async () => {
    const browser = await from('10.0.3.1');
    let last = 0;
    for (let request = 0; request <= httpSignInRequestsPerMinuteMax; request += 1) {
      last = (await browser.post('/sign-in/code', { code: '123456' })).statusCode;
    }
    assert.equal(last, 429);
    const other = await from('10.0.3.2');
    assert.equal((await other.post('/sign-in/code', { code: '123456' })).statusCode, 303);
  });
});
