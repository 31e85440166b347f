/**
 * Loads the demo catalogue into an EMPTY catalogue, in one transaction, so `npm start` shows a
 * working portal at once. Ids derive from the demo keys, and every insert skips rows that
 * already exist, so two processes starting together cannot load it twice.
 */
import { sql, type Transaction } from 'kysely';
import type { CatalogueDeps } from '../catalogue-service.ts';
import { catalogueUuid } from '../catalogue-ids.ts';
import type { CatalogueTables } from '../catalogue-tables.ts';
import { demoAgencies, demoDepartments, demoMinistries } from './demo-organisations.ts';
import { demoFeesEffectiveFrom, demoServices } from './demo-services.ts';

export type DemoSeedReport = Readonly<{ seeded: boolean; services: number }>;

const demoId = (kind: string, key: string) => catalogueUuid(`demo:${kind}:${key}`);

/** Seeds the demo catalogue unless any ministry exists already. */
export async function seedDemoCatalogue(deps: CatalogueDeps): Promise<DemoSeedReport> {
  return deps.db.withTables<CatalogueTables>().transaction().execute(async (trx) => {
    const existing = await sql<{ found: boolean }>`
      select exists (select 1 from ministry) as found`.execute(trx);
    if (existing.rows[0]?.found === true) return { seeded: false, services: 0 };
    await insertOrganisationsInTrx(trx);
    await insertServicesInTrx(trx);
    return { seeded: true, services: demoServices.length };
  });
}

async function insertOrganisationsInTrx(trx: Transaction<CatalogueTables>): Promise<void> {
  await trx.insertInto('ministry').values(demoMinistries.map((ministry) => ({
    id: demoId('ministry', ministry.key),
    source_id: `demo:${ministry.key}`,
    slug: ministry.slug,
    name_en: ministry.nameEn,
    name_sw: ministry.nameSw,
    description_en: ministry.descriptionEn,
    description_sw: ministry.descriptionSw,
    url: ministry.url,
    origin: 'demo' as const,
  }))).onConflict((conflict) => conflict.doNothing()).execute();
  await trx.insertInto('department').values(demoDepartments.map((department) => ({
    id: demoId('department', department.key),
    source_id: `demo:${department.key}`,
    ministry_id: demoId('ministry', department.ministryKey),
    slug: department.slug,
    name_en: department.nameEn,
    name_sw: department.nameSw,
    url: null,
    origin: 'demo' as const,
  }))).onConflict((conflict) => conflict.doNothing()).execute();
  await trx.insertInto('agency').values(demoAgencies.map((agency) => ({
    id: demoId('agency', agency.key),
    source_id: `demo:${agency.key}`,
    ministry_id: demoId('ministry', agency.ministryKey),
    department_id: demoId('department', agency.departmentKey),
    slug: agency.slug,
    name_en: agency.nameEn,
    name_sw: agency.nameSw,
    description_en: agency.descriptionEn,
    description_sw: agency.descriptionSw,
    url: agency.url,
    origin: 'demo' as const,
  }))).onConflict((conflict) => conflict.doNothing()).execute();
}

async function insertServicesInTrx(trx: Transaction<CatalogueTables>): Promise<void> {
  await trx.insertInto('service').values(demoServices.map((service) => ({
    id: demoId('service', service.key),
    source_id: `demo:${service.key}`,
    agency_id: demoId('agency', service.agencyKey),
    slug: service.slug,
    name_en: service.nameEn,
    name_sw: service.nameSw,
    description_en: service.descriptionEn,
    description_sw: service.descriptionSw,
    requirements_en: [...service.requirementsEn],
    requirements_sw: [...service.requirementsSw],
    service_url: service.serviceUrl,
    onboarding_status: service.onboardingStatus,
    sla_days: service.slaDays,
    delivery_mode: service.deliveryMode,
    eligible_account_types: [...service.eligibleAccountTypes],
    form_schema: null,
    origin: 'demo' as const,
    next_step_en: service.nextStep?.en ?? null,
    next_step_sw: service.nextStep?.sw ?? null,
  }))).onConflict((conflict) => conflict.doNothing()).execute();
  await trx.insertInto('fee_schedule_version').values(demoServices.map((service) => ({
    id: demoId('fee', `${service.key}:1`),
    service_id: demoId('service', service.key),
    version: 1,
    amount_minor: service.fee.amountMinor,
    currency: service.fee.currency,
    effective_from: demoFeesEffectiveFrom,
    effective_to: null,
    gazette_reference: service.fee.gazetteReference,
  }))).onConflict((conflict) => conflict.doNothing()).execute();
}
