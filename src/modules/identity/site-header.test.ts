/**
 * The page header says who is signed in (and whom they act for), staff pages get the staff
 * layout, sign-out works from the header with JavaScript off, other modules' account sections
 * and staff home panels render, and a form post refused for sign-in comes back after. An
 * anonymous page costs no query for any of it. Both databases.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { auditModule } from '#modules/audit/index.ts';
import { authorisationModule } from '#modules/authorisation/index.ts';
import { catalogueModule } from '#modules/catalogue/index.ts';
import { notificationsModule } from '#modules/notifications/index.ts';
import { siteModule } from '#modules/site/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import type { HudumaModule } from '#platform/module.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs } from '#test/helpers/sessions.ts';
import {
  html,
  registerAccountSection,
  registerStaffHomePanel,
  sendHtml,
} from '#web/index.ts';
import type { IdentityTables } from './identity-tables.ts';
import { identityModule } from './index.ts';

/** A module that contributes sections (one of which fails) and routes to sign in from. */
const testModule: HudumaModule = {
  name: 'header-test',
  errors: {},
  messages: { en: {}, sw: {} },
  staffNavigation: [{ href: '/staff', labelKey: 'identity.staff.homeTitle' }],
  routes: async (app) => {
    registerAccountSection(app, { id: 'bills', order: 20,
      render: async () => html`<h2>Your bills</h2><p>No bills.</p>` });
    registerAccountSection(app, { id: 'applications', order: 10,
      render: async (request) => html`<h2>Your applications</h2><p>For ${
        request.actor?.kind ?? 'nobody'}.</p>` });
    registerAccountSection(app, { id: 'broken', order: 15,
      render: async () => {
        throw new Error('the provider failed');
      } });
    registerAccountSection(app, { id: 'empty', order: 30, render: async () => undefined });
    registerStaffHomePanel(app, { id: 'queue', order: 1,
      render: async () => html`<h2>Your queue</h2><p>3 applications wait.</p>` });
    const signedIn = { access: { permission: 'account.self' } } as const;
    app.post('/header-test/declared/:slug', { config: { ...signedIn,
      signInReturn: (request) => `/services/${(request.params as { slug: string }).slug}` } },
    async (_request, reply) => reply.redirect('/', 303));
    app.get('/header-test/twin', { config: signedIn },
      async (_request, reply) => sendHtml(reply, 'twin'));
    app.post('/header-test/twin', { config: signedIn },
      async (_request, reply) => reply.redirect('/', 303));
    app.post('/header-test/lonely', { config: signedIn },
      async (_request, reply) => reply.redirect('/', 303));
    // Stands in for payments' route behind the service page's Pay button (webPaths).
    app.post('/pay/services/:slug', { config: signedIn },
      async (_request, reply) => reply.redirect('/', 303));
  },
};

describeOnDatabases('identity: the header says who is signed in', (database) => {
  let app: FastifyInstance;
  let agencyId = '';
  const counter = { queries: 0 };
  const counting: KyselyPlugin = {
    transformQuery: (args) => {
      counter.queries += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  before(async () => {
    agencyId = await createTestAgency(database(), 'Header Agency');
    app = await buildTestApp({ ...database(), db: database().db.withPlugin(counting) },
      { modules: [catalogueModule, auditModule, notificationsModule, authorisationModule,
        identityModule, siteModule, testModule] });
  });
  after(async () => {
    await app.close();
  });

  const page = async (url: string, headers: Readonly<Record<string, string>> = {}) => {
    counter.queries = 0;
    const response = await app.inject({ url, headers: { accept: 'text/html', ...headers } });
    return { response, queries: counter.queries };
  };
  const header = (body: string) => /<header[\s\S]*?<\/header>/.exec(body)?.[0] ?? '';

  it('an anonymous page names nobody, has no sign-out, and costs no query', async () => {
    const help = await page('/help');
    assert.equal(help.response.statusCode, 200);
    assert.equal(help.queries, 0);
    const top = header(help.response.body);
    assert.doesNotMatch(top, /Signed in as|sign-out/);
    assert.match(top, /<span class="nation">Republic of Kenya<\/span>/);
    assert.match(top, /<div class="national-band" aria-hidden="true"><\/div>/);
  });

  it('an account holder sees their name and a sign-out form, for one query', async () => {
    const citizen = await signInAs(database(), 'account-holder');
    const { response } = await page('/', citizen.headers);
    const top = header(response.body);
    assert.match(top, /Signed in as <a href="\/account">Test P\.<\/a>/);
    assert.match(top, /<form method="post" action="\/sign-out" class="sign-out"><input type="hidden" name="_csrf" value="[^"]+">/);
    assert.doesNotMatch(top, /acting for/);
    // The session read names the person: no query besides it.
    const help = await page('/help', citizen.headers);
    assert.equal(help.queries, 1, 'only the session lookup');
    const sw = await page('/', { ...citizen.headers, 'accept-language': 'sw' });
    assert.match(header(sw.response.body), /Umeingia kama <a href="\/account">Test P\.<\/a>/);
    assert.match(header(sw.response.body), /Jamhuri ya Kenya/);
  });

  it('says whom the person acts for, with a link to change it', async () => {
    const citizen = await signInAs(database(), 'account-holder');
    const db = database().db.withTables<IdentityTables>();
    const childId = uuidv7();
    const now = new Date();
    await db.insertInto('account').values({
      id: childId, kind: 'citizen', document_type: 'birth_certificate',
      document_number: `BC${childId.slice(-8)}`, first_name: 'Baraka', middle_name: null,
      last_name: 'wanjiru', birth_date: '2018-04-01', business_name: null,
      password_hash: null, phone: null, email: null, created_at: now, updated_at: now,
    }).execute();
    await db.updateTable('session').set({ on_behalf_of_account_id: childId })
      .where('id', '=', citizen.sessionId).execute();
    const { response } = await page('/', citizen.headers);
    assert.match(header(response.body),
      /, acting for <strong>Baraka W\.<\/strong> \(<a href="\/account\/act-for">change<\/a>\)/);
    assert.doesNotMatch(response.body, new RegExp(`BC${childId.slice(-8)}`), 'no ID numbers');
  });

  it('staff pages use the staff layout: staff navigation, role and agency', async () => {
    const officer = await signInAs(database(), 'agency-officer', { agencyId });
    const { response } = await page('/staff', officer.headers);
    assert.equal(response.statusCode, 200);
    const top = header(response.body);
    assert.match(top, /<header class="site-header staff-header">/);
    assert.match(top, /<nav aria-label="Staff menu">/);
    assert.match(top, /<a href="\/staff" aria-current="page">/);
    assert.match(top, /Signed in as <a href="\/staff">Test agency-officer<\/a><span class="role">Agency officer, Header Agency<\/span>/);
    assert.doesNotMatch(top, /href="\/services"|Main menu/, 'no citizen navigation');
    const signInPage = await page('/staff/sign-in');
    assert.match(header(signInPage.response.body), /staff-header/);
    const citizenPage = await page('/help');
    assert.doesNotMatch(header(citizenPage.response.body), /staff-header/);
    const staffOnHelp = await page('/help', officer.headers);
    assert.match(header(staffOnHelp.response.body), /staff-header/, 'staff everywhere');
    const citizen = await signInAs(database(), 'account-holder');
    const refused = await page('/staff', citizen.headers);
    assert.equal(refused.response.statusCode, 403);
    assert.doesNotMatch(header(refused.response.body), /staff-header/,
      'an account holder refused a staff page keeps the public header');
  });

  it('signs out from the header with JavaScript off', async () => {
    const citizen = await signInAs(database(), 'account-holder');
    const { response } = await page('/help', citizen.headers);
    const token = /action="\/sign-out" class="sign-out"><input type="hidden" name="_csrf" value="([^"]+)"/
      .exec(response.body)?.[1];
    assert.ok(token !== undefined);
    const out = await app.inject({ method: 'POST', url: '/sign-out', headers: {
      ...citizen.headers, accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
    }, payload: `_csrf=${encodeURIComponent(token)}` });
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/sign-in?notice=signedOut');
    const after = await page('/account', citizen.headers);
    assert.equal(after.response.statusCode, 303, 'the session has ended');
  });

  it('the account page shows other modules\' sections in order, skipping a failure', async () => {
    const citizen = await signInAs(database(), 'account-holder');
    const { response } = await page('/account', citizen.headers);
    assert.equal(response.statusCode, 200);
    const body = response.body;
    const applications = body.indexOf('Your applications');
    const bills = body.indexOf('Your bills');
    const details = body.indexOf('<h2>Your details</h2>');
    assert.ok(applications > 0 && bills > applications, 'in order');
    assert.match(body, /For account\./, 'the provider sees the request');
    assert.ok(details > bills, 'before the profile');
    assert.doesNotMatch(body, /the provider failed/);
  });

  it('the staff home shows the panels', async () => {
    const officer = await signInAs(database(), 'agency-officer', { agencyId });
    const { response } = await page('/staff', officer.headers);
    assert.match(response.body, /<section><h2>Your queue<\/h2><p>3 applications wait\.<\/p><\/section>/);
  });

  it('a form post refused for sign-in returns where its route says, or to its page', async () => {
    const post = (url: string) => app.inject({ method: 'POST', url, headers: {
      accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    const declared = await post('/header-test/declared/birth-certificate');
    assert.equal(declared.statusCode, 303);
    assert.equal(declared.headers.location, '/sign-in?return=%2Fservices%2Fbirth-certificate');
    const twin = await post('/header-test/twin');
    assert.equal(twin.headers.location, '/sign-in?return=%2Fheader-test%2Ftwin');
    const lonely = await post('/header-test/lonely');
    assert.equal(lonely.headers.location, '/sign-in');
    const pay = await post('/pay/services/birth-certificate');
    assert.equal(pay.headers.location, '/sign-in?return=%2Fservices%2Fbirth-certificate',
      'Pay pressed signed out comes back to the service page');
  });
});
