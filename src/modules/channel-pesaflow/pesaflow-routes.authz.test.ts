/**
 * Who may reach the Pesaflow routes, role by role. The clients page: only holders of
 * agency.integration.manage (the agency administrator, the platform administrator); every
 * other role is refused each route, and an anonymous caller must sign in. The legacy machine
 * endpoints and the hosted checkout are public and answer every role alike: their authority
 * is the client's HMAC or the checkout's unguessable request_id, never a session. Then the
 * page at work: a client registered by form shows its keys once, is hidden from another
 * agency, and is disabled (its requests refused from then on).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { roles, type Role } from '#modules/authorisation/index.ts';
import { sql } from 'kysely';
import { buildTestApp, testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { findLiveClient } from './pesaflow-clients.ts';
import { pesaflowPaths } from './pesaflow-paths.ts';

const managers = new Set<Role>(['agency-admin', 'platform-admin']);
const unknownClient = '0193a000-0000-7000-8000-00000000abcd';
const form = 'application/x-www-form-urlencoded';

describeOnDatabases('Pesaflow routes: every role', (database) => {
  let app: FastifyInstance;
  let agencyId = '';
  let otherAgencyId = '';
  before(async () => {
    app = await buildTestApp(database());
    agencyId = await createTestAgency(database(), 'Pesaflow Authz Agency');
    otherAgencyId = await createTestAgency(database(), 'Pesaflow Other Agency');
  });
  after(async () => {
    await app.close();
  });

  const post = (caller: TestCaller | undefined, url: string,
    fields: Record<string, string> = {}, csrf = true) => {
    const body = new URLSearchParams();
    if (caller !== undefined && csrf) body.append('_csrf', caller.csrfToken);
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    return app.inject({ method: 'POST', url, payload: body.toString(),
      headers: { ...caller?.headers, accept: 'text/html', 'content-type': form } });
  };

  for (const role of roles.filter((r) => r !== 'agency-api-client')) {
    it(`${managers.has(role) ? 'lets' : 'refuses'} ${role} the clients page; the legacy ` +
      'endpoints answer alike', async () => {
      const caller = await signInAs(database(), role, { agencyId });
      const allowed = managers.has(role);
      const page = await app.inject({ url: pesaflowPaths.staff,
        headers: { ...caller.headers, accept: 'text/html' } });
      assert.equal(page.statusCode, allowed ? 200 : 403, 'page');
      const created = await post(caller, pesaflowPaths.staff, { name: ' ',
        hashEncoding: 'hex-base64', ipnRecipe: 'invoice-amount', agency: agencyId });
      assert.equal(created.statusCode, allowed ? 400 : 403, 'register');
      const disabled = await post(caller, pesaflowPaths.disable(unknownClient),
        { agency: agencyId });
      assert.equal(disabled.statusCode, allowed ? 404 : 403, 'disable');
      const checkout = await post(caller, pesaflowPaths.checkout, { apiClientID: '1' }, false);
      assert.equal(checkout.statusCode, 422, 'checkout');
      const status = await app.inject({ headers: caller.headers,
        url: `${pesaflowPaths.status}?api_client_id=1&ref_no=X&secure_hash=Y` });
      assert.equal(status.statusCode, 403, 'status');
      const hosted = await app.inject({ url: pesaflowPaths.page('x'.repeat(32)),
        headers: { ...caller.headers, accept: 'text/html' } });
      assert.equal(hosted.statusCode, 404, 'hosted checkout');
      const stk = await post(caller, pesaflowPaths.stk, { request_id: 'x'.repeat(32),
        phone: '0708374149' });
      assert.equal(stk.statusCode, 404, 'stk');
    });
  }

  it('sends an anonymous caller to sign in; the hosted checkout form needs its token',
    async () => {
      const page = await app.inject({ url: pesaflowPaths.staff, headers: { accept: 'text/html' } });
      assert.equal(page.statusCode, 303);
      assert.match(page.headers.location ?? '', /^\/staff\/sign-in\?return=/);
      const created = await post(undefined, pesaflowPaths.staff, { name: 'x' });
      assert.ok([303, 401, 403].includes(created.statusCode), String(created.statusCode));
      const stk = await post(undefined, pesaflowPaths.stk, { request_id: 'x'.repeat(32),
        phone: '0708374149' });
      assert.equal(stk.statusCode, 403, 'no CSRF token');
    });

  it('registers a client (keys shown once), hides it from another agency, disables it',
    async () => {
      const owner = await signInAs(database(), 'agency-admin', { agencyId });
      const created = await post(owner, pesaflowPaths.staff, { name: 'Land rates system',
        hashEncoding: 'raw-base64', ipnRecipe: 'ref-invoice-amount-date' });
      assert.equal(created.statusCode, 201);
      assert.match(created.body, /pfk_[A-Za-z0-9_-]{32}/);
      assert.match(created.body, /pfs_[A-Za-z0-9_-]{43}/);
      const apiClientId = /<dt>apiClientID<\/dt><dd><code>(\d+)<\/code>/.exec(created.body)?.[1];
      const id = /\/staff\/pesaflow-clients\/([0-9a-f-]{36})\/disable/.exec(created.body)?.[1];
      assert.ok(apiClientId !== undefined && id !== undefined);
      const list = await app.inject({ url: pesaflowPaths.staff,
        headers: { ...owner.headers, accept: 'text/html' } });
      assert.doesNotMatch(list.body, /pfs_|pfk_/, 'the keys are shown once');
      const stored = (await sql<{ api_key: string; secret: string }>`select api_key, secret
        from pesaflow_client where api_client_id = ${apiClientId}`.execute(database().db)).rows[0];
      assert.ok(stored?.api_key.startsWith('v1.') && stored.secret.startsWith('v1.'), 'sealed');
      assert.equal((await findLiveClient(testDeps(database()), apiClientId))?.api_key,
        /pfk_[A-Za-z0-9_-]{32}/.exec(created.body)?.[0], 'and opened for hashing');
      assert.match(list.body, /Base64 of the raw digest/);
      const stranger = await signInAs(database(), 'agency-admin', { agencyId: otherAgencyId });
      const theirs = await app.inject({ url: pesaflowPaths.staff,
        headers: { ...stranger.headers, accept: 'text/html' } });
      assert.doesNotMatch(theirs.body, /Land rates system/);
      assert.equal((await post(stranger, pesaflowPaths.disable(id))).statusCode, 404);
      assert.ok(await findLiveClient(testDeps(database()), apiClientId));
      const platform = await signInAs(database(), 'platform-admin');
      const chosen = await app.inject({ url: `${pesaflowPaths.staff}?agency=${agencyId}`,
        headers: { ...platform.headers, accept: 'text/html' } });
      assert.match(chosen.body, /Land rates system/);
      const disabled = await post(owner, pesaflowPaths.disable(id));
      assert.equal(disabled.statusCode, 303);
      assert.equal(await findLiveClient(testDeps(database()), apiClientId), undefined);
      const after = await app.inject({ url: disabled.headers.location ?? '',
        headers: { ...owner.headers, accept: 'text/html' } });
      assert.match(after.body, /The client is disabled/);
      assert.equal((await post(owner, pesaflowPaths.disable(id))).statusCode, 303, 'idempotent');
    });
});
