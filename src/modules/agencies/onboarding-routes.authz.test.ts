/**
 * Who may reach the onboarding pages, role by role, on both databases: the agencies list and
 * the new-agency form only platform administrators (agency.onboard); an agency's page, its
 * services and fee changes only holders of catalogue.manage (the agency's administrator, a
 * platform administrator); every other role is refused each route, an anonymous caller is sent
 * to sign in, and an administrator of another agency finds nothing (404).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { roles, type Role } from '#modules/authorisation/index.ts';
import { buildTestApp, testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { serviceFields, staffActor } from '#test/helpers/onboarding.ts';
import { createTestAgency, signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { onboardingPaths } from './onboarding-view-parts.ts';
import { createService } from './services-service.ts';

const onboarders = new Set<Role>(['platform-admin']);
const managers = new Set<Role>(['agency-admin', 'platform-admin']);
const unknownId = '0193a000-0000-7000-8000-00000000abcd';
const form = 'application/x-www-form-urlencoded';

describeOnDatabases('onboarding pages: every role', (database) => {
  let app: FastifyInstance;
  let agencyId = '';
  let otherAgencyId = '';
  let serviceId = '';
  before(async () => {
    app = await buildTestApp(database());
    agencyId = await createTestAgency(database(), 'Onboarding Authz Agency');
    otherAgencyId = await createTestAgency(database(), 'Onboarding Other Agency');
    const admin = await staffActor(database(), 'agency-admin', agencyId);
    const created = await createService(testDeps(database()), admin, agencyId,
      { fields: serviceFields('Authz licence'), eligibleAccountTypes: ['citizen'] });
    assert.ok(created.ok);
    serviceId = created.value.serviceId;
  });
  after(async () => {
    await app.close();
  });

  const get = (caller: TestCaller | undefined, url: string) => app.inject({ url,
    headers: { ...caller?.headers, accept: 'text/html' } });
  const post = (caller: TestCaller | undefined, url: string,
    fields: Record<string, string> = {}) => {
    const body = new URLSearchParams();
    if (caller !== undefined) body.append('_csrf', caller.csrfToken);
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    return app.inject({ method: 'POST', url, payload: body.toString(),
      headers: { ...caller?.headers, accept: 'text/html', 'content-type': form } });
  };

  /** Each route, the status a permitted caller gets, and the permission set that permits. */
  const routes = () => [
    ['GET agencies', (c: TestCaller) => get(c, onboardingPaths.agencies), 200, onboarders],
    ['POST agencies', (c: TestCaller) => post(c, onboardingPaths.agencies, { nameEn: '' }), 400,
      onboarders],
    ['GET agency', (c: TestCaller) => get(c, onboardingPaths.agency(agencyId)), 200, managers],
    ['GET my services', (c: TestCaller) => get(c, onboardingPaths.myServices), 303, managers],
    ['GET new service', (c: TestCaller) => get(c, onboardingPaths.newService(agencyId)), 200,
      managers],
    ['POST service', (c: TestCaller) => post(c, onboardingPaths.services(agencyId),
      { nameEn: '' }), 400, managers],
    ['GET service', (c: TestCaller) => get(c, onboardingPaths.service(agencyId, serviceId)), 200,
      managers],
    ['POST edit', (c: TestCaller) => post(c, onboardingPaths.service(agencyId, serviceId),
      { nameEn: '' }), 400, managers],
    ['POST live', (c: TestCaller) => post(c, onboardingPaths.live(agencyId, serviceId)), 409,
      managers],
    ['POST fee change', (c: TestCaller) => post(c, onboardingPaths.feeChanges(agencyId,
      serviceId), { currency: 'KES', amount: 'ten' }), 400, managers],
    ['POST approve', (c: TestCaller) => post(c, onboardingPaths.approve(agencyId, unknownId)),
      404, managers],
    ['POST reject', (c: TestCaller) => post(c, onboardingPaths.reject(agencyId, unknownId)),
      404, managers],
  ] as const;

  for (const role of roles.filter((r) => r !== 'agency-api-client' && r !== 'account-holder')) {
    it(`${managers.has(role) ? 'lets' : 'refuses'} ${role}`, async () => {
      const caller = await signInAs(database(), role, { agencyId });
      for (const [name, call, allowedStatus, permitted] of routes()) {
        const answer = await call(caller);
        assert.equal(answer.statusCode, permitted.has(role) ? allowedStatus : 403,
          `${name}: ${answer.body.slice(0, 300)}`);
      }
    });
  }

  it('refuses an account holder and sends an anonymous caller to sign in', async () => {
    const citizen = await signInAs(database(), 'account-holder');
    assert.equal((await get(citizen, onboardingPaths.agency(agencyId))).statusCode, 403);
    const page = await get(undefined, onboardingPaths.agencies);
    assert.equal(page.statusCode, 303);
    assert.match(page.headers.location ?? '', /^\/staff\/sign-in\?return=/);
    const created = await post(undefined, onboardingPaths.agencies, { nameEn: 'X' });
    assert.ok([303, 401, 403].includes(created.statusCode), String(created.statusCode));
  });

  it('finds nothing of agency A for the administrator of agency B, nor any junk id',
    async () => {
    const stranger = await signInAs(database(), 'agency-admin', { agencyId: otherAgencyId });
    for (const answer of [
      await get(stranger, onboardingPaths.agency(agencyId)),
      await get(stranger, onboardingPaths.newService(agencyId)),
      await get(stranger, onboardingPaths.service(agencyId, serviceId)),
      await get(stranger, onboardingPaths.service(otherAgencyId, serviceId)),
      await post(stranger, onboardingPaths.services(agencyId), serviceFields('Hijack')),
      await post(stranger, onboardingPaths.service(agencyId, serviceId), serviceFields('Hijack')),
      await post(stranger, onboardingPaths.live(agencyId, serviceId)),
      await post(stranger, onboardingPaths.feeChanges(agencyId, serviceId), { currency: 'KES',
        amount: '10.00', gazetteReference: 'LN 1', effectiveFrom: '2099-01-01' }),
      await get(stranger, onboardingPaths.agency('not-a-uuid')),
    ]) {
      assert.equal(answer.statusCode, 404, answer.body.slice(0, 200));
    }
    const admin = await signInAs(database(), 'agency-admin', { agencyId });
    for (const answer of [
      await get(admin, onboardingPaths.service(agencyId, 'not-a-uuid')),
      await post(admin, onboardingPaths.service(agencyId, 'not-a-uuid'), { nameEn: '' }),
      await post(admin, onboardingPaths.service(agencyId, 'not-a-uuid'),
        serviceFields('Fine')),
      await post(admin, onboardingPaths.live(agencyId, 'not-a-uuid')),
      await post(admin, onboardingPaths.feeChanges(agencyId, 'not-a-uuid'), { amount: '1' }),
      await post(admin, onboardingPaths.approve(agencyId, 'not-a-uuid')),
      await post(admin, onboardingPaths.reject(agencyId, 'not-a-uuid')),
    ]) {
      assert.equal(answer.statusCode, 404, answer.body.slice(0, 200));
    }
    const mine = await get(stranger, onboardingPaths.myServices);
    assert.equal(mine.headers.location, onboardingPaths.agency(otherAgencyId));
  });
});
