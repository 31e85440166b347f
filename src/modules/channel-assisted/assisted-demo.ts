/**
 * Demo data: the demo agent (seeded as staff by identity) in the agent register, and a
 * published agent-fee table (a flat cap and one for the business name search). Adds what is
 * missing; running it again changes nothing.
 */
import { uuidv7 } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { assistedDb } from './assisted-tables.ts';
import { kenyanDateOf } from './fee-rules.ts';

export const demoAgent = {
  email: 'agent.kencom@huduma.example',
  agentNumber: 'HC-NRB-00123',
  businessName: 'Kencom Cyber Services',
  location: 'Moi Avenue, Nairobi',
} as const;

const demoCaps: readonly Readonly<{ serviceSlug: string | null; capMinor: bigint }>[] = [
  { serviceSlug: null, capMinor: 10_000n },
  { serviceSlug: 'business-name-search', capMinor: 5_000n },
];

export async function seedAssistedDemo(deps: Pick<ModuleDeps, 'db' | 'clock'>):
  Promise<{ seeded: boolean }> {
  const db = assistedDb(deps.db);
  const now = deps.clock.now();
  const staff = await db.selectFrom('staff_member').select('id')
    .where('email', '=', demoAgent.email).where('role', '=', 'assisted-agent')
    .executeTakeFirst();
  const admin = await db.selectFrom('staff_member').select('id')
    .where('role', '=', 'platform-admin').orderBy('id').executeTakeFirst();
  if (staff === undefined || admin === undefined) return { seeded: false };
  const existing = await db.selectFrom('agent_fee_cap').select('id').executeTakeFirst();
  const services = await db.selectFrom('service').select(['id', 'slug'])
    .where('slug', 'in', demoCaps.flatMap((cap) => cap.serviceSlug ?? [])).execute();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('assisted_agent').values({ staff_id: staff.id,
      agent_number: demoAgent.agentNumber, business_name: demoAgent.businessName,
      kind: 'cyber-cafe', location: demoAgent.location, registered_by_staff_id: admin.id,
      registered_at: now }).onConflict((conflict) => conflict.doNothing()).execute();
    if (existing !== undefined) return;
    for (const cap of demoCaps) {
      const serviceId = cap.serviceSlug === null ? null
        : services.find((service) => service.slug === cap.serviceSlug)?.id;
      if (serviceId === undefined) continue;
      await trx.insertInto('agent_fee_cap').values({ id: uuidv7(now.getTime()),
        service_id: serviceId, cap_minor: cap.capMinor, currency: 'KES',
        effective_from: kenyanDateOf(now), set_by_staff_id: admin.id, created_at: now })
        .execute();
    }
  });
  return { seeded: true };
}
