/**
 * The Sign in with Huduma clients page: only platform administrators may see it, register a
 * client, rotate its secret or revoke it; every other role is refused and changes nothing.
 * Registering shows the secret once; each change is audited; bad input loses nothing typed.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { listAuditForSubject } from '#modules/audit/index.ts';
import { staffRoles, type Role } from '#modules/authorisation/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { registerTestClient } from '#test/helpers/federation.ts';
import { createTestAgency, signInAs } from '#test/helpers/sessions.ts';
import { listClients } from './client-service.ts';
import { federationPaths } from './federation-paths.ts';

const allowed = new Set<Role>(['platform-admin']);
const html = { accept: 'text/html' };

describeOnDatabases('Sign in with Huduma clients page: access', (database) => {
  let app: FastifyInstance;
  let agencyId = '';
  before(async () => {
    app = await buildTestApp(database());
    agencyId = await createTestAgency(database(), 'Clients Agency');
  });
  after(async () => {
    await app.close();
  });

  const callerFor = (role: Role) => signInAs(database(), role,
    role.startsWith('agency-') ? { agencyId } : {});
  const register = (caller: Awaited<ReturnType<typeof callerFor>>,
    form: Readonly<Record<string, string | string[]>>) => app.inject({ method: 'POST',
    url: federationPaths.clients, headers: { ...caller.headers, ...html,
      'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams([...Object.entries({ _csrf: caller.csrfToken, ...form })]
      .flatMap(([name, value]) => [value].flat().map((one) => [name, one]))).toString() });

  it('sends a visitor who is not signed in to the staff sign-in', async () => {
    const page = await app.inject({ url: federationPaths.clients, headers: html });
    assert.equal(page.statusCode, 303);
    assert.match(String(page.headers.location), /^\/staff\/sign-in/);
  });

  for (const role of ['account-holder', ...staffRoles] as const) {
    it(`${allowed.has(role) ? 'lets' : 'refuses'} ${role}`, async () => {
      const caller = await callerFor(role);
      const page = await app.inject({ url: federationPaths.clients,
        headers: { ...caller.headers, ...html } });
      assert.equal(page.statusCode, allowed.has(role) ? 200 : 403);
      const created = await register(caller, { agency: agencyId, name: `By ${role}`,
        redirectUris: 'https://portal.example/cb', scopes: ['profile', 'phone'] });
      assert.equal(created.statusCode, allowed.has(role) ? 200 : 403);
      const clients = await listClients({ db: database().db });
      const mine = clients.find((client) => client.name === `By ${role}`);
      assert.equal(mine !== undefined, allowed.has(role));
      const target = mine ?? (await registerTestClient(database(), { agencyId,
        redirectUris: ['https://portal.example/cb'], scopes: ['openid'] }));
      const id = 'clientId' in target ? target.clientId : '';
      for (const path of [federationPaths.rotate(id), federationPaths.revoke(id)]) {
        const answer = await app.inject({ method: 'POST', url: path,
          headers: { ...caller.headers, ...html }, payload: { _csrf: caller.csrfToken } });
        assert.equal(answer.statusCode, allowed.has(role) ? (path.endsWith('revoke') ? 303
          : 200) : 403, path);
      }
      const after = (await listClients({ db: database().db }))
        .find((client) => client.clientId === id);
      assert.equal(after?.revokedAt !== null, allowed.has(role));
      if (!allowed.has(role)) return;
      assert.deepEqual(mine?.scopes, ['openid', 'profile', 'phone']);
      const secret = /<dd><code>([A-Za-z0-9_-]{43})<\/code><\/dd>/.exec(created.body)?.[1];
      assert.ok(secret !== undefined, 'the secret is shown once');
      const again = await app.inject({ url: federationPaths.clients,
        headers: { ...caller.headers, ...html } });
      assert.ok(!again.body.includes(secret), 'and never again');
      const audit = await listAuditForSubject(database().db,
        { type: 'oidc-client', id }, { limit: 10 });
      assert.deepEqual(audit.map((record) => record.action).sort(), ['FEDERATION_CLIENT_REGISTERED',
        'FEDERATION_CLIENT_REVOKED', 'FEDERATION_CLIENT_SECRET_ROTATED']);
    });
  }

  it('refuses bad input, keeping what was typed', async () => {
    const admin = await callerFor('platform-admin');
    const badAddress = await register(admin, { agency: agencyId, name: 'Kept name',
      redirectUris: 'http://portal.example/cb' });
    assert.equal(badAddress.statusCode, 400);
    assert.match(badAddress.body, /value="Kept name"/);
    assert.match(badAddress.body, /http:\/\/portal.example\/cb<\/textarea>/);
    const noAgency = await register(admin, { agency: '0190aaaa-0000-7000-8000-000000000000',
      name: 'X', redirectUris: 'https://portal.example/cb' });
    assert.equal(noAgency.statusCode, 404);
    const unknown = await app.inject({ method: 'POST',
      url: federationPaths.rotate('hc_nosuchclient000000000'),
      headers: { ...admin.headers, ...html }, payload: { _csrf: admin.csrfToken } });
    assert.equal(unknown.statusCode, 404);
    const revokedUnknown = await app.inject({ method: 'POST',
      url: federationPaths.revoke('hc_nosuchclient000000000'),
      headers: { ...admin.headers, ...html }, payload: { _csrf: admin.csrfToken } });
    assert.equal(revokedUnknown.statusCode, 404);
  });

  it('cannot rotate a revoked client; revoking again changes nothing', async () => {
    const admin = await callerFor('platform-admin');
    const client = await registerTestClient(database(), { agencyId,
      redirectUris: ['https://portal.example/cb'], scopes: ['openid'] });
    const revoke = () => app.inject({ method: 'POST', url: federationPaths.revoke(
      client.clientId), headers: { ...admin.headers, ...html },
    payload: { _csrf: admin.csrfToken } });
    assert.equal((await revoke()).statusCode, 303);
    assert.equal((await revoke()).statusCode, 303);
    const rotate = await app.inject({ method: 'POST', url: federationPaths.rotate(
      client.clientId), headers: { ...admin.headers, ...html },
    payload: { _csrf: admin.csrfToken } });
    assert.equal(rotate.statusCode, 409);
    const page = await app.inject({ url: `${federationPaths.clients}?notice=revoked`,
      headers: { ...admin.headers, ...html } });
    assert.match(page.body, /The client was revoked/);
  });
});
