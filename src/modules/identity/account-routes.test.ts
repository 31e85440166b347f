import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { listAuditForSubject } from '#modules/audit/index.ts';
import { listRecentNotifications } from '#modules/notifications/index.ts';
import { manualClock } from '#platform/clock/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { FormClient } from '#test/helpers/form-client.ts';
import { latestCodeSentTo } from '#test/helpers/inbox.ts';

const phone = '+254712345678';
const registration = {
  documentType: 'national_id', documentNumber: '12345678', firstName: 'Amina',
  birthYear: '1990', phone: '0712 345 678', email: '', codeChannel: 'sms',
  password: 'a long pass phrase',
};
const minuteMs = 60_000;

describeOnDatabases('identity: register, sign in, reset (routes)', (database) => {
  let app: FastifyInstance;
  const clock = manualClock(new Date('2026-11-28T08:00:00Z'));
  before(async () => {
    app = await buildTestApp(database(), { clock });
  });
  after(async () => {
    await app.close();
  });
  /** A fresh rate-limit window, so tests do not share counters. */
  const nextWindow = () => clock.advanceMs(16 * minuteMs);

  it('registers a person from the register and signs them in with a code', async () => {
    const browser = new FormClient(app);
    const form = await browser.get('/register');
    assert.equal(form.statusCode, 200);
    assert.ok(browser.csrfToken !== undefined, 'the form carries a CSRF token');
    const registered = await browser.post('/register', registration);
    assert.equal(registered.statusCode, 303, registered.body);
    assert.equal(registered.headers.location, '/sign-in/code');
    const codePage = await browser.get('/sign-in/code');
    assert.match(codePage.body, /•••• 5678/);
    const code = await latestCodeSentTo(database(), phone);
    const signedIn = await browser.post('/sign-in/code', { code });
    assert.equal(signedIn.statusCode, 303, signedIn.body);
    assert.equal(signedIn.headers.location, '/account');
    const profile = await browser.get('/account');
    assert.equal(profile.statusCode, 200);
    assert.match(profile.body, /Amina Wanjiku Otieno/);
    assert.match(profile.body, /This device/);
  });

  it('refuses a second registration of the same ID', async () => {
    nextWindow();
    const browser = new FormClient(app);
    await browser.get('/register');
    const again = await browser.post('/register', { ...registration, phone: '0722000000' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /already an account for this ID/);
  });

  it('refuses details that do not match the register, without saying which', async () => {
    const browser = new FormClient(app);
    await browser.get('/register');
    for (const wrong of [{ firstName: 'Jabali' }, { birthYear: '1991' }]) {
      const refused = await browser.post('/register', {
        ...registration, documentType: 'alien_id', documentNumber: '987654321', ...wrong,
      });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /do not match the population register/);
      assert.doesNotMatch(refused.body, /first name is wrong|year is wrong/i);
    }
  });

  it('shows field errors for a form that is not filled in right', async () => {
    const browser = new FormClient(app);
    await browser.get('/register');
    const refused = await browser.post('/register', {
      ...registration, documentNumber: 'abc', phone: '12', password: 'short',
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /<title>Error: Create an account/);
    assert.match(refused.body, /href="#documentNumber"/);
    assert.match(refused.body, /href="#phone"/);
    assert.match(refused.body, /href="#password"/);
    assert.doesNotMatch(refused.body, /a long pass phrase|value="short"/);
  });

  it('refuses a form without its CSRF token, or with another one', async () => {
    const browser = new FormClient(app);
    await browser.get('/sign-in');
    const missing = await browser.post('/sign-in', {
      _csrf: '', documentType: 'national_id', documentNumber: '12345678', password: 'x',
    });
    assert.equal(missing.statusCode, 403);
    assert.match(missing.body, /This form has expired/);
    const other = new FormClient(app);
    await other.get('/sign-in');
    const stolen = await browser.post('/sign-in', {
      _csrf: other.csrfToken ?? '', documentType: 'national_id', documentNumber: '12345678',
      password: 'x',
    });
    assert.equal(stolen.statusCode, 403);
  });

  it('signs in with password then code; wrong password and unknown ID look alike', async () => {
    nextWindow();
    const browser = new FormClient(app);
    await browser.get('/sign-in');
    const wrong = await browser.post('/sign-in', { ...registration, password: 'not the one' });
    const unknown = await browser.post('/sign-in',
      { ...registration, documentNumber: '11112222' });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    const message = /The ID number or password is not right/;
    assert.match(wrong.body, message);
    assert.match(unknown.body, message);
    const started = await browser.post('/sign-in?return=/account%3Fx%3D1', registration);
    assert.equal(started.statusCode, 303);
    assert.equal(started.headers.location, '/sign-in/code?return=%2Faccount%3Fx%3D1');
    const code = await latestCodeSentTo(database(), phone);
    const done = await browser.post(String(started.headers.location), { code });
    assert.equal(done.headers.location, '/account?x=1');
  });

  it('locks the code after five wrong tries, even for the right code after', async () => {
    nextWindow();
    const browser = new FormClient(app);
    await browser.get('/sign-in');
    await browser.post('/sign-in', registration);
    const code = await latestCodeSentTo(database(), phone);
    const wrongCode = code === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const refused = await browser.post('/sign-in/code', { code: wrongCode });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, new RegExp(`try ${5 - attempt} more times`));
    }
    const locked = await browser.post('/sign-in/code', { code: wrongCode });
    assert.equal(locked.statusCode, 429);
    assert.match(locked.body, /Too many wrong codes/);
    const right = await browser.post('/sign-in/code', { code });
    assert.equal(right.statusCode, 429);
    assert.equal(browser.cookie('huduma_session'), undefined);
  });

  it('expires a code after five minutes and uses it only once', async () => {
    nextWindow();
    const browser = new FormClient(app);
    await browser.get('/sign-in');
    await browser.post('/sign-in', registration);
    const code = await latestCodeSentTo(database(), phone);
    clock.advanceMs(5 * minuteMs);
    const expired = await browser.post('/sign-in/code', { code });
    assert.equal(expired.statusCode, 410);
    await browser.get('/sign-in');
    await browser.post('/sign-in', registration);
    const fresh = await latestCodeSentTo(database(), phone);
    const first = await browser.post('/sign-in/code', { code: fresh });
    assert.equal(first.statusCode, 303);
  });

  it('ends sessions on sign-out, when idle, and at the absolute limit', async () => {
    nextWindow();
    const signIn = async () => {
      clock.advanceMs(1_000); // each sign-in's code is then the newest one
      const browser = new FormClient(app);
      await browser.get('/sign-in');
      await browser.post('/sign-in', registration);
      await browser.post('/sign-in/code', { code: await latestCodeSentTo(database(), phone) });
      return browser;
    };
    const browser = await signIn();
    await browser.get('/account');
    const token = browser.cookie('huduma_session');
    const out = await browser.post('/sign-out');
    assert.equal(out.statusCode, 303);
    assert.equal(browser.cookie('huduma_session'), undefined, 'the cookie is cleared');
    const after = await app.inject({ url: '/account', headers: { accept: 'text/html',
      cookie: `huduma_session=${token ?? ''}` } });
    assert.equal(after.statusCode, 303, 'the old cookie is worth nothing after sign-out');
    assert.equal(after.headers.location, '/sign-in?return=%2Faccount');

    const idle = await signIn();
    clock.advanceMs(29 * minuteMs);
    assert.equal((await idle.get('/account')).statusCode, 200);
    clock.advanceMs(29 * minuteMs);
    assert.equal((await idle.get('/account')).statusCode, 200, 'activity keeps it alive');
    clock.advanceMs(31 * minuteMs);
    assert.equal((await idle.get('/account')).statusCode, 303, 'idle for 31 minutes');

    nextWindow();
    const busy = await signIn();
    for (let hour = 0; hour < 12; hour += 1) {
      clock.advanceMs(25 * minuteMs);
      await busy.get('/account');
      clock.advanceMs(25 * minuteMs);
      await busy.get('/account');
      clock.advanceMs(10 * minuteMs);
    }
    assert.equal((await busy.get('/account')).statusCode, 303, 'at most 12 hours');
  });

  it('resets a password by code; the reset ends every session', async () => {
    nextWindow();
    const signedIn = new FormClient(app);
    await signedIn.get('/sign-in');
    await signedIn.post('/sign-in', registration);
    await signedIn.post('/sign-in/code', { code: await latestCodeSentTo(database(), phone) });
    assert.equal((await signedIn.get('/account')).statusCode, 200);

    const browser = new FormClient(app);
    await browser.get('/password-reset');
    const started = await browser.post('/password-reset', {
      documentType: 'national_id', documentNumber: '12345678',
    });
    assert.equal(started.headers.location, '/password-reset/code');
    const page = await browser.get('/password-reset/code');
    assert.doesNotMatch(page.body, /5678/, 'the reset page never says where the code went');
    const code = await latestCodeSentTo(database(), phone, 'identity.password-reset-code');
    const reset = await browser.post('/password-reset/code', {
      code, password: 'a brand new phrase',
    });
    assert.equal(reset.statusCode, 303, reset.body);
    assert.equal(reset.headers.location, '/sign-in?notice=passwordChanged');
    assert.equal((await signedIn.get('/account')).statusCode, 303);
    const told = await listRecentNotifications(database().db, 20);
    assert.ok(told.some((message) => message.recipient === phone &&
      message.template === 'identity.password-changed'), 'the holder is told of the reset');
    registration.password = 'a brand new phrase';
    await browser.get('/sign-in');
    const again = await browser.post('/sign-in', registration);
    assert.equal(again.statusCode, 303);
  });

  it('answers a reset for an unknown ID just like a known one, and never succeeds', async () => {
    nextWindow();
    const browser = new FormClient(app);
    await browser.get('/password-reset');
    const started = await browser.post('/password-reset', {
      documentType: 'national_id', documentNumber: '55554444',
    });
    assert.equal(started.headers.location, '/password-reset/code');
    const page = await browser.get('/password-reset/code');
    assert.equal(page.statusCode, 200);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await browser.post('/password-reset/code', { code: String(attempt).repeat(6),
        password: 'whatever you like' });
    }
    const locked = await browser.get('/password-reset/code');
    assert.match(locked.body, /Too many wrong codes/);
  });

  it('audits sign-ins and failed sign-ins against the account', async () => {
    const accountId = (await database().db.withTables<{ account: { id: string;
      document_number: string } }>().selectFrom('account').select('id')
      .where('document_number', '=', '12345678').executeTakeFirstOrThrow()).id;
    const records = await listAuditForSubject(database().db, { type: 'account', id: accountId },
      { limit: 200 });
    const actions = new Set(records.map((record) => record.action));
    for (const action of ['ACCOUNT_REGISTERED', 'ACCOUNT_SIGNED_IN', 'ACCOUNT_SIGN_IN_FAILED',
      'ACCOUNT_SIGNED_OUT', 'ACCOUNT_PASSWORD_RESET']) {
      assert.ok(actions.has(action), `${action} is audited`);
    }
    const failure = records.find((record) => record.action === 'ACCOUNT_SIGN_IN_FAILED');
    assert.ok(failure !== undefined && failure.sourceAddress === '127.0.0.1');
  });
});
