import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
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
const tooCommon = /one of the most common/;
const holdsId = /must not contain your ID number/;

describeOnDatabases('identity: password policy on every new password', (database) => {
  let app: FastifyInstance;
  const clock = manualClock(new Date('2026-11-28T08:00:00Z'));
  before(async () => {
    app = await buildTestApp(database(), { clock });
  });
  after(async () => {
    await app.close();
  });

  it('registration refuses a common password and one holding the ID number', async () => {
    const browser = new FormClient(app);
    await browser.get('/register');
    const common = await browser.post('/register', { ...registration, password: 'Password123' });
    assert.equal(common.statusCode, 400);
    assert.match(common.body, tooCommon);
    const spaced = await browser.post('/register',
      { ...registration, password: 'mine 1234 5678 ok' });
    assert.equal(spaced.statusCode, 400);
    assert.match(spaced.body, holdsId);
    const fine = await browser.post('/register', registration);
    assert.equal(fine.statusCode, 303, fine.body);
  });

  it('says so in Swahili too', async () => {
    const browser = new FormClient(app);
    await browser.get('/language?to=sw&return=/register');
    await browser.get('/register');
    const common = await browser.post('/register',
      { ...registration, documentNumber: '23456789', password: 'qwertyuiop' });
    assert.equal(common.statusCode, 400);
    assert.match(common.body, /mojawapo ya yanayotumika sana/);
  });

  it('a reset refuses a common password, and the ID number once the code is proven', async () => {
    clock.advanceMs(16 * 60_000);
    const browser = new FormClient(app);
    await browser.get('/password-reset');
    await browser.post('/password-reset',
      { documentType: 'national_id', documentNumber: '12345678' });
    const code = await latestCodeSentTo(database(), phone, 'identity.password-reset-code');
    const common = await browser.post('/password-reset/code', { code, password: '1q2w3e4r5t' });
    assert.equal(common.statusCode, 400);
    assert.match(common.body, tooCommon);
    const withId = await browser.post('/password-reset/code',
      { code, password: 'reset 12345678 now' });
    assert.equal(withId.statusCode, 400);
    assert.match(withId.body, holdsId);
    const done = await browser.post('/password-reset/code',
      { code, password: 'a fresh long phrase' });
    assert.equal(done.statusCode, 303, 'the code still works after a refused password');
  });

  it('a reset for an unknown ID answers a wrong code, whatever the password holds', async () => {
    clock.advanceMs(16 * 60_000);
    const browser = new FormClient(app);
    await browser.get('/password-reset');
    await browser.post('/password-reset',
      { documentType: 'national_id', documentNumber: '31415926' });
    const decoy = await browser.post('/password-reset/code',
      { code: '123456', password: 'reset 31415926 now' });
    assert.equal(decoy.statusCode, 400, decoy.body);
    assert.match(decoy.body, /code is not right/i);
    assert.doesNotMatch(decoy.body, holdsId);
  });
});
