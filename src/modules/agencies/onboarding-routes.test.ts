/**
 * Onboarding through its pages, forms posted as a browser posts them (urlencoded, with the
 * CSRF token), on both databases: a platform administrator creates an agency and follows the
 * link to appoint its administrator (the agency and role chosen already); the agency's
 * administrator adds a service, proposes a fee, is refused approving it, a second
 * administrator approves it, the service gets its form and goes live and the public finds it.
 * A form posted without its token changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { cataloguePaths } from '#modules/catalogue/index.ts';
import { identityPaths } from '#modules/identity/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  agencyForm,
  newMinistry,
  oneQuestionForm,
  serviceFields,
} from '#test/helpers/onboarding.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { onboardingPaths } from './onboarding-view-parts.ts';

const form = 'application/x-www-form-urlencoded';
const todayInKenya = (): string =>
  new Date(Date.now() + 3 * 3_600_000).toISOString().slice(0, 10);

describeOnDatabases('onboarding pages: forms with their CSRF token', (database) => {
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp(database());
  });
  after(async () => {
    await app.close();
  });

  const get = (caller: TestCaller | undefined, url: string) => app.inject({ url,
    headers: { ...caller?.headers, accept: 'text/html' } });
  const post = (caller: TestCaller, url: string, fields: Record<string, string | string[]>,
    withToken = true) => {
    const body = new URLSearchParams();
    if (withToken) body.append('_csrf', caller.csrfToken);
    for (const [name, value] of Object.entries(fields)) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
    }
    return app.inject({ method: 'POST', url, payload: body.toString(),
      headers: { ...caller.headers, accept: 'text/html', 'content-type': form } });
  };
  const idIn = (location: string | undefined, pattern: RegExp): string => {
    const id = pattern.exec(location ?? '')?.[1];
    assert.ok(id !== undefined, `no id in ${location ?? '(none)'}`);
    return id;
  };

  it('takes an agency from creation to a live service with a fee two people agreed',
    async () => {
      const platformAdmin = await signInAs(database(), 'platform-admin');
      const fields = agencyForm(await newMinistry(database()), 'Pages Film Board');
      const forged = await post(platformAdmin, onboardingPaths.agencies, fields, false);
      assert.equal(forged.statusCode, 403, 'no token, no agency');
      const wrong = await post(platformAdmin, onboardingPaths.agencies,
        { ...fields, contactPhone: '123' });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /<title>Error: /);
      assert.match(wrong.body, /href="#contactPhone"/);
      assert.match(wrong.body, /value="Pages Film Board"/, 'what was typed is kept');

      const created = await post(platformAdmin, onboardingPaths.agencies, fields);
      assert.equal(created.statusCode, 303, created.body.slice(0, 300));
      const agencyId = idIn(created.headers.location, /\/staff\/agencies\/([0-9a-f-]{36})/);
      const page = await get(platformAdmin, created.headers.location ?? '');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Created\./);
      assert.match(page.body, /1100223344/);
      const appoint = `${identityPaths.staffNew}?agencyId=${agencyId}&amp;role=agency-admin`;
      assert.ok(page.body.includes(appoint), 'links to appoint the administrator');
      const appointPage = await get(platformAdmin, appoint.replace('&amp;', '&'));
      assert.equal(appointPage.statusCode, 200);
      assert.match(appointPage.body, new RegExp(`value="${agencyId}" selected`));
      assert.match(appointPage.body, /value="agency-admin" checked/);

      const admin = await signInAs(database(), 'agency-admin', { agencyId });
      const second = await signInAs(database(), 'agency-admin', { agencyId });
      const mine = await get(admin, onboardingPaths.myServices);
      assert.equal(mine.headers.location, onboardingPaths.agency(agencyId));
      const added = await post(admin, onboardingPaths.services(agencyId),
        { ...serviceFields('Film exhibition permit'), eligibleAccountTypes: ['citizen',
          'business'] });
      assert.equal(added.statusCode, 303, added.body.slice(0, 300));
      const serviceId = idIn(added.headers.location, /\/services\/([0-9a-f-]{36})/);
      const servicePage = onboardingPaths.service(agencyId, serviceId);
      assert.match((await get(admin, servicePage)).body, /Sandbox \(not public\)/);

      const proposed = await post(admin, onboardingPaths.feeChanges(agencyId, serviceId),
        { currency: 'KES', amount: '1,050.00', gazetteReference: 'Legal Notice No. 7 of 2026',
          effectiveFrom: todayInKenya() });
      assert.equal(proposed.statusCode, 303);
      const changeId = (await sql<{ id: string }>`select id from fee_change_request
        where service_id = ${serviceId}`.execute(database().db)).rows[0]?.id ?? '';
      const seen = await get(second, servicePage);
      assert.ok(seen.body.includes(onboardingPaths.approve(agencyId, changeId)),
        'a second administrator is offered the approval');
      assert.ok(!(await get(admin, servicePage)).body.includes(
        onboardingPaths.approve(agencyId, changeId)), 'the proposer is not');
      const own = await post(admin, onboardingPaths.approve(agencyId, changeId), {});
      assert.equal(own.statusCode, 403);
      assert.match(own.body, /someone else must approve or reject it/);
      const approved = await post(second, onboardingPaths.approve(agencyId, changeId), {});
      assert.equal(approved.statusCode, 303);
      assert.match((await get(second, approved.headers.location ?? '')).body,
        /KES\s1,050\.00/);

      const noForm = await post(admin, onboardingPaths.live(agencyId, serviceId), {});
      assert.equal(noForm.statusCode, 409);
      const badJson = await post(admin, servicePage, { ...serviceFields('Film exhibition permit',
        '{"version": 0}'), eligibleAccountTypes: 'citizen' });
      assert.equal(badJson.statusCode, 400);
      assert.match(badJson.body, /version must be a whole number from 1/);
      const saved = await post(admin, servicePage, { ...serviceFields('Film exhibition permit',
        oneQuestionForm), eligibleAccountTypes: 'citizen' });
      assert.equal(saved.statusCode, 303);
      const live = await post(admin, onboardingPaths.live(agencyId, serviceId), {});
      assert.equal(live.statusCode, 303);
      const slug = (await sql<{ slug: string }>`select slug from service where id = ${serviceId}`
        .execute(database().db)).rows[0]?.slug ?? '';
      const publicPage = await get(undefined, cataloguePaths.service(slug));
      assert.equal(publicPage.statusCode, 200, 'the public finds a live service');
    });

  it('answers 404 for a public page of a sandbox service', async () => {
    const admin = await signInAs(database(), 'platform-admin');
    const created = await post(admin, onboardingPaths.agencies,
      agencyForm(await newMinistry(database()), 'Hidden Board'));
    const agencyId = idIn(created.headers.location, /\/staff\/agencies\/([0-9a-f-]{36})/);
    const added = await post(admin, onboardingPaths.services(agencyId),
      { ...serviceFields('Hidden permit'), eligibleAccountTypes: 'citizen' });
    const serviceId = idIn(added.headers.location, /\/services\/([0-9a-f-]{36})/);
    const slug = (await sql<{ slug: string }>`select slug from service where id = ${serviceId}`
      .execute(database().db)).rows[0]?.slug ?? '';
    assert.equal((await get(undefined, cataloguePaths.service(slug))).statusCode, 404);
  });
});
