/**
 * Who may reach the payment alert routes, role by role: the list (JSON and page) for those
 * who read reconciliation (treasury, auditor, platform-admin), closing for those who hold
 * payment-alerts.close (treasury, platform-admin); everyone else is refused, and an anonymous
 * caller must sign in. Each role is allowed or denied on each route (both databases).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { roles, type Role } from '#modules/authorisation/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs } from '#test/helpers/sessions.ts';
import { paymentAlertPaths } from './payment-alert-views.ts';

const readers = new Set<Role>(['treasury', 'finance-officer', 'auditor', 'platform-admin']);
const closers = new Set<Role>(['treasury', 'finance-officer', 'platform-admin']);
const unknownAlert = '0193a000-0000-7000-8000-00000000abcd';

describeOnDatabases('payment alert routes: every role', (database) => {
  let app: FastifyInstance;
  let agencyId = '';
  before(async () => {
    app = await buildTestApp(database());
    agencyId = await createTestAgency(database(), 'Alert Authz Agency');
  });
  after(async () => {
    await app.close();
  });

  for (const role of roles.filter((r) => r !== 'agency-api-client')) {
    it(`${readers.has(role) ? 'lets' : 'refuses'} ${role} read alerts, and ${
      closers.has(role) ? 'lets' : 'refuses'} them close one`, async () => {
      const caller = await signInAs(database(), role, { agencyId });
      const list = await app.inject({ url: paymentAlertPaths.api,
        headers: { ...caller.headers, accept: 'application/json' } });
      assert.equal(list.statusCode, readers.has(role) ? 200 : 403, 'list');
      const page = await app.inject({ url: paymentAlertPaths.page,
        headers: { ...caller.headers, accept: 'text/html' } });
      assert.equal(page.statusCode, readers.has(role) ? 200 : 403, 'page');
      const close = await app.inject({ method: 'POST', url: paymentAlertPaths.close(unknownAlert),
        headers: { ...caller.headers, accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: caller.csrfToken, note: 'looked' }).toString() });
      // Allowed to close: the alert is not found (404); refused: 403 before anything is read.
      assert.equal(close.statusCode, closers.has(role) ? 404 : 403, 'close');
    });
  }

  it('counts alerts of every kind from the start, at 0', async () => {
    const rendered = (await app.inject({ url: '/metrics' })).body;
    for (const kind of ['CALLBACK_QUARANTINED', 'CONFIRMATION_OUT_OF_BOUNDS',
      'DELIVERY_DISAGREED', 'RECEIPT_REUSED', 'C2B_MAY_REPEAT_STK_PAYMENT']) {
      assert.match(rendered, new RegExp(`payments_alerts_raised_total\\{kind="${kind}"\\} 0`));
    }
  });

  it('sends an anonymous caller to sign in', async () => {
    const list = await app.inject({ url: paymentAlertPaths.api,
      headers: { accept: 'application/json' } });
    assert.equal(list.statusCode, 401);
    const page = await app.inject({ url: paymentAlertPaths.page,
      headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 303);
    assert.match(page.headers.location ?? '', /^\/staff\/sign-in\?return=/);
    const close = await app.inject({ method: 'POST', url: paymentAlertPaths.close(unknownAlert),
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'note=looked' });
    assert.ok([303, 401].includes(close.statusCode), String(close.statusCode));
  });
});
