/**
 * The demo compliance register (both databases): after the demo catalogue it gives three demo
 * agencies paybills, exemptions, outside revenue and notices whose alerts are raised, so the
 * scorecard shows something to act on; a second run adds nothing.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { seedDemoCatalogue } from '#modules/catalogue/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { seedDemoCompliance } from './compliance-demo-seed.ts';
import { complianceScorecard } from './compliance-scorecard.ts';

describeOnDatabases('demo compliance register', (database) => {
  it('gives demo agencies a register with alerts, once', async () => {
    const deps = { db: database().db };
    const now = new Date('2026-12-10T09:00:00Z');
    await seedDemoCatalogue(deps);
    assert.deepEqual(await seedDemoCompliance(deps, now), { seeded: true });
    assert.deepEqual(await seedDemoCompliance(deps, now), { seeded: false });
    const rows = await complianceScorecard(deps.db, { now });
    const bySlug = new Map(rows.map((row) => [row.agencySlug, row]));
    const immigration = bySlug.get('department-of-immigration-services');
    const transport = bySlug.get('national-transport-and-safety-authority');
    const business = bySlug.get('business-registration-service');
    assert.deepEqual([immigration?.legacyPaybillsOpen, immigration?.legacyPaybillsPastClosure,
      immigration?.noticesOverdue, immigration?.alertsOpen], [1, 1, 1, 2]);
    assert.deepEqual([transport?.exemptionsExpired, transport?.noticesOpen,
      transport?.noticesOverdue, transport?.outsideRevenueKesMinor, transport?.alertsOpen],
    [1, 1, 0, 7_500_000_00n, 1]);
    assert.equal(business?.exemptionsActive, 1);
  });
});
