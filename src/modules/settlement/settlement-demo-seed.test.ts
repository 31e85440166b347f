import assert from 'node:assert/strict';
import { it } from 'node:test';
import { seedDemoCatalogue } from '#modules/catalogue/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { seedDemoSettlementProfiles } from './settlement-demo-seed.ts';
import { listProfiles, settlementDb } from './settlement-repo.ts';

describeOnDatabases('demo settlement profiles', (database) => {
  it('gives every demo agency with a fee, and Treasury, a profile once', async () => {
    const deps = { db: database().db };
    await seedDemoCatalogue(deps);
    const seeded = await seedDemoSettlementProfiles(deps);
    assert.ok(seeded >= 2, String(seeded));
    assert.equal(await seedDemoSettlementProfiles(deps), 0);
    const profiles = await listProfiles(settlementDb(database().db));
    assert.equal(profiles.length, seeded);
    assert.ok(profiles.some((profile) => profile.payee === 'treasury'));
    assert.ok(profiles.every((profile) => /^1000\d{8}$/.test(profile.account_number)));
  });
});
