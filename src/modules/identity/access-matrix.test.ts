/**
 * The role x route matrix: every route the app registers, called by every role (anonymous, an
 * account holder, each staff role), is allowed or refused exactly as its declaration and the
 * role table say. Runs on both databases.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import {
  isPermission,
  roleHasPermission,
  roles,
  type Role,
} from '#modules/authorisation/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs, type TestCaller } from '#test/helpers/sessions.ts';

type Caller = Role | 'anonymous';
const callers: readonly Caller[] = ['anonymous', ...roles.filter((r) => r !== 'agency-api-client')];
const refusalCodes = new Set(['AUTHORISATION_SIGN_IN_REQUIRED', 'AUTHORISATION_PERMISSION_DENIED']);
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function concreteUrl(url: string): string {
  return url.replace(/:[A-Za-z]+/g, () => uuidv7()).replace(/\*/g, 'x');
}

describeOnDatabases('access: every route for every role', (database) => {
  let app: FastifyInstance;
  let agencyId = '';
  const sessions = new Map<Caller, TestCaller>();
  before(async () => {
    app = await buildTestApp(database());
    agencyId = await createTestAgency(database(), 'Matrix Agency');
  });
  after(async () => {
    await app.close();
  });

  const callerFor = async (caller: Caller, fresh: boolean): Promise<TestCaller | undefined> => {
    if (caller === 'anonymous') return undefined;
    // A state-changing call gets a session of its own: it may sign out or change a role.
    if (fresh) return signInAs(database(), caller, { agencyId });
    const known = sessions.get(caller) ?? await signInAs(database(), caller, { agencyId });
    sessions.set(caller, known);
    return known;
  };

  it('knows every permission routes declare', () => {
    const unknown = app.accessControl.routes().flatMap((route) =>
      typeof route.access === 'object' && !isPermission(route.access.permission)
        ? [`${route.method} ${route.url}: ${route.access.permission}`] : []);
    assert.deepEqual(unknown, [], 'add these to src/modules/authorisation/permissions.ts');
  });

  it('every route declares its access, and the registry saw the whole app', () => {
    const routes = app.accessControl.routes();
    assert.ok(routes.length > 20, `only ${routes.length} routes`);
    assert.deepEqual(routes.filter((route) => route.access === undefined), []);
    for (const expected of ['GET /language', 'GET /healthz', 'POST /sign-in', 'GET /account',
      'GET /staff/people/:staffId', 'GET /documents', 'GET /documents/:id',
      'GET /documents/:id/document.pdf', 'GET /staff/documents/:id',
      'GET /staff/documents/:id/document.pdf', 'POST /staff/documents/:id/revoke',
      'GET /api/v1/verify', 'GET /staff/search', 'GET /services/:slug/apply',
      'POST /services/:slug/apply', 'GET /applications/:id',
      'GET /applications/:id/pages/:pageId', 'POST /applications/:id/pages/:pageId',
      'GET /applications/:id/check', 'POST /applications/:id/submit',
      'POST /applications/:id/:kind', 'POST /applications/:id/rating',
      'GET /applications/:id/files/:fileId', 'GET /account/applications', 'GET /a/:reference',
      'GET /staff/applications', 'GET /staff/applications/:id',
      'POST /staff/applications/:id/actions', 'GET /staff/applications/:id/files/:fileId']) {
      assert.ok(routes.some((r) => `${r.method} ${r.url}` === expected), expected);
    }
  });

  it('allows and refuses each role exactly as declared', async (t) => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const route of app.accessControl.routes()) {
      if (route.method === 'HEAD' || route.access === undefined) continue;
      const permission = typeof route.access === 'object' ? route.access.permission : undefined;
      for (const caller of callers) {
        const unsafe = !safeMethods.has(route.method);
        const session = await callerFor(caller, unsafe);
        const expectAllowed = permission === undefined ||
          (caller !== 'anonymous' && isPermission(permission) &&
            roleHasPermission(caller, permission));
        const response = await app.inject({
          method: route.method as 'GET',
          url: concreteUrl(route.url),
          headers: {
            accept: 'application/json',
            ...(session === undefined ? {} : session.headers),
            ...(unsafe ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          ...(unsafe ? { payload: session === undefined ? ''
            : `_csrf=${encodeURIComponent(session.csrfToken)}` } : {}),
        });
        let code: string | undefined;
        if (response.headers['content-type']?.startsWith('application/problem+json') === true) {
          code = (response.json() as { code?: string }).code;
        }
        const refused = code !== undefined && refusalCodes.has(code);
        const wantedCode = caller === 'anonymous'
          ? 'AUTHORISATION_SIGN_IN_REQUIRED' : 'AUTHORISATION_PERMISSION_DENIED';
        if (expectAllowed === refused || (!expectAllowed && code !== wantedCode)) {
          mismatches.push(`${caller} ${route.method} ${route.url}: expected ${
            expectAllowed ? 'allowed' : wantedCode}, got ${response.statusCode} ${code ?? ''}`);
        }
        if (response.statusCode >= 500) {
          t.diagnostic(`${caller} ${route.method} ${route.url} answered ${response.statusCode}`);
        }
        checked += 1;
      }
    }
    assert.deepEqual(mismatches, []);
    assert.ok(checked > 100, `only ${checked} calls`);
  });

  it('a page redirects an anonymous visitor to the right sign-in, and back after', async () => {
    const citizenPage = await app.inject({ url: '/account', headers: { accept: 'text/html' } });
    assert.equal(citizenPage.statusCode, 303);
    assert.equal(citizenPage.headers.location, '/sign-in?return=%2Faccount');
    const staffPage = await app.inject({ url: '/staff/people', headers: { accept: 'text/html' } });
    assert.equal(staffPage.headers.location, '/staff/sign-in?return=%2Fstaff%2Fpeople');
  });

  it('a refused page is a 403 page in the visitor\'s language', async () => {
    const citizen = await signInAs(database(), 'account-holder');
    const refused = await app.inject({ url: '/staff', headers: { ...citizen.headers,
      accept: 'text/html', 'accept-language': 'sw' } });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /<html lang="sw">/);
    assert.match(refused.body, /Huruhusiwi kuona ukurasa huu/);
  });
});
