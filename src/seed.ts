/** Demo data for an empty database, so a newcomer sees a working portal at once. */
import type { ModuleDeps } from '#platform/module.ts';
import { seedDemoCompliance } from '#modules/agencies/index.ts';
import { seedAssistedDemo } from '#modules/channel-assisted/index.ts';
import { seedDemoForms } from '#modules/applications/index.ts';
import { seedDemoCatalogue } from '#modules/catalogue/index.ts';
import { seedIdentityDemoData } from '#modules/identity/index.ts';
import { seedDemoSettlementProfiles } from '#modules/settlement/index.ts';

export async function seedDemoData(deps: ModuleDeps): Promise<void> {
  // Each module that ships demo data adds its seeding call here.
  const catalogue = await seedDemoCatalogue(deps);
  if (catalogue.seeded) deps.logger.info({ services: catalogue.services }, 'demo catalogue loaded');
  // The demo services' application forms (kept current on every start).
  await seedDemoForms(deps);
  // After the catalogue: demo staff belong to demo agencies.
  const identity = await seedIdentityDemoData(deps);
  if (identity.staff > 0) deps.logger.info({ staff: identity.staff }, 'demo staff loaded');
  // After the catalogue: each demo agency with a fee (and Treasury) gets a bank profile.
  const profiles = await seedDemoSettlementProfiles(deps);
  if (profiles > 0) deps.logger.info({ profiles }, 'demo settlement profiles loaded');
  // After the catalogue: legacy paybills, exemptions and notices of a few demo agencies.
  const compliance = await seedDemoCompliance(deps, deps.clock.now());
  if (compliance.seeded) deps.logger.info('demo compliance register loaded');
  // After identity: the demo agent in the agent register, and the published agent-fee caps.
  await seedAssistedDemo(deps);
}
