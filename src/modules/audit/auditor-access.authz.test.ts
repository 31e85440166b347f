/**
 * "Auditors read everything and change nothing" (DESIGN invariant 6), walked over the route
 * table the app exposes (app.accessControl.routes()): as an auditor, every staff page without
 * parameters whose permission the auditor holds answers 200; every other GET answers as the
 * auditor's permissions say; every state-changing route declaring a permission is refused
 * (403), whatever it is. The staff home lists the auditor's read-only pages. Both databases.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import {
  definitionOf,
  isPermission,
  roleHasPermission,
  rolePermissions,
} from '#modules/authorisation/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { auditPaths } from './audit-views.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function concreteUrl(url: string): string {
  return url.replace(/:[A-Za-z]+/g, () => uuidv7()).replace(/\*/g, 'x');
}

function permissionOf(access: unknown): string | undefined {
  return typeof access === 'object' && access !== null && 'permission' in access &&
    typeof access.permission === 'string' ? access.permission : undefined;
}

function problemCode(response: Readonly<{ headers: Record<string, unknown>;
  json: () => unknown }>): string | undefined {
  const type = response.headers['content-type'];
  if (typeof type !== 'string' || !type.startsWith('application/problem+json')) return undefined;
  return (response.json() as { code?: string }).code;
}

function needsQuery(schema: Readonly<Record<string, unknown>> | undefined): boolean {
  const querystring = schema?.querystring as { required?: unknown;
    properties?: Record<string, { default?: unknown }> } | undefined;
  const required: unknown[] = Array.isArray(querystring?.required) ? querystring.required : [];
  return required.some((name) => typeof name === 'string' &&
    querystring?.properties?.[name]?.default === undefined);
}

describeOnDatabases('the auditor: every route, read-only', (database) => {
  let app: FastifyInstance;
  let auditor: TestCaller;
  before(async () => {
    app = await buildTestApp(database());
    auditor = await signInAs(database(), 'auditor');
  });
  after(async () => {
    await app.close();
  });

  it('holds no permission that writes, and every read permission', () => {
    const held = rolePermissions.auditor;
    assert.deepEqual(held.filter((permission) => definitionOf(permission).effect === 'write'),
      []);
    for (const permission of ['audit.read', 'applications.read', 'payments.read',
      'settlement.read', 'reports.read', 'ledger.read', 'reconciliation.read'] as const) {
      assert.ok(held.includes(permission), permission);
    }
  });

  it('opens every staff read page and is refused every state-changing route', async () => {
    const wrong: string[] = [];
    let pages = 0;
    let refusedWrites = 0;
    for (const route of app.accessControl.routes()) {
      if (route.method === 'HEAD') continue;
      const permission = permissionOf(route.access);
      if (permission === undefined) continue; // public pages and provider callbacks
      const holds = isPermission(permission) && roleHasPermission('auditor', permission);
      const unsafe = !safeMethods.has(route.method);
      const page = !unsafe && route.url.startsWith('/staff') && !route.url.includes(':');
      const response = await app.inject({
        method: route.method as 'GET', url: concreteUrl(route.url),
        headers: { ...auditor.headers, accept: page ? 'text/html' : 'application/json',
          ...(unsafe ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(unsafe ? { payload: `_csrf=${encodeURIComponent(auditor.csrfToken)}` } : {}),
      });
      const label = `${route.method} ${route.url} (${permission})`;
      const refused = response.statusCode === 403 && (page ||
        problemCode(response) === 'AUTHORISATION_PERMISSION_DENIED');
      if (unsafe) {
        refusedWrites += 1;
        if (!refused) wrong.push(`${label}: ${response.statusCode}`);
      } else if (page && holds) {
        pages += 1;
        // A page that needs a query (a day to show) answers 400 without one, refusing nothing.
        const expected = needsQuery(route.schema) ? 400 : 200;
        if (response.statusCode !== expected) wrong.push(`${label}: ${response.statusCode}`);
      } else if (refused === holds) {
        wrong.push(`${label}: ${response.statusCode}, expected ${holds ? 'allowed' : '403'}`);
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(refusedWrites > 30, `only ${refusedWrites} state-changing routes refused`);
    assert.ok(pages >= 10, `only ${pages} staff pages opened`);
  });

  it('reaches the read pages the brief names, each answering 200', async () => {
    for (const url of ['/staff/applications', '/staff/search', '/staff/refunds',
      '/staff/suspense', '/staff/payment-alerts', '/staff/reconciliation', '/staff/settlement',
      '/staff/ledger', '/staff/reports', auditPaths.browser, auditPaths.verify]) {
      const response = await app.inject({ url, headers: { ...auditor.headers,
        accept: 'text/html' } });
      assert.equal(response.statusCode, 200, url);
      const posts = [...response.body.matchAll(/<form[^>]*method="post"[^>]*action="([^"]*)"/g)]
        .map((match) => match[1]).filter((action) => action !== '/sign-out');
      assert.deepEqual(posts, [], `${url} offers no form that changes anything`);
    }
  });

  it('the staff home has an auditing section listing the read-only pages', async () => {
    const home = await app.inject({ url: '/staff', headers: { ...auditor.headers,
      accept: 'text/html' } });
    assert.equal(home.statusCode, 200);
    const section = /<section aria-labelledby="audit-home-title">[\s\S]*?<\/section>/
      .exec(home.body)?.[0] ?? '';
    for (const href of [auditPaths.browser, auditPaths.verify, '/staff/applications',
      '/staff/refunds', '/staff/suspense', '/staff/reconciliation', '/staff/settlement',
      '/staff/ledger', '/staff/reports']) {
      assert.ok(section.includes(`href="${href}"`), href);
    }
    assert.match(section, /You read everything and change nothing/);
    const admin = await signInAs(database(), 'platform-admin');
    const adminHome = await app.inject({ url: '/staff', headers: { ...admin.headers,
      accept: 'text/html' } });
    assert.match(adminHome.body, /audit-home-title/);
    assert.doesNotMatch(adminHome.body, /You read everything and change nothing/,
      'a platform administrator changes things');
    const officer = await signInAs(database(), 'treasury');
    const theirs = await app.inject({ url: '/staff', headers: { ...officer.headers,
      accept: 'text/html' } });
    assert.doesNotMatch(theirs.body, /audit-home-title/, 'treasury does not hold audit.read');
  });
});
