/** Who may read the trial balance: Treasury, auditors and platform administrators only. */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Role } from '#modules/authorisation/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs } from '#test/helpers/sessions.ts';
import { ledgerPaths } from './ledger-routes.ts';

describeOnDatabases('ledger routes: access', (database) => {
  let app: FastifyInstance;
  let agencyId = '';
  before(async () => {
    app = await buildTestApp(database());
    agencyId = await createTestAgency(database(), 'Ledger Access Agency');
  });
  after(async () => {
    await app.close();
  });

  const read = async (role: Role | undefined) => {
    const caller = role === undefined ? undefined : await signInAs(database(), role,
      role.startsWith('agency-') ? { agencyId } : {});
    return app.inject({ method: 'GET', url: ledgerPaths.trialBalance,
      ...(caller === undefined ? {} : { headers: caller.headers }) });
  };

  it('refuses a caller who is not signed in', async () => {
    assert.equal((await read(undefined)).statusCode, 401);
  });

  for (const role of ['account-holder', 'agency-officer', 'agency-supervisor',
    'agency-admin'] as const) {
    it(`refuses ${role}`, async () => {
      assert.equal((await read(role)).statusCode, 403);
    });
  }

  for (const role of ['treasury', 'auditor', 'platform-admin'] as const) {
    it(`answers ${role}`, async () => {
      const response = await read(role);
      assert.equal(response.statusCode, 200);
      assert.equal(response.json().balanced, true);
    });
  }
});
