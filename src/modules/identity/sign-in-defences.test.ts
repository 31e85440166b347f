import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { manualClock } from '#platform/clock/index.ts';
import { buildTestApp, testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { FormClient } from '#test/helpers/form-client.ts';
import { latestCodeSentTo } from '#test/helpers/inbox.ts';
import { identityDb } from './identity-deps.ts';
import {
  codesSentPerAccountMax,
  passwordHashQueueWaitMsMax,
  signInAttemptsPerAccountMax,
} from './identity-limits.ts';
import { identityDepsOf, syntheticRegister } from './index.ts';
import { hashPassword } from './password-hashing.ts';
import { createStaff } from './staff-service.ts';
import { base32Decode, hotp, totpStepAt } from './totp.ts';

const sifa = {
  documentType: 'passport', documentNumber: 'C0300598', firstName: 'Sifa', birthYear: '1979',
  phone: '+447911123456', email: '', codeChannel: 'sms', password: 'a long pass phrase',
};
const windowMs = 16 * 60_000;
const weakParameters = {
  costLog2: 15, blockSize: 8, parallelism: 1, keyLengthBytes: 32, saltLengthBytes: 16,
};

describeOnDatabases('identity: sign-in defences (load, enumeration, lock-out)', (database) => {
  let app: FastifyInstance;
  const clock = manualClock(new Date('2026-11-28T12:00:00Z'));
  let addressCounter = 0;
  before(async () => {
    app = await buildTestApp(database(), { clock });
    const browser = new FormClient(app);
    await browser.get('/register');
    assert.equal((await browser.post('/register', sifa)).statusCode, 303);
  });
  after(async () => {
    await app.close();
  });
  /** A browser at an address of its own, so only the per-account limits apply. */
  const stranger = async (path = '/sign-in') => {
    addressCounter += 1;
    const browser = new FormClient(app,
      { remoteAddress: `10.${addressCounter >> 8}.${addressCounter & 255}.9` });
    await browser.get(path);
    return browser;
  };
  const db = () => identityDb({ db: database().db });

  it('a flood of sign-ins: the excess is refused fast with 503 and Retry-After', async () => {
    clock.advanceMs(windowMs);
    const browsers = await Promise.all(Array.from({ length: 24 }, () => stranger()));
    const started = Date.now();
    const send = async (browser: FormClient, form: Readonly<Record<string, string>>) => {
      const answer = await browser.post('/sign-in', form);
      return { answer, ms: Date.now() - started };
    };
    const [first, ...others] = browsers;
    assert.ok(first !== undefined);
    // The owner's attempt comes first (it is in the gate before the flood arrives).
    const owners = send(first, sifa);
    await sleep(100);
    const flood = Promise.all(others.map((browser, index) =>
      send(browser, { ...sifa, documentNumber: `B${String(1_000_000 + index)}` })));
    const answers = [await owners, ...await flood];
    const refused = answers.filter(({ answer }) => answer.statusCode === 503);
    const admitted = answers.filter(({ answer }) => answer.statusCode !== 503);
    // The owner's attempt, sent first, is admitted and succeeds; on a very slow machine the
    // flood may reach the gate first, and then the owner's retry succeeds once it has passed.
    const ownerStatus = answers[0]?.answer.statusCode;
    assert.ok(ownerStatus === 303 || ownerStatus === 503, `owner: ${ownerStatus}`);
    if (ownerStatus === 503) assert.equal((await first.post('/sign-in', sifa)).statusCode, 303);
    assert.ok(admitted.length >= 2, `admitted: ${admitted.length}`);
    assert.ok(admitted.every(({ answer }) => [303, 401].includes(answer.statusCode)));
    assert.ok(refused.length >= 10, `refused: ${refused.length}`);
    assert.ok(refused.some(({ answer }) => /Too many people are signing in/.test(answer.body)));
    for (const { answer, ms } of refused) {
      assert.ok(Number(answer.headers['retry-after']) >= 1, 'Retry-After');
      assert.ok(ms < passwordHashQueueWaitMsMax + 1_500, `refused after ${ms} ms`);
    }
  });

  const exhaust = async (path: string, form: Readonly<Record<string, string>>) => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt <= signInAttemptsPerAccountMax; attempt += 1) {
      statuses.push((await (await stranger(path)).post(path, form)).statusCode);
    }
    return statuses;
  };

  it('an unknown document is limited exactly as a known one (no enumeration)', async () => {
    clock.advanceMs(windowMs);
    const known = await exhaust('/sign-in', { ...sifa, password: 'wrong one!' });
    const unknown = await exhaust('/sign-in',
      { ...sifa, documentNumber: 'C0999999', password: 'wrong one!' });
    assert.deepEqual(unknown, known);
    assert.equal(known.at(-1), 429);
    assert.equal(known.filter((status) => status === 401).length, signInAttemptsPerAccountMax);
  });

  it('a stranger who spends the limit does not lock the owner out of their browser', async () => {
    clock.advanceMs(windowMs);
    const owner = await stranger();
    assert.equal((await owner.post('/sign-in', sifa)).statusCode, 303);
    const code = await latestCodeSentTo(database(), sifa.phone);
    assert.equal((await owner.post('/sign-in/code', { code })).statusCode, 303);
    await owner.post('/sign-out', {});
    clock.advanceMs(windowMs);
    const spent = await exhaust('/sign-in', { ...sifa, password: 'wrong one!' });
    assert.equal(spent.at(-1), 429);
    const elsewhere = await stranger();
    assert.equal((await elsewhere.post('/sign-in', sifa)).statusCode, 429,
      'a browser never signed in on waits for the window');
    await owner.get('/sign-in');
    assert.equal((await owner.post('/sign-in', sifa)).statusCode, 303,
      'the owner\'s browser is counted on its own');
    clock.advanceMs(windowMs);
    const reset = { documentType: sifa.documentType, documentNumber: sifa.documentNumber };
    const resets: number[] = [];
    for (let attempt = 0; attempt <= codesSentPerAccountMax; attempt += 1) {
      resets.push((await (await stranger('/password-reset')).post('/password-reset', reset))
        .statusCode);
    }
    assert.equal(resets.at(-1), 429, 'strangers spent the reset codes');
    await owner.get('/password-reset');
    assert.equal((await owner.post('/password-reset', reset)).statusCode, 303,
      'the owner\'s browser may still ask for a reset');
  });

  it('an old scrypt hash (2^15) still signs in and is replaced by a 2^17 one', async () => {
    clock.advanceMs(windowMs);
    await db().updateTable('account')
      .set({ password_hash: await hashPassword(sifa.password, weakParameters) })
      .where('document_number', '=', sifa.documentNumber).execute();
    const browser = await stranger();
    assert.equal((await browser.post('/sign-in', sifa)).statusCode, 303);
    const stored = await db().selectFrom('account').select('password_hash')
      .where('document_number', '=', sifa.documentNumber).executeTakeFirstOrThrow();
    assert.match(stored.password_hash ?? '', /^\$scrypt\$ln=17,r=8,p=1\$/);
  });

  it('staff: unknown e-mails limited alike, the owner\'s browser not locked out, rehash',
    async () => {
      const identity = await identityDepsOf(testDeps(database(), { clock }), syntheticRegister());
      const created = await createStaff(identity, 'command-line', {
        email: 'limits.test@huduma.example', displayName: 'Limits Test', role: 'auditor',
        agencyId: null,
      }, { address: null });
      assert.ok(created.ok);
      await db().updateTable('staff_member')
        .set({ password_hash: await hashPassword(created.value.temporaryPassword,
          weakParameters) })
        .where('id', '=', created.value.staffId).execute();
      const secret = base32Decode(created.value.totpSecret);
      const form = () => ({ email: 'limits.test@huduma.example',
        password: created.value.temporaryPassword,
        totpCode: hotp(secret, totpStepAt(clock.now())) });
      clock.advanceMs(windowMs);
      const owner = await stranger('/staff/sign-in');
      assert.equal((await owner.post('/staff/sign-in', form())).statusCode, 303);
      const stored = await db().selectFrom('staff_member').select('password_hash')
        .where('id', '=', created.value.staffId).executeTakeFirstOrThrow();
      assert.match(stored.password_hash ?? '', /^\$scrypt\$ln=17,/);
      await owner.post('/sign-out', {});
      clock.advanceMs(windowMs);
      const wrong = { ...form(), password: 'wrong password here' };
      const known = await exhaust('/staff/sign-in', wrong);
      const unknown = await exhaust('/staff/sign-in',
        { ...wrong, email: 'nobody.here@huduma.example' });
      assert.deepEqual(unknown, known);
      assert.equal(known.at(-1), 429);
      await owner.get('/staff/sign-in');
      assert.equal((await owner.post('/staff/sign-in', form())).statusCode, 303);
    });
});
