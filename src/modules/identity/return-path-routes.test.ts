import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { manualClock } from '#platform/clock/index.ts';
import { buildTestApp, testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { FormClient } from '#test/helpers/form-client.ts';
import { latestCodeSentTo } from '#test/helpers/inbox.ts';
import { identityDepsOf, syntheticPeople, syntheticRegister } from './index.ts';
import { createStaff } from './staff-service.ts';
import { base32Decode, hotp, totpStepAt } from './totp.ts';

const phone = '+254712345678';
const registration = {
  documentType: 'national_id', documentNumber: '12345678', firstName: 'Amina',
  birthYear: '1990', phone: '0712 345 678', email: '', codeChannel: 'sms',
  password: 'a long pass phrase',
};
const query = (value: string) => `?${new URLSearchParams({ return: value }).toString()}`;

describeOnDatabases('identity: return= after sign-in stays on this site', (database) => {
  let app: FastifyInstance;
  const clock = manualClock(new Date('2026-11-28T08:00:00Z'));
  before(async () => {
    app = await buildTestApp(database(), { clock });
    const browser = new FormClient(app);
    await browser.get('/register');
    assert.equal((await browser.post('/register', registration)).statusCode, 303);
  });
  after(async () => {
    await app.close();
  });

  const citizenSignIn = async (returnTo: string) => {
    clock.advanceMs(16 * 60_000);
    const browser = new FormClient(app);
    await browser.get(`/sign-in${query(returnTo)}`);
    const started = await browser.post(`/sign-in${query(returnTo)}`, registration);
    assert.equal(started.statusCode, 303, started.body);
    const code = await latestCodeSentTo(database(), phone);
    const done = await browser.post(`/sign-in/code${query(returnTo)}`, { code });
    return { browser, done };
  };

  it('sends a citizen home, not to another host, for a tab or backslash trick', async () => {
    for (const hostile of ['/\t/evil.example', '/\\evil.example', '//evil.example',
      '/.//evil.example', 'https://evil.example/']) {
      const { done } = await citizenSignIn(hostile);
      assert.equal(done.statusCode, 303, done.body);
      assert.equal(done.headers.location, '/account', JSON.stringify(hostile));
    }
  });

  it('keeps a path of this site, and one with non-Latin-1 text gives a session', async () => {
    const kept = await citizenSignIn('/account?x=1');
    assert.equal(kept.done.headers.location, '/account?x=1');
    for (const unusual of ['/tafuta?q=ĉai😀', '/a\u0001b', '/a\u0085b']) {
      const { browser, done } = await citizenSignIn(unusual);
      assert.equal(done.statusCode, 303, done.body);
      assert.match(String(done.headers.location), /^\/[\x21-\x7e]*$/);
      assert.equal((await browser.get('/account')).statusCode, 200, 'signed in');
    }
  });

  it('Pay pressed on a service page while signed out comes back to it after sign-in',
    async () => {
      const refused = await app.inject({ method: 'POST', url: '/pay/services/birth-certificate',
        headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
        payload: '' });
      assert.equal(refused.statusCode, 303);
      const location = String(refused.headers.location);
      assert.equal(location, '/sign-in?return=%2Fservices%2Fbirth-certificate');
      const returnTo = new URL(location, 'http://huduma.invalid').searchParams.get('return');
      const { done } = await citizenSignIn(returnTo ?? '');
      assert.equal(done.headers.location, '/services/birth-certificate');
    });

  it('someone with no account yet registers and still comes back to the service page',
    async () => {
      const person = syntheticPeople().filter((p) => p.documentType === 'national_id')[7];
      assert.ok(person !== undefined);
      const returnTo = '/services/birth-certificate';
      const browser = new FormClient(app);
      const signIn = await browser.get(`/sign-in${query(returnTo)}`);
      assert.match(signIn.body, /<a href="\/register\?return=%2Fservices%2Fbirth-certificate">/);
      await browser.get(`/register${query(returnTo)}`);
      const registered = await browser.post(`/register${query(returnTo)}`, {
        ...registration, documentNumber: person.documentNumber, firstName: person.firstName,
        birthYear: person.birthDate.slice(0, 4), phone: '0722 000 111',
      });
      assert.equal(registered.statusCode, 303, registered.body);
      assert.equal(registered.headers.location, `/sign-in/code${query(returnTo)}`);
      const code = await latestCodeSentTo(database(), '+254722000111');
      const done = await browser.post(`/sign-in/code${query(returnTo)}`, { code });
      assert.equal(done.headers.location, returnTo);
    });

  it('sends staff to their home for a hostile return=', async () => {
    const identity = await identityDepsOf(testDeps(database(), { clock }), syntheticRegister());
    const created = await createStaff(identity, 'command-line', {
      email: 'return.test@huduma.example', displayName: 'Return Test', role: 'auditor',
      agencyId: null,
    }, { address: null });
    assert.ok(created.ok);
    const secret = base32Decode(created.value.totpSecret);
    let step = 0;
    for (const [wanted, expected] of [['/\t/evil.example', '/staff'],
      ['/staff?x=ĉ', '/staff?x=%C4%89']] as const) {
      clock.advanceMs(16 * 60_000);
      step += 1;
      const browser = new FormClient(app);
      await browser.get(`/staff/sign-in${query(wanted)}`);
      const done = await browser.post(`/staff/sign-in${query(wanted)}`, {
        email: 'return.test@huduma.example', password: created.value.temporaryPassword,
        totpCode: hotp(secret, totpStepAt(clock.now())),
      });
      assert.equal(done.statusCode, 303, `${step}: ${done.body}`);
      assert.equal(done.headers.location, expected);
    }
  });

  it('the language switch keeps to this site too', async () => {
    const switched = await app.inject({ url: `/language?to=sw&return=${
      encodeURIComponent('/\t/evil.example')}` });
    assert.equal(switched.statusCode, 303);
    assert.equal(switched.headers.location, '/');
    const unusual = await app.inject({ url: `/language?to=sw&return=${
      encodeURIComponent('/huduma?q=ĉ')}` });
    assert.equal(unusual.statusCode, 303);
    assert.equal(unusual.headers.location, '/huduma?q=%C4%89');
  });
});
