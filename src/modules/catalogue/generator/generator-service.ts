/**
 * Writes a synthetic catalogue (origin 'synthetic') for scale tests: N services under
 * generated ministries, departments and agencies, each with a fee. Batched multi-row inserts,
 * one transaction per batch; every insert skips rows that exist, so re-running the same N and
 * seed adds nothing, a larger N extends a smaller run, and an interrupted run resumes.
 */
import assert from 'node:assert/strict';
import type { Transaction } from 'kysely';
import { catalogueUuid } from '../catalogue-ids.ts';
import type { CatalogueDeps } from '../catalogue-service.ts';
import type { CatalogueTables } from '../catalogue-tables.ts';
import {
  departmentsPerMinistry,
  ministriesPerSeed,
  syntheticAgency,
  syntheticDepartment,
  syntheticMinistry,
  syntheticService,
  type SyntheticAgency,
  type SyntheticService,
} from './generator-rules.ts';
import { insertFeesInTrx, insertServicesInTrx } from './generator-repo.ts';

export const generatedServicesMax = 1_000_000;
export const generatorSeedMax = 2_147_483_647;
/**
 * Services per INSERT and per transaction: ~17 parameters a row keeps a statement far below
 * PostgreSQL's 65,535; fixed, because resuming relies on batches having the same bounds.
 */
const generatorBatchSize = 1_000;
const feesEffectiveFrom = '2023-07-01';

export type GenerateOptions = Readonly<{
  services: number;
  seed: number;
  onProgress?: (servicesDone: number, servicesTotal: number) => void;
}>;

export type GenerateReport = Readonly<{
  servicesInserted: number;
  servicesExisting: number;
  agencies: number;
}>;

type GeneratorTransaction = Transaction<CatalogueTables>;
type GeneratedRow = Readonly<{ service: SyntheticService; agency: SyntheticAgency }>;

export async function generateCatalogue(
  deps: CatalogueDeps,
  options: GenerateOptions,
): Promise<GenerateReport> {
  const { services: total, seed } = options;
  assert.ok(Number.isInteger(total) && total >= 1 && total <= generatedServicesMax,
    `services must be 1..${generatedServicesMax}`);
  assert.ok(Number.isInteger(seed) && seed >= 0 && seed <= generatorSeedMax, 'seed is invalid');
  const db = deps.db.withTables<CatalogueTables>();
  await db.transaction().execute((trx) => insertMinistriesInTrx(trx, seed));
  let agency = syntheticAgency(seed, 0);
  let agencyFirstService = 0;
  let inserted = 0;
  for (let start = 0; start < total; start += generatorBatchSize) {
    const end = Math.min(total, start + generatorBatchSize);
    const agencies = new Map<number, SyntheticAgency>();
    const batch: GeneratedRow[] = [];
    for (let index = start; index < end; index += 1) {
      while (index >= agencyFirstService + agency.serviceCount) {
        agencyFirstService += agency.serviceCount;
        agency = syntheticAgency(seed, agency.index + 1);
      }
      agencies.set(agency.index, agency);
      batch.push({ service: syntheticService(seed, index, agency), agency });
    }
    inserted += await db.transaction().execute((trx) =>
      insertBatchInTrx(trx, seed, [...agencies.values()], batch));
    options.onProgress?.(end, total);
  }
  return {
    servicesInserted: inserted,
    servicesExisting: total - inserted,
    agencies: agency.index + 1,
  };
}

const id = (sourceId: string) => catalogueUuid(sourceId);

async function insertMinistriesInTrx(trx: GeneratorTransaction, seed: number): Promise<void> {
  const ministries = Array.from({ length: ministriesPerSeed },
    (_, index) => syntheticMinistry(seed, index));
  await trx.insertInto('ministry').values(ministries.map((ministry) => ({
    id: id(ministry.sourceId), source_id: ministry.sourceId, slug: ministry.slug,
    name_en: ministry.name.en, name_sw: ministry.name.sw, origin: 'synthetic' as const,
  }))).onConflict((conflict) => conflict.doNothing()).execute();
  const departments = ministries.flatMap((ministry) =>
    Array.from({ length: departmentsPerMinistry },
      (_, number) => syntheticDepartment(seed, ministry.index, number)));
  await trx.insertInto('department').values(departments.map((department) => ({
    id: id(department.sourceId), source_id: department.sourceId, slug: department.slug,
    ministry_id: id(syntheticMinistry(seed, department.ministryIndex).sourceId),
    name_en: department.name.en, name_sw: department.name.sw, origin: 'synthetic' as const,
  }))).onConflict((conflict) => conflict.doNothing()).execute();
}

/** Writes one batch unless its first and last services exist (batches commit whole). */
async function insertBatchInTrx(
  trx: GeneratorTransaction,
  seed: number,
  agencies: readonly SyntheticAgency[],
  batch: readonly GeneratedRow[],
): Promise<number> {
  const first = batch[0]?.service.sourceId ?? '';
  const edges = [...new Set([first, batch.at(-1)?.service.sourceId ?? first])];
  const present = await trx.selectFrom('service').select('source_id')
    .where('source_id', 'in', edges).execute();
  if (present.length === edges.length) return 0;
  await trx.insertInto('agency').values(agencies.map((agency) => ({
    id: id(agency.sourceId), source_id: agency.sourceId, slug: agency.slug,
    ministry_id: id(syntheticMinistry(seed, agency.ministryIndex).sourceId),
    department_id: id(syntheticDepartment(seed, agency.ministryIndex,
      agency.departmentIndex % departmentsPerMinistry).sourceId),
    name_en: agency.name.en, name_sw: agency.name.sw, origin: 'synthetic' as const,
  }))).onConflict((conflict) => conflict.doNothing()).execute();
  const written = await insertServicesInTrx(trx, batch.map(({ service, agency }) => ({
    id: id(service.sourceId), source_id: service.sourceId, slug: service.slug,
    agency_id: id(agency.sourceId),
    name_en: service.name.en, name_sw: service.name.sw,
    description_en: service.description.en, description_sw: service.description.sw,
    requirements_en: service.requirementsEn, requirements_sw: service.requirementsSw,
    onboarding_status: service.onboardingStatus, sla_days: service.slaDays,
    delivery_mode: service.deliveryMode, eligible_account_types: service.eligibleAccountTypes,
  })));
  await insertFeesInTrx(trx, batch.filter(({ service }) => written.has(service.sourceId))
    .map(({ service }) => ({
      id: id(`${service.sourceId}:fee:1`), service_id: id(service.sourceId),
      amount_minor: service.fee.amountMinor.toString(), currency: service.fee.currency,
      effective_from: feesEffectiveFrom,
    })));
  return written.size;
}
