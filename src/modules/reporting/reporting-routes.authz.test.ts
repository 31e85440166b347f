/**
 * Who may read the Treasury dashboard, role by role (both databases): every holder of
 * reports.read reaches the page, each CSV and the access-fee proof; every other role is
 * refused each of them; an anonymous reader is sent to sign in. Then scope: an agency
 * supervisor of agency A sees A's collections and never B's, on the page and in the CSV,
 * while Treasury sees both.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import {
  postEntryInTrx,
  receiptMatched,
} from '#modules/ledger/index.ts';
import { roleHasPermission, roles, type Role } from '#modules/authorisation/index.ts';
import { money } from '#platform/money/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createReportingAgency, insertTestInvoice } from '#test/helpers/reporting.ts';
import { signInAs } from '#test/helpers/sessions.ts';
import { dashboardCsvTables } from './reporting-csv.ts';
import { reportingPaths } from './reporting-views.ts';

const period = { from: '2026-11-01', to: '2026-11-30' };
const query = `?from=${period.from}&to=${period.to}`;
const urls = [`${reportingPaths.dashboard}${query}`,
  ...dashboardCsvTables.map((table) => reportingPaths.csv(table, period)),
  `${reportingPaths.accessFees}${query}`, reportingPaths.accessFeesCsv(period)];

describeOnDatabases('reporting routes: every role', (database) => {
  let app: FastifyInstance;
  let agencyA = '';
  let agencyB = '';
  before(async () => {
    app = await buildTestApp(database());
    const [a, b] = [await createReportingAgency(database(), 'Scope Agency Alpha'),
      await createReportingAgency(database(), 'Scope Agency Bravo')];
    agencyA = a.agencyId;
    agencyB = b.agencyId;
    for (const [index, agency] of [a, b].entries()) {
      const invoiceId = await insertTestInvoice(database(), { agencyId: agency.agencyId,
        serviceId: agency.serviceIds[0] ?? '', feeVersionId: agency.feeVersionIds[0] ?? '',
        serviceFeeMinor: 100_000n, accessFeeMinor: 5_000n,
        issuedAt: new Date('2026-11-10T08:00:00Z') });
      await database().db.transaction().execute((trx) => postEntryInTrx(trx, receiptMatched({
        receipt: { channel: { kind: 'mpesa', shortcode: '222222' },
          receiptNumber: `SCOPE${index}` }, invoiceId,
        amount: money(index === 0 ? 111_100n : 222_200n, 'KES'),
        occurredAt: new Date('2026-11-10T09:00:00Z') })));
    }
  });
  after(async () => {
    await app.close();
  });

  for (const role of roles.filter((r) => r !== 'agency-api-client')) {
    const allowed = roleHasPermission(role, 'reports.read');
    it(`${allowed ? 'lets' : 'refuses'} ${role}`, async () => {
      const caller = await signInAs(database(), role as Role, { agencyId: agencyA });
      for (const url of urls) {
        const response = await app.inject({ url,
          headers: { ...caller.headers, accept: 'text/html' } });
        assert.equal(response.statusCode, allowed ? 200 : 403, url);
      }
    });
  }

  it('sends an anonymous reader to sign in', async () => {
    const page = await app.inject({ url: reportingPaths.dashboard,
      headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 303);
    assert.match(page.headers.location ?? '', /^\/staff\/sign-in\?return=/);
  });

  it('shows an agency supervisor their agency only; Treasury both', async () => {
    const supervisor = await signInAs(database(), 'agency-supervisor', { agencyId: agencyA });
    const page = await app.inject({ url: `${reportingPaths.dashboard}${query}`,
      headers: { ...supervisor.headers, accept: 'text/html' } });
    assert.match(page.body, /Scope Agency Alpha/);
    assert.match(page.body, /1,111\.00/);
    assert.doesNotMatch(page.body, /Scope Agency Bravo|2,222\.00/);
    assert.doesNotMatch(page.body, /Suspense balance/, 'platform-wide figures are hidden');
    const csv = await app.inject({ url: reportingPaths.csv('collections-by-agency', period),
      headers: supervisor.headers });
    assert.match(csv.body, new RegExp(agencyA));
    assert.doesNotMatch(csv.body, new RegExp(agencyB));
    const treasury = await signInAs(database(), 'treasury');
    const all = await app.inject({ url: reportingPaths.csv('collections-by-agency', period),
      headers: treasury.headers });
    assert.match(all.body, new RegExp(agencyA));
    assert.match(all.body, new RegExp(agencyB));
  });
});
