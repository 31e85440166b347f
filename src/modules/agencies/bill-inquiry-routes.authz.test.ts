/**
 * Who may reach the bill inquiry page, role by role: only holders of agency.integration.manage
 * (the agency administrator for their agency, the platform administrator for a named one);
 * every other role is refused each route, and an anonymous caller must sign in. Then the page
 * at work (both databases): registering shows the signing secret once, a change keeps the
 * prefix (another is refused), another agency sees nothing of it and cannot take its prefix,
 * two agencies racing for one prefix leave one owner, every change is audited, and the page
 * speaks Swahili.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { roles, type Role } from '#modules/authorisation/index.ts';
import { saveBillInquiryRoute } from '#modules/payments/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { buildTestApp, testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { billInquiryPaths } from './bill-inquiry-views.ts';

const managers = new Set<Role>(['agency-admin', 'platform-admin']);
const form = 'application/x-www-form-urlencoded';

async function newService(database: DatabaseHandle, agencyId: string): Promise<string> {
  const id = uuidv7();
  await sql`insert into service (id, agency_id, slug, name_en, origin)
    values (${id}, ${agencyId}, ${`bills-${id}`}, 'Electricity bills', 'synthetic')`
    .execute(database.db);
  return id;
}

describeOnDatabases('bill inquiry page: every role', (database) => {
  let app: FastifyInstance;
  let agencyId = '';
  let otherAgencyId = '';
  let serviceId = '';
  let otherServiceId = '';
  before(async () => {
    app = await buildTestApp(database());
    agencyId = await createTestAgency(database(), 'Bill Inquiry Agency');
    otherAgencyId = await createTestAgency(database(), 'Bill Inquiry Other Agency');
    serviceId = await newService(database(), agencyId);
    otherServiceId = await newService(database(), otherAgencyId);
  });
  after(async () => {
    await app.close();
  });

  const post = (caller: TestCaller | undefined, url: string,
    fields: Record<string, string> = {}, language = 'en') => {
    const body = new URLSearchParams();
    if (caller !== undefined) body.append('_csrf', caller.csrfToken);
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    return app.inject({ method: 'POST', url, payload: body.toString(),
      headers: { ...caller?.headers, accept: 'text/html', 'content-type': form,
        'accept-language': language } });
  };
  const page = (caller: TestCaller, language = 'en') => app.inject({ url: billInquiryPaths.page,
    headers: { ...caller.headers, accept: 'text/html', 'accept-language': language } });
  const settings = (overrides: Record<string, string> = {}) => ({ prefix: 'QX',
    service: serviceId, lookupUrl: 'https://bills.example.test/lookup', timeoutMs: '2500',
    fallback: 'reject', ...overrides });
  const auditCount = async (action: string, agency: string) => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit_record
      where action = ${action} and agency_id = ${agency}`.execute(database().db);
    return rows[0]?.n ?? 0;
  };

  for (const role of roles.filter((r) => r !== 'agency-api-client')) {
    it(`${managers.has(role) ? 'lets' : 'refuses'} ${role}`, async () => {
      const caller = await signInAs(database(), role, { agencyId });
      const allowed = managers.has(role);
      assert.equal((await page(caller)).statusCode, allowed ? 200 : 403, 'page');
      const saved = await post(caller, billInquiryPaths.page, settings({ prefix: 'UU' }));
      assert.equal(saved.statusCode, allowed ? 400 : 403, 'save');
      const rotated = await post(caller, billInquiryPaths.rotate,
        role === 'platform-admin' ? { agencyId: uuidv7() } : {});
      assert.equal(rotated.statusCode, allowed ? 404 : 403, 'rotate');
    });
  }

  it('sends an anonymous caller to sign in', async () => {
    const anonymous = await app.inject({ url: billInquiryPaths.page,
      headers: { accept: 'text/html' } });
    assert.equal(anonymous.statusCode, 303);
    assert.match(anonymous.headers.location ?? '', /^\/staff\/sign-in\?return=/);
    const saved = await post(undefined, billInquiryPaths.page, settings());
    assert.ok([303, 401, 403].includes(saved.statusCode), String(saved.statusCode));
  });

  it('registers (secret once), changes all but the prefix, hides it from another agency',
    async () => {
      const admin = await signInAs(database(), 'agency-admin', { agencyId });
      const registered = await post(admin, billInquiryPaths.page, settings());
      assert.equal(registered.statusCode, 201, registered.body);
      assert.match(registered.body, /bisec_[A-Za-z0-9_-]{43}/);
      assert.equal(await auditCount('BILL_INQUIRY_ROUTE_REGISTERED', agencyId), 1);
      const listed = await page(admin);
      assert.doesNotMatch(listed.body, /bisec_/, 'the secret is shown once');
      assert.match(listed.body, /bills\.example\.test/);
      const changed = await post(admin, billInquiryPaths.page,
        settings({ lookupUrl: 'https://bills2.example.test/lookup', fallback: 'accept',
          allowsPartPayment: 'yes' }));
      assert.equal(changed.statusCode, 303);
      assert.equal(changed.headers.location, `${billInquiryPaths.page}?notice=saved`);
      assert.equal(await auditCount('BILL_INQUIRY_ROUTE_CHANGED', agencyId), 1);
      const moved = await post(admin, billInquiryPaths.page, settings({ prefix: 'QY' }));
      assert.equal(moved.statusCode, 409, 'the prefix is fixed');
      const plain = await post(admin, billInquiryPaths.page,
        settings({ lookupUrl: 'http://bills.example.test/lookup' }));
      assert.equal(plain.statusCode, 400, 'http only to this machine outside production');
      const rotated = await post(admin, billInquiryPaths.rotate);
      assert.equal(rotated.statusCode, 200);
      assert.match(rotated.body, /bisec_/);
      assert.equal(await auditCount('BILL_INQUIRY_SECRET_ROTATED', agencyId), 1);

      const stranger = await signInAs(database(), 'agency-admin', { agencyId: otherAgencyId });
      const theirs = await page(stranger);
      assert.doesNotMatch(theirs.body, /bills2\.example\.test|QX/);
      assert.equal((await post(stranger, billInquiryPaths.rotate)).statusCode, 404);
      const taken = await post(stranger, billInquiryPaths.page,
        settings({ service: otherServiceId }));
      assert.equal(taken.statusCode, 409, 'the prefix is another agency\'s');
      const foreignService = await post(stranger, billInquiryPaths.page,
        settings({ prefix: 'QZ' }));
      assert.equal(foreignService.statusCode, 400, 'a service of another agency');
      const platformAdmin = await signInAs(database(), 'platform-admin');
      assert.match((await page(platformAdmin)).body, /bills2\.example\.test/);
    });

  it('speaks Swahili', async () => {
    const admin = await signInAs(database(), 'agency-admin', { agencyId });
    const swahili = await page(admin, 'sw');
    assert.equal(swahili.statusCode, 200);
    assert.match(swahili.body, /Ulizo la bili/);
    const refused = await post(admin, billInquiryPaths.page, settings({ timeoutMs: '9000' }),
      'sw');
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /milisekunde 100 na 5000/);
  });

  it('leaves one owner when two agencies register one prefix at once', async () => {
    const first = await createTestAgency(database(), 'Prefix Race One');
    const second = await createTestAgency(database(), 'Prefix Race Two');
    const services = [await newService(database(), first), await newService(database(), second)];
    const deps = testDeps(database());
    const results = await Promise.all([first, second].map(async (agency, index) =>
      saveBillInquiryRoute(deps, { scope: agency, prefix: 'RR', service: services[index] ?? '',
        lookupUrl: 'https://race.example.test/lookup', timeoutMs: 1_000, fallback: 'reject',
        allowsPartPayment: false, production: false,
        actor: { kind: 'staff', id: uuidv7() }, now: new Date() })));
    assert.equal(results.filter((result) => result.ok).length, 1, 'exactly one registered');
    const loser = results.find((result) => !result.ok);
    assert.equal(loser?.ok === false ? loser.error.code : '', 'PAY_BILL_INQUIRY_PREFIX_TAKEN');
  });
});
