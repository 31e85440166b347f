/**
 * Who may reach the webhook pages, role by role: only holders of agency.integration.manage
 * (the agency administrator, the platform administrator); every other role is refused each
 * route, and an anonymous caller must sign in. Then the pages at work: an endpoint added by
 * form shows its secret once, an agency administrator of another agency finds nothing, a
 * disabled endpoint is marked so, and the delivery log answers (both databases).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { roles, type Role } from '#modules/authorisation/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { webhookPaths } from './webhook-views.ts';

const managers = new Set<Role>(['agency-admin', 'platform-admin']);
const unknownEndpoint = '0193a000-0000-7000-8000-00000000abcd';
const form = 'application/x-www-form-urlencoded';

describeOnDatabases('agency webhook pages: every role', (database) => {
  let app: FastifyInstance;
  let agencyId = '';
  let otherAgencyId = '';
  before(async () => {
    app = await buildTestApp(database());
    agencyId = await createTestAgency(database(), 'Webhook Authz Agency');
    otherAgencyId = await createTestAgency(database(), 'Webhook Other Agency');
  });
  after(async () => {
    await app.close();
  });

  const post = (caller: TestCaller | undefined, url: string,
    fields: Record<string, string | string[]> = {}) => {
    const body = new URLSearchParams();
    if (caller !== undefined) body.append('_csrf', caller.csrfToken);
    for (const [name, value] of Object.entries(fields)) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
    }
    return app.inject({ method: 'POST', url, payload: body.toString(),
      headers: { ...caller?.headers, accept: 'text/html', 'content-type': form } });
  };

  for (const role of roles.filter((r) => r !== 'agency-api-client')) {
    it(`${managers.has(role) ? 'lets' : 'refuses'} ${role}`, async () => {
      const caller = await signInAs(database(), role, { agencyId });
      const allowed = managers.has(role);
      const page = await app.inject({ url: webhookPaths.page,
        headers: { ...caller.headers, accept: 'text/html' } });
      assert.equal(page.statusCode, allowed ? 200 : 403, 'list');
      const log = await app.inject({ url: webhookPaths.endpoint(unknownEndpoint),
        headers: { ...caller.headers, accept: 'text/html' } });
      assert.equal(log.statusCode, allowed ? 404 : 403, 'log');
      const created = await post(caller, webhookPaths.page, { url: 'ftp://example.test/hook',
        events: 'payment.received' });
      assert.equal(created.statusCode, allowed ? 400 : 403, 'create');
      for (const url of [webhookPaths.rotate(unknownEndpoint),
        webhookPaths.disable(unknownEndpoint),
        webhookPaths.replay(unknownEndpoint, unknownEndpoint)]) {
        assert.equal((await post(caller, url)).statusCode, allowed ? 404 : 403, url);
      }
    });
  }

  it('sends an anonymous caller to sign in', async () => {
    const page = await app.inject({ url: webhookPaths.page, headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 303);
    assert.match(page.headers.location ?? '', /^\/staff\/sign-in\?return=/);
    const created = await post(undefined, webhookPaths.page, { url: 'https://example.test' });
    assert.ok([303, 401, 403].includes(created.statusCode), String(created.statusCode));
  });

  it('adds an endpoint (secret shown once), hides it from another agency, disables it',
    async () => {
      const admin = await signInAs(database(), 'agency-admin', { agencyId });
      const created = await post(admin, webhookPaths.page, {
        url: 'https://agency.example.test/hooks', events: ['payment.received', 'invoice.paid'] });
      assert.equal(created.statusCode, 201);
      assert.match(created.body, /whsec_[A-Za-z0-9_-]{43}/);
      const id = /\/staff\/agency-webhooks\/([0-9a-f-]{36})\/rotate/.exec(created.body)?.[1];
      assert.ok(id !== undefined);
      const list = await app.inject({ url: webhookPaths.page,
        headers: { ...admin.headers, accept: 'text/html' } });
      assert.doesNotMatch(list.body, /whsec_/, 'the secret is shown once');
      const stranger = await signInAs(database(), 'agency-admin', { agencyId: otherAgencyId });
      const theirs = await app.inject({ url: webhookPaths.page,
        headers: { ...stranger.headers, accept: 'text/html' } });
      assert.doesNotMatch(theirs.body, /agency\.example\.test/);
      assert.equal((await post(stranger, webhookPaths.disable(id))).statusCode, 404);
      const rotated = await post(admin, webhookPaths.rotate(id));
      assert.equal(rotated.statusCode, 200);
      assert.match(rotated.body, /whsec_/);
      const log = await app.inject({ url: webhookPaths.endpoint(id),
        headers: { ...admin.headers, accept: 'text/html' } });
      assert.equal(log.statusCode, 200);
      const disabled = await post(admin, webhookPaths.disable(id));
      assert.equal(disabled.statusCode, 303);
      const after = await app.inject({ url: `${webhookPaths.page}?notice=disabled`,
        headers: { ...admin.headers, accept: 'text/html' } });
      assert.match(after.body, /Disabled/);
    });
});
