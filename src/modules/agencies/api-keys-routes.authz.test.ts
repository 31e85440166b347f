/**
 * The agency integration page: only an agency's administrator (their own agency) and platform
 * administrators (any agency) may see, create, rotate or revoke keys; every other role is
 * refused. Creating shows the secret once; the list never shows it again; another agency's
 * key cannot be revoked by an administrator of this one.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { staffRoles, type Role } from '#modules/authorisation/index.ts';
import { buildTestApp, testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs } from '#test/helpers/sessions.ts';
import { createApiKey, listApiKeys } from './api-keys-service.ts';
import { apiKeysPaths } from './api-keys-views.ts';

const allowed = new Set<Role>(['agency-admin', 'platform-admin']);

describeOnDatabases('agency integration page: access', (database) => {
  let app: FastifyInstance;
  let agencyId = '';
  let otherAgencyId = '';
  before(async () => {
    app = await buildTestApp(database());
    agencyId = await createTestAgency(database(), 'Keys Agency');
    otherAgencyId = await createTestAgency(database(), 'Other Keys Agency');
  });
  after(async () => {
    await app.close();
  });

  const callerFor = (role: Role) => signInAs(database(), role,
    role.startsWith('agency-') ? { agencyId } : {});

  it('refuses a caller who is not signed in', async () => {
    const page = await app.inject({ url: apiKeysPaths.page, headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 303);
  });

  for (const role of ['account-holder', ...staffRoles] as const) {
    it(`${allowed.has(role) ? 'lets' : 'refuses'} ${role}`, async () => {
      const caller = await callerFor(role);
      const page = await app.inject({ url: `${apiKeysPaths.page}?agency=${agencyId}`,
        headers: { ...caller.headers, accept: 'text/html' } });
      assert.equal(page.statusCode, allowed.has(role) ? 200 : 403);
      const created = await app.inject({ method: 'POST', url: apiKeysPaths.create,
        headers: { ...caller.headers, accept: 'text/html' },
        payload: { name: `By ${role}`, agency: agencyId, _csrf: caller.csrfToken } });
      assert.equal(created.statusCode, allowed.has(role) ? 200 : 403);
      const keys = await listApiKeys(testDeps(database()), agencyId);
      assert.equal(keys.some((key) => key.name === `By ${role}`), allowed.has(role));
      if (!allowed.has(role)) return;
      const secret = /<code>(hk_[a-z0-9]{12}_[A-Za-z0-9_-]{43})<\/code>/.exec(created.body)?.[1];
      assert.ok(secret !== undefined, 'the secret is shown once');
      const again = await app.inject({ url: `${apiKeysPaths.page}?agency=${agencyId}`,
        headers: { ...caller.headers, accept: 'text/html' } });
      assert.ok(!again.body.includes(secret));
    });
  }

  it('an agency administrator cannot revoke another agency\'s key', async () => {
    const other = await createApiKey(testDeps(database()), { agencyId: otherAgencyId,
      name: 'Theirs', actor: { kind: 'system', id: null }, now: new Date() });
    assert.ok(other.ok);
    const agencyAdmin = await callerFor('agency-admin');
    const revoke = await app.inject({ method: 'POST',
      url: apiKeysPaths.revoke(other.value.key.id),
      headers: { ...agencyAdmin.headers, accept: 'text/html' },
      payload: { agency: otherAgencyId, _csrf: agencyAdmin.csrfToken } });
    assert.equal(revoke.statusCode, 404);
    const [theirs] = await listApiKeys(testDeps(database()), otherAgencyId);
    assert.equal(theirs?.revokedAt, null);
  });

  it('rotates a key: a new secret shown, the old one revoked at the chosen time', async () => {
    const admin = await callerFor('platform-admin');
    const [first] = await listApiKeys(testDeps(database()), agencyId);
    assert.ok(first !== undefined);
    const rotated = await app.inject({ method: 'POST', url: apiKeysPaths.rotate(first.id),
      headers: { ...admin.headers, accept: 'text/html' },
      payload: { agency: agencyId, overlapHours: '24', _csrf: admin.csrfToken } });
    assert.equal(rotated.statusCode, 200);
    assert.match(rotated.body, /<code>hk_/);
    const old = (await listApiKeys(testDeps(database()), agencyId))
      .find((key) => key.id === first.id);
    assert.ok(old?.revokedAt !== null && old?.revokedAt !== undefined &&
      old.revokedAt.getTime() > Date.now() + 23 * 3_600_000);
  });
});
