import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { listAuditForSubject } from '#modules/audit/index.ts';
import { manualClock } from '#platform/clock/index.ts';
import { err } from '#platform/errors/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { FormClient } from '#test/helpers/form-client.ts';
import { listRecentNotifications } from '#modules/notifications/index.ts';
import { latestCodeSentTo, messagesSentTo } from '#test/helpers/inbox.ts';
import { modules } from '../../modules.ts';
import { createIdentityModule, syntheticRegister, type PopulationRegister } from './index.ts';

const registration = {
  documentType: 'national_id', documentNumber: '12345678', firstName: 'Amina',
  birthYear: '1990', phone: '0712345678', email: 'amina@example.org', codeChannel: 'email',
  password: 'a long pass phrase',
};

describeOnDatabases('identity: profile, contact change, acting for others', (database) => {
  let app: FastifyInstance;
  let registerDown = false;
  const clock = manualClock(new Date('2026-11-28T10:00:00Z'));
  const synthetic = syntheticRegister();
  // The synthetic register, switched off on demand to see how pages cope.
  const register: PopulationRegister = {
    verifyPerson: async (claim) =>
      registerDown ? err('unavailable') : synthetic.verifyPerson(claim),
    findDependants: async (who) =>
      registerDown ? err('unavailable') : synthetic.findDependants(who),
    findBusinessesDirectedBy: async (who) =>
      registerDown ? err('unavailable') : synthetic.findBusinessesDirectedBy(who),
  };
  let browser: FormClient;
  before(async () => {
    app = await buildTestApp(database(), {
      clock,
      modules: modules.map((module) => module.name === 'identity'
        ? createIdentityModule({ register: () => register }) : module),
    });
    browser = new FormClient(app);
    await browser.get('/register');
    await browser.post('/register', registration);
    const code = await latestCodeSentTo(database(), 'amina@example.org',
      'identity.sign-in-code');
    const signedIn = await browser.post('/sign-in/code', { code });
    assert.equal(signedIn.statusCode, 303);
  });
  after(async () => {
    await app.close();
  });

  it('sends codes by e-mail when chosen, and welcomes the new account holder', async () => {
    const profile = await browser.get('/account');
    assert.match(profile.body, /amina@example\.org/);
    assert.match(profile.body, /\+254712345678/);
  });

  it('changes the phone only with the password again, and tells the old number', async () => {
    await browser.get('/account/contact');
    const form = await browser.get('/account/contact');
    assert.match(form.body, /autocomplete="current-password"/);
    for (const password of ['', 'not my password']) {
      const refused = await browser.post('/account/contact',
        { kind: 'phone', value: '0799 000 111', password });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /The password is not right/);
      assert.match(refused.body, /href="#password"/);
    }
    assert.equal(await messagesSentTo(database(), '+254799000111'), 0, 'no code without it');
    const started = await browser.post('/account/contact',
      { kind: 'phone', value: '0799 000 111', password: registration.password });
    assert.equal(started.headers.location, '/account/contact/verify');
    const page = await browser.get('/account/contact/verify');
    assert.match(page.body, /•••• 0111/);
    const wrong = await browser.post('/account/contact/verify', { code: 'nope' });
    assert.equal(wrong.statusCode, 400);
    assert.match((await browser.get('/account')).body, /\+254712345678/, 'not changed yet');
    const code = await latestCodeSentTo(database(), '+254799000111');
    const done = await browser.post('/account/contact/verify', { code });
    assert.equal(done.headers.location, '/account?notice=contactChanged', done.body);
    const profile = await browser.get('/account?notice=contactChanged');
    assert.match(profile.body, /\+254799000111/);
    assert.match(profile.body, /Your contact details have been changed/);
    const told = await listRecentNotifications(database().db, 50);
    assert.ok(told.some((message) => message.recipient === '+254712345678' &&
      message.template === 'identity.contact-changed'), 'the old number is told');
  });

  it('answering another account\'s contact-change code is not found, and spares it', async () => {
    const other = new FormClient(app);
    await other.get('/register');
    assert.equal((await other.post('/register', { ...registration, documentType: 'alien_id',
      documentNumber: '987654321', firstName: 'Jabali', birthYear: '1984', phone: '0733000222',
      email: '', codeChannel: 'sms' })).statusCode, 303);
    await other.post('/sign-in/code',
      { code: await latestCodeSentTo(database(), '+254733000222', 'identity.sign-in-code') });
    await other.get('/account/contact');
    assert.equal((await other.post('/account/contact', { kind: 'phone', value: '0733000333',
      password: registration.password })).statusCode, 303);
    const othersChallenge = other.cookie('huduma_challenge');
    assert.ok(othersChallenge !== undefined);
    const code = await latestCodeSentTo(database(), '+254733000333');
    // Amina's browser and session, with the other account's challenge cookie.
    await browser.get('/account/contact');
    const cookie = [...browser.cookieHeader.split('; ')
      .filter((pair) => !pair.startsWith('huduma_challenge=')),
    `huduma_challenge=${othersChallenge}`].join('; ');
    const answered = await app.inject({ method: 'POST', url: '/account/contact/verify',
      headers: { cookie, accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ code, _csrf: browser.csrfToken ?? '' }).toString() });
    assert.equal(answered.statusCode, 303, answered.body);
    assert.equal(answered.headers.location, '/account/contact');
    const own = await other.post('/account/contact/verify', { code });
    assert.equal(own.headers.location, '/account?notice=contactChanged', 'still usable');
  });

  it('refuses a malformed new contact with a field error', async () => {
    await browser.get('/account/contact');
    const refused = await browser.post('/account/contact',
      { kind: 'email', value: 'nope', password: registration.password });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /href="#value"/);
  });

  it('lists the child and the business the register links to, and acts for them', async () => {
    const options = await browser.get('/account/act-for');
    assert.match(options.body, /Baraka Otieno \(your child\)/);
    assert.match(options.body, /Amina Fresh Produce Limited \(you are a director\)/);
    const childId = /value="([0-9a-f-]{36})"[^>]*><label for="[^"]+">Baraka/
      .exec(options.body)?.[1];
    assert.ok(childId !== undefined);
    const chosen = await browser.post('/account/act-for', { accountId: childId });
    assert.equal(chosen.statusCode, 303);
    const profile = await browser.get('/account');
    assert.match(profile.body, /You are acting for Baraka Otieno/);
    const audit = await listAuditForSubject(database().db, { type: 'account', id: childId },
      { limit: 5 });
    const started = audit.find((record) => record.action === 'ACCOUNT_ACTING_FOR_STARTED');
    assert.deepEqual(started?.onBehalfOf, { kind: 'account', id: childId });
    assert.equal(started?.actor.kind, 'account');
    const back = await browser.post('/account/act-for', { accountId: 'self' });
    assert.equal(back.statusCode, 303);
    assert.doesNotMatch((await browser.get('/account')).body, /You are acting for/);
  });

  it('keeps yesterday\'s links when the register is down, and says so', async () => {
    registerDown = true;
    try {
      const options = await browser.get('/account/act-for');
      assert.match(options.body, /cannot be reached just now/);
      assert.match(options.body, /Baraka Otieno/);
      clock.advanceMs(25 * 60 * 60 * 1000);
      const stale = new FormClient(app);
      await stale.get('/register');
      const refused = await stale.post('/register', { ...registration,
        documentType: 'alien_id', documentNumber: '987654321', firstName: 'Jabali',
        birthYear: '1984' });
      assert.equal(refused.statusCode, 503);
      assert.match(refused.body, /cannot reach the population register/);
    } finally {
      registerDown = false;
    }
  });

  it('lists sessions and ends another device\'s session', async () => {
    clock.advanceMs(60 * 60 * 1000);
    const phone = new FormClient(app);
    await phone.get('/sign-in');
    await phone.post('/sign-in', registration);
    await phone.post('/sign-in/code', {
      code: await latestCodeSentTo(database(), 'amina@example.org', 'identity.sign-in-code'),
    });
    clock.advanceMs(1_000); // so the newest code is the laptop's
    const laptop = new FormClient(app);
    await laptop.get('/sign-in');
    await laptop.post('/sign-in', registration);
    await laptop.post('/sign-in/code', {
      code: await latestCodeSentTo(database(), 'amina@example.org', 'identity.sign-in-code'),
    });
    const profile = await laptop.get('/account');
    const endForms = [...profile.body.matchAll(/action="(\/account\/sessions\/[^"]+\/end)"/g)];
    assert.ok(endForms.length >= 1);
    for (const [, action] of endForms) await laptop.post(action ?? '');
    assert.equal((await phone.get('/account')).statusCode, 303, 'the phone is signed out');
    assert.equal((await laptop.get('/account')).statusCode, 200, 'this device stays');
  });
});
