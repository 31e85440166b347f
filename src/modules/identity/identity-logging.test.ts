/**
 * Personal data never reaches the logs: the registration, sign-in, profile, contact change,
 * acting-for, reset and staff look-up flows run with a logger at level trace writing to memory,
 * and the synthetic person's phone, e-mail, ID number and names must appear nowhere in it.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '#platform/logging/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { FormClient } from '#test/helpers/form-client.ts';
import { latestCodeSentTo } from '#test/helpers/inbox.ts';
import { signInAs } from '#test/helpers/sessions.ts';
import { demoPeople } from './index.ts';

const person = demoPeople.resident;
const phoneTyped = '0733 456 789';
const phone = '+254733456789';
const email = 'jabali.mwangi@example.org';
const registration = {
  documentType: person.documentType, documentNumber: person.documentNumber,
  firstName: person.firstName, birthYear: person.birthDate.slice(0, 4), phone: phoneTyped,
  email, codeChannel: 'sms', password: 'a long pass phrase',
};

describeOnDatabases('identity: no personal data in logs', (database) => {
  let app: FastifyInstance;
  const lines: string[] = [];
  before(async () => {
    const logger = createLogger({ level: 'trace', destination: {
      write: (line: string) => {
        lines.push(line);
      },
    } });
    app = await buildTestApp(database(), { logger });
  });
  after(async () => {
    await app.close();
  });

  it('logs every request, and none of the person\'s data', async () => {
    const browser = new FormClient(app);
    await browser.get('/register');
    await browser.post('/register', { ...registration, birthYear: '1900' });
    await browser.post('/register', registration);
    await browser.post('/sign-in/code', { code: '000000' });
    await browser.post('/sign-in/code', { code: await latestCodeSentTo(database(), phone) });
    await browser.get('/account');
    await browser.get('/account/act-for');
    await browser.get('/account/contact');
    await browser.post('/account/contact', { kind: 'email', value: 'new.jabali@example.org',
      password: registration.password });
    await browser.post('/sign-out');
    await browser.get('/sign-in');
    await browser.post('/sign-in', { ...registration, password: 'wrong password here' });
    await browser.get('/password-reset');
    await browser.post('/password-reset', registration);
    const auditor = await signInAs(database(), 'auditor');
    await app.inject({ headers: auditor.headers, url: '/staff/accounts?documentType=alien_id' +
      `&documentNumber=${person.documentNumber}` });

    const log = lines.join('');
    assert.ok(lines.length > 20, 'the flows were logged at all');
    assert.match(log, /"route":"\/register"/);
    const secrets = [person.documentNumber, person.firstName, person.lastName, phone,
      phone.slice(1), '733456789', email, 'new.jabali', 'a long pass phrase'];
    for (const secret of secrets) {
      assert.ok(!log.includes(secret), `the log holds personal data (${secret.slice(0, 2)}...)`);
    }
  });
});
