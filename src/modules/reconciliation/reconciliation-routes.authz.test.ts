/**
 * Who may use the reconciliation pages: Treasury, finance officers, auditors and platform
 * administrators read runs, days and exports; only finance officers and platform
 * administrators import. Citizens and agency staff are refused; anonymous callers must sign in.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Role } from '#modules/authorisation/index.ts';
import { buildTestApp, testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs } from '#test/helpers/sessions.ts';
import { reconcileStatementCsv } from './reconciliation-service.ts';
import { reconciliationPaths } from './reconciliation-views.ts';
import { statementText } from './test-statement.ts';

const readers: readonly Role[] = ['treasury', 'finance-officer', 'auditor', 'platform-admin'];
const managers: readonly Role[] = ['finance-officer', 'platform-admin'];
const everyone: readonly Role[] = ['account-holder', 'agency-officer', 'agency-supervisor',
  'agency-admin', 'treasury', 'finance-officer', 'auditor', 'platform-admin'];

describeOnDatabases('reconciliation routes: access', (database) => {
  let app: FastifyInstance;
  let agencyId = '';
  let runId = '';
  before(async () => {
    app = await buildTestApp(database());
    agencyId = await createTestAgency(database(), 'Reconciliation Access Agency');
    const report = await reconcileStatementCsv(testDeps(database()), {
      csv: Readable.from([statementText([{ receipt: 'RAZ0000001', at: new Date(),
        paidInMinor: 10_00n, reference: 'X' }])]), shortcode: '222222',
      startedBy: 'system:test' });
    runId = report.run.id;
  });
  after(async () => {
    await app.close();
  });

  const callerOf = async (role: Role | undefined) => role === undefined ? undefined
    : signInAs(database(), role, role.startsWith('agency-') ? { agencyId } : {});

  const reads = () => [reconciliationPaths.page, reconciliationPaths.run(runId),
    reconciliationPaths.runExport(runId), reconciliationPaths.day('2026-12-01'),
    reconciliationPaths.dayExport('2026-12-01'), `${reconciliationPaths.dayQuery}?day=2026-12-01`];

  for (const role of [undefined, ...everyone]) {
    it(`${role ?? 'anonymous'}: reads ${readers.includes(role as Role) ? 'allowed' : 'refused'}`,
      async () => {
        const caller = await callerOf(role);
        for (const url of reads()) {
          const response = await app.inject({ url, headers: { ...caller?.headers } });
          const expected = role === undefined ? [303, 401] : readers.includes(role)
            ? [200, 303] : [403];
          assert.ok(expected.includes(response.statusCode), `${url}: ${response.statusCode}`);
        }
      });

    it(`${role ?? 'anonymous'}: imports ${managers.includes(role as Role) ? 'allowed' : 'refused'}`,
      async () => {
        const caller = await callerOf(role);
        const response = await app.inject({ method: 'POST', url: reconciliationPaths.imports,
          headers: { ...caller?.headers, 'content-type': 'application/x-www-form-urlencoded' },
          payload: `_csrf=${encodeURIComponent(caller?.csrfToken ?? '')}` });
        // Allowed, the form without a file is sent back (400); refused otherwise.
        const expected = role === undefined ? [303, 401, 403] : managers.includes(role)
          ? [400] : [403];
        assert.ok(expected.includes(response.statusCode), String(response.statusCode));
        const pull = await app.inject({ method: 'POST', url: reconciliationPaths.pulls,
          headers: { ...caller?.headers, 'content-type': 'application/x-www-form-urlencoded' },
          payload: `_csrf=${encodeURIComponent(caller?.csrfToken ?? '')}&day=not-a-day` });
        assert.ok((role !== undefined && managers.includes(role) ? [400] : expected)
          .includes(pull.statusCode), String(pull.statusCode));
      });
  }
});
