/**
 * Who may use the assisted service's routes, on both databases: the agent's pages only the
 * assisted-agent role; the register and the caps only platform administrators; the agency's
 * list who reads payments (in their agency scope); the agent-fee table anyone, signed in or
 * not. Every other role is refused (403), and a visitor not signed in is sent to sign in. Then
 * the agent's journey over HTTP, as a browser without JavaScript would make it.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { staffRoles, type Role } from '#modules/authorisation/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { latestCodeSentTo } from '#test/helpers/inbox.ts';
import { fixtureIds, insertPaymentsFixture } from '#test/helpers/payments.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { assistedPaths } from './assisted-paths.ts';

type Route = Readonly<{ method: 'GET' | 'POST'; url: string; allowed: readonly Role[];
  form?: Readonly<Record<string, string>> }>;

const agentOnly: readonly Role[] = ['assisted-agent'];
const adminOnly: readonly Role[] = ['platform-admin'];
const paymentReaders: readonly Role[] = ['agency-officer', 'agency-supervisor', 'agency-admin',
  'treasury', 'finance-officer', 'auditor', 'platform-admin'];
const everyone: readonly Role[] = ['account-holder', ...staffRoles];
const id = uuidv7();
const oneQuestion = { version: 1, pages: [{ id: 'about', title: { en: 'About', sw: 'Kuhusu' },
  fields: [{ id: 'reason', kind: 'text', label: { en: 'Why you apply', sw: 'Kwa nini' },
    required: true, maxLength: 100 }] }] };

const routes: readonly Route[] = [
  { method: 'GET', url: assistedPaths.agentHome, allowed: agentOnly },
  { method: 'POST', url: assistedPaths.consents, allowed: agentOnly,
    form: { citizen: '0700000009' } },
  { method: 'GET', url: assistedPaths.consent(id), allowed: agentOnly },
  { method: 'POST', url: assistedPaths.consent(id), allowed: agentOnly, form: { code: '1' } },
  { method: 'GET', url: assistedPaths.session(id), allowed: agentOnly },
  { method: 'POST', url: assistedPaths.bills(id), allowed: agentOnly,
    form: { service: 'x', agentFee: '1', requestKey: id } },
  { method: 'GET', url: assistedPaths.bill(id, id), allowed: agentOnly },
  { method: 'POST', url: assistedPaths.prompt(id, id), allowed: agentOnly },
  { method: 'POST', url: assistedPaths.end(id), allowed: agentOnly },
  { method: 'GET', url: assistedPaths.applicationPage(id, id, 'about'), allowed: agentOnly },
  { method: 'POST', url: assistedPaths.applicationPage(id, id, 'about'), allowed: agentOnly,
    form: { reason: 'x' } },
  { method: 'GET', url: assistedPaths.applicationCheck(id, id), allowed: agentOnly },
  { method: 'POST', url: assistedPaths.applicationSubmit(id, id), allowed: agentOnly,
    form: { clientActionId: id } },
  { method: 'GET', url: assistedPaths.register, allowed: adminOnly },
  { method: 'POST', url: assistedPaths.register, allowed: adminOnly, form: { email: 'x',
    agentNumber: '!', businessName: '', kind: 'cyber-cafe', location: '' } },
  { method: 'GET', url: assistedPaths.feeCaps, allowed: adminOnly },
  { method: 'POST', url: assistedPaths.feeCaps, allowed: adminOnly,
    form: { service: '', amount: 'x', effectiveFrom: '' } },
  { method: 'GET', url: assistedPaths.agencyBills, allowed: paymentReaders },
  { method: 'GET', url: assistedPaths.feeTable, allowed: everyone },
];

describeOnDatabases('assisted service routes: access', (database) => {
  let app: FastifyInstance;
  let agencyId = '';
  const callers = new Map<Role, TestCaller>();
  before(async () => {
    app = await buildTestApp(database());
    await insertPaymentsFixture(database());
    agencyId = fixtureIds.agency;
  });
  after(async () => {
    await app.close();
  });

  const callerFor = async (role: Role): Promise<TestCaller> => {
    const known = callers.get(role) ?? await signInAs(database(), role,
      role.startsWith('agency-') ? { agencyId } : {});
    callers.set(role, known);
    return known;
  };

  it('sends a visitor who is not signed in to sign in; shows the fee table to all', async () => {
    for (const route of routes) {
      const answer = await app.inject({ method: route.method, url: route.url,
        headers: { accept: 'text/html' }, payload: route.form ?? {} });
      assert.equal(answer.statusCode, route.allowed === everyone ? 200 : 303,
        `${route.method} ${route.url}`);
    }
  });

  for (const role of everyone) {
    it(`lets ${role} through only where allowed`, async () => {
      const caller = await callerFor(role);
      for (const route of routes) {
        const answer = await app.inject({ method: route.method, url: route.url,
          headers: { ...caller.headers, accept: 'text/html' },
          payload: { ...route.form, _csrf: caller.csrfToken } });
        const label = `${role} ${route.method} ${route.url}: ${String(answer.statusCode)}`;
        if (route.allowed.includes(role)) {
          assert.notEqual(answer.statusCode, 403, label);
          assert.ok(answer.statusCode < 500, label);
        } else {
          assert.equal(answer.statusCode, 403, label);
        }
      }
    });
  }

  it('refuses a form without its CSRF token, even from the agent', async () => {
    const agent = await callerFor('assisted-agent');
    const answer = await app.inject({ method: 'POST', url: assistedPaths.consents,
      headers: { ...agent.headers, accept: 'text/html' }, payload: { citizen: '0700000009' } });
    assert.equal(answer.statusCode, 403);
  });

  it('the agent serves a citizen over plain HTML forms (JavaScript off)', async () => {
    const admin = await callerFor('platform-admin');
    const agent = await signInAs(database(), 'assisted-agent');
    const post = (caller: TestCaller, url: string, form: Record<string, string>) =>
      app.inject({ method: 'POST', url, headers: { ...caller.headers, accept: 'text/html' },
        payload: { ...form, _csrf: caller.csrfToken } });
    const get = (caller: TestCaller, url: string) => app.inject({ url,
      headers: { ...caller.headers, accept: 'text/html' } });
    assert.match((await get(agent, '/staff')).body, /Start serving a citizen/);
    const notListed = await post(agent, assistedPaths.consents, { citizen: '0712000111' });
    assert.equal(notListed.statusCode, 409);
    assert.match(notListed.body, /not in the agent register/);
    const listed = await post(admin, assistedPaths.register, {
      email: `assisted-agent.${agent.id}@staff.test`, agentNumber: 'hc-http-01',
      businessName: 'Moi Avenue Cyber', kind: 'cyber-cafe', location: 'Nairobi' });
    assert.equal(listed.statusCode, 303);
    assert.match((await get(admin, assistedPaths.register)).body, /HC-HTTP-01/);
    const capped = await post(admin, assistedPaths.feeCaps, { service: 'fixture-permit',
      amount: '40', effectiveFrom: new Date(Date.now() + 10_800_000).toISOString()
        .slice(0, 10) });
    assert.equal(capped.statusCode, 303);
    assert.match((await app.inject({ url: assistedPaths.feeTable })).body, /KES\s?40\.00/);
    const citizen = await signInAs(database(), 'account-holder');
    const phone = '+254712000111';
    await sql`update account set phone = ${phone} where id = ${citizen.id}`
      .execute(database().db);
    const sent = await post(agent, assistedPaths.consents, { citizen: '0712 000 111' });
    assert.equal(sent.statusCode, 303);
    const codePage = await get(agent, String(sent.headers.location));
    assert.match(codePage.body, /ending in 111/);
    const code = await latestCodeSentTo(database(), phone, 'assisted.consent-code');
    assert.ok(!codePage.body.includes(code), 'the agent never sees the code');
    const wrong = await post(agent, String(sent.headers.location),
      { code: code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.statusCode, 422);
    const right = await post(agent, String(sent.headers.location), { code });
    assert.equal(right.statusCode, 303);
    const sessionUrl = String(right.headers.location);
    const sessionPage = await get(agent, sessionUrl);
    assert.equal(sessionPage.statusCode, 200);
    const requestKey = /name="requestKey" value="([^"]+)"/.exec(sessionPage.body)?.[1] ?? '';
    const above = await post(agent, `${sessionUrl}/bills`,
      { service: 'fixture-permit', agentFee: '41', requestKey });
    assert.equal(above.statusCode, 422);
    assert.match(above.body, /above the published cap/);
    const made = await post(agent, `${sessionUrl}/bills`,
      { service: 'fixture-permit', agentFee: '40', requestKey });
    assert.equal(made.statusCode, 303);
    const bill = await get(agent, String(made.headers.location));
    assert.match(bill.body, /Government fee[\s\S]*KES\s?260\.00[\s\S]*Agent fee[\s\S]*KES\s?40\.00/);
    const mine = await get(citizen, '/account');
    assert.match(mine.body, /Made for you by an agent[\s\S]*HC-HTTP-01/);
    const ended = await post(agent, `${sessionUrl}/end`, {});
    assert.equal(ended.statusCode, 303);
    assert.equal((await get(agent, sessionUrl)).statusCode, 410);
  });

  it('the agent fills and submits a citizen\'s application over plain HTML forms', async () => {
    const admin = await callerFor('platform-admin');
    const agent = await signInAs(database(), 'assisted-agent');
    const post = (caller: TestCaller, url: string, form: Record<string, string>) =>
      app.inject({ method: 'POST', url, headers: { ...caller.headers, accept: 'text/html' },
        payload: { ...form, _csrf: caller.csrfToken } });
    const get = (caller: TestCaller, url: string) => app.inject({ url,
      headers: { ...caller.headers, accept: 'text/html' } });
    await sql`update service set form_schema = ${JSON.stringify(oneQuestion)}
      where id = ${fixtureIds.passport}`.execute(database().db);
    assert.equal((await post(admin, assistedPaths.register, {
      email: `assisted-agent.${agent.id}@staff.test`, agentNumber: 'HC-HTTP-02',
      businessName: 'Tom Mboya Cyber', kind: 'cyber-cafe', location: 'Nairobi' })).statusCode,
    303);
    assert.equal((await post(admin, assistedPaths.feeCaps, { service: 'fixture-passport',
      amount: '100', effectiveFrom: new Date(Date.now() + 10_800_000).toISOString()
        .slice(0, 10) })).statusCode, 303);
    const citizen = await signInAs(database(), 'account-holder');
    const phone = '+254712000222';
    await sql`update account set phone = ${phone} where id = ${citizen.id}`
      .execute(database().db);
    const sent = await post(agent, assistedPaths.consents, { citizen: phone });
    const code = await latestCodeSentTo(database(), phone, 'assisted.consent-code');
    const sessionUrl = String((await post(agent, String(sent.headers.location), { code }))
      .headers.location);
    const requestKey = /name="requestKey" value="([^"]+)"/.exec(
      (await get(agent, sessionUrl)).body)?.[1] ?? '';
    const started = await post(agent, `${sessionUrl}/bills`,
      { service: 'fixture-passport', agentFee: '50', requestKey });
    assert.equal(started.statusCode, 303);
    const pageUrl = String(started.headers.location);
    assert.match(pageUrl, /\/applications\/[^/]+\/pages\/about$/);
    const page = await get(agent, pageUrl);
    assert.match(page.body, /made through agent HC-HTTP-02/);
    assert.equal((await get(agent, pageUrl.replace(/about$/, 'nowhere'))).statusCode, 404);
    const early = await post(agent, pageUrl.replace(/pages\/about$/, 'submit'),
      { clientActionId: uuidv7() });
    assert.equal(early.statusCode, 409, 'an unfilled form is not submitted');
    assert.match(early.body, /could not be submitted/);
    const blank = await post(agent, pageUrl, { reason: '' });
    assert.equal(blank.statusCode, 422);
    const filled = await post(agent, pageUrl, { reason: 'Travel for work' });
    assert.equal(filled.statusCode, 303);
    const check = await get(agent, String(filled.headers.location));
    assert.match(check.body, /Travel for work/);
    const clientActionId = /name="clientActionId" value="([^"]+)"/.exec(check.body)?.[1] ?? '';
    const submitted = await post(agent, String(filled.headers.location).replace(/check$/,
      'submit'), { clientActionId });
    assert.equal(submitted.statusCode, 303);
    const bill = await get(agent, String(submitted.headers.location));
    assert.match(bill.body, /Government fee[\s\S]*KES\s?1,050\.00[\s\S]*Agent fee[\s\S]*KES\s?50\.00/);
    assert.match(bill.body, /Send the M-Pesa prompt/);
    const mine = await get(citizen, '/account');
    assert.match(mine.body, /Applications an agent made for you[\s\S]*Agent HC-HTTP-02/);
    assert.match((await get(citizen, '/account/applications')).body, /Service fixture-passport/);
    const record = /href="(\/applications\/[^"]+)"/.exec(mine.body)?.[1] ?? '';
    assert.match((await get(citizen, record)).body,
      /Made through agent HC-HTTP-02 \(Tom Mboya Cyber\)/, 'the record says so');
    const after = await get(agent, pageUrl);
    assert.equal(after.statusCode, 303, 'a submitted form\'s pages lead to its answers');
    assert.match((await get(agent, String(after.headers.location))).body,
      /This application is submitted/);
    const late = await post(agent, pageUrl, { reason: 'Changed after submitting' });
    assert.equal(late.statusCode, 409, 'a submitted application is fixed');
  });
});
