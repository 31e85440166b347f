import assert from 'node:assert/strict';
import { it } from 'node:test';
import { seedDemoCatalogue } from '#modules/catalogue/index.ts';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { demoStaff, seedIdentityDemoData } from './identity-demo.ts';
import { identityDb } from './identity-deps.ts';

describeOnDatabases('identity demo data', (database) => {
  it('adds the demo citizen and staff once, scoped to the demo agencies', async () => {
    const deps = testDeps(database());
    await seedDemoCatalogue(deps);
    assert.deepEqual(await seedIdentityDemoData(deps), { staff: demoStaff.length });
    assert.deepEqual(await seedIdentityDemoData(deps), { staff: 0 });
    const rows = await identityDb(deps).selectFrom('staff_member')
      .leftJoin('agency', 'agency.id', 'staff_member.agency_id')
      .select(['staff_member.role', 'agency.slug']).execute();
    assert.equal(rows.length, demoStaff.length);
    assert.ok(rows.filter((row) => row.role.startsWith('agency-'))
      .every((row) => row.slug !== null));
    const citizen = await identityDb(deps).selectFrom('account').select('document_number')
      .execute();
    assert.deepEqual(citizen.map((row) => row.document_number), ['12345678']);
  });
});
