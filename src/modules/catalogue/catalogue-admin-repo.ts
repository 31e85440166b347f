/**
 * Catalogue writes for onboarding (the agencies module's use cases call these inside their own
 * transaction, through the catalogue's index.ts): a new agency, a new or edited service, a
 * service going live, and a new fee schedule version. Also the staff reads onboarding needs,
 * which see sandbox services (the public reads in catalogue-repo.ts never do).
 * Ids reaching SQL are UUIDs already (callers check).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '#platform/db/index.ts';
import type { Currency } from '#platform/money/index.ts';
import type { CatalogueTables } from './catalogue-tables.ts';
import type {
  AccountType,
  CalendarDate,
  DeliveryMode,
  OnboardingStatus,
  Origin,
} from './catalogue-types.ts';

type AnyDb = Readonly<{ isTransaction: boolean }>;
const tablesOf = (db: AnyDb | Database): Kysely<CatalogueTables> =>
  db as unknown as Kysely<CatalogueTables>;

export type NewAgency = Readonly<{
  id: string;
  ministryId: string;
  departmentId: string | null;
  slug: string;
  nameEn: string;
  nameSw: string;
  now: Date;
}>;

/** Whether a ministry exists and, if a department is named, that it is the ministry's. */
export async function ministryAndDepartmentExist(db: AnyDb | Database, ministryId: string,
  departmentId: string | null): Promise<boolean> {
  const ministry = await tablesOf(db).selectFrom('ministry').select('id')
    .where('id', '=', ministryId).executeTakeFirst();
  if (ministry === undefined) return false;
  if (departmentId === null) return true;
  const department = await tablesOf(db).selectFrom('department').select('id')
    .where('id', '=', departmentId).where('ministry_id', '=', ministryId).executeTakeFirst();
  return department !== undefined;
}

/** Inserts an onboarded agency; false when its slug is taken. */
export async function insertAgencyInTrx(trx: AnyDb, agency: NewAgency): Promise<boolean> {
  const inserted = await tablesOf(trx).insertInto('agency').values({
    id: agency.id, source_id: null, ministry_id: agency.ministryId,
    department_id: agency.departmentId, slug: agency.slug, name_en: agency.nameEn,
    name_sw: agency.nameSw, description_en: null, description_sw: null, url: null,
    origin: 'onboarded', created_at: agency.now, updated_at: agency.now,
  }).onConflict((conflict) => conflict.column('slug').doNothing()).returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Whether a slug is used by an agency (slugs are unique across agencies). */
export async function agencySlugTaken(db: AnyDb | Database, slug: string): Promise<boolean> {
  return await tablesOf(db).selectFrom('agency').select('id').where('slug', '=', slug)
    .executeTakeFirst() !== undefined;
}

/** Whether a slug is used by a service. */
export async function serviceSlugTaken(db: AnyDb | Database, slug: string): Promise<boolean> {
  return await tablesOf(db).selectFrom('service').select('id').where('slug', '=', slug)
    .executeTakeFirst() !== undefined;
}

export type Choice = Readonly<{ id: string; name: string; ministryId?: string }>;

/** Ministries and departments by English name, for the new-agency form. */
export async function listMinistryChoices(db: Database, limit: number): Promise<{
  ministries: Choice[]; departments: Choice[];
}> {
  const ministries = await tablesOf(db).selectFrom('ministry').select(['id', 'name_en'])
    .orderBy('name_en').orderBy('id').limit(limit).execute();
  const departments = await tablesOf(db).selectFrom('department')
    .select(['id', 'name_en', 'ministry_id']).orderBy('name_en').orderBy('id').limit(limit)
    .execute();
  return {
    ministries: ministries.map((row) => ({ id: row.id, name: row.name_en })),
    departments: departments.map((row) => ({ id: row.id, name: row.name_en,
      ministryId: row.ministry_id })),
  };
}

/** What staff edit on a service. */
export type ServiceDetails = Readonly<{
  nameEn: string;
  nameSw: string;
  descriptionEn: string;
  descriptionSw: string;
  requirementsEn: readonly string[];
  requirementsSw: readonly string[];
  slaDays: number;
  deliveryMode: DeliveryMode;
  eligibleAccountTypes: readonly AccountType[];
  /** The application form (applications' FormDefinition, checked); null: none. */
  formSchema: unknown;
}>;

/** A service as staff manage it, sandbox included. */
export type StaffService = ServiceDetails & Readonly<{
  id: string;
  agencyId: string;
  slug: string;
  onboardingStatus: OnboardingStatus;
  origin: Origin;
}>;

const serviceColumns = [
  'id', 'agency_id', 'slug', 'name_en', 'name_sw', 'description_en', 'description_sw',
  'requirements_en', 'requirements_sw', 'sla_days', 'delivery_mode', 'eligible_account_types',
  'form_schema', 'onboarding_status', 'origin',
] as const;

type ServiceRow = Readonly<{
  id: string; agency_id: string; slug: string; name_en: string; name_sw: string | null;
  description_en: string | null; description_sw: string | null; requirements_en: string[];
  requirements_sw: string[]; sla_days: number | null; delivery_mode: DeliveryMode;
  eligible_account_types: AccountType[]; form_schema: unknown;
  onboarding_status: OnboardingStatus; origin: Origin;
}>;

function toStaffService(row: ServiceRow): StaffService {
  return {
    id: row.id, agencyId: row.agency_id, slug: row.slug, nameEn: row.name_en,
    nameSw: row.name_sw ?? '', descriptionEn: row.description_en ?? '',
    descriptionSw: row.description_sw ?? '', requirementsEn: row.requirements_en,
    requirementsSw: row.requirements_sw, slaDays: row.sla_days ?? 0,
    deliveryMode: row.delivery_mode, eligibleAccountTypes: row.eligible_account_types,
    formSchema: row.form_schema, onboardingStatus: row.onboarding_status, origin: row.origin,
  };
}

/** An agency's service (any status), or undefined when the agency has no such service. */
export async function findStaffService(db: AnyDb | Database, agencyId: string,
  serviceId: string): Promise<StaffService | undefined> {
  const row = await tablesOf(db).selectFrom('service').select(serviceColumns)
    .where('id', '=', serviceId).where('agency_id', '=', agencyId).executeTakeFirst();
  return row === undefined ? undefined : toStaffService(row);
}

/** Locks the service row until the transaction ends, then reads it in a new statement. */
export async function lockStaffServiceInTrx(trx: AnyDb, agencyId: string, serviceId: string):
Promise<StaffService | undefined> {
  const locked = await tablesOf(trx).selectFrom('service').select('id')
    .where('id', '=', serviceId).where('agency_id', '=', agencyId).forUpdate()
    .executeTakeFirst();
  return locked === undefined ? undefined : findStaffService(trx, agencyId, serviceId);
}

/** An agency's services (every status) by English name, at most `limit`. */
export async function listStaffServices(db: Database, agencyId: string, limit: number):
Promise<StaffService[]> {
  const rows = await tablesOf(db).selectFrom('service').select(serviceColumns)
    .where('agency_id', '=', agencyId).orderBy('name_en').orderBy('id').limit(limit).execute();
  return rows.map(toStaffService);
}

const detailColumns = (details: ServiceDetails) => ({
  name_en: details.nameEn, name_sw: details.nameSw, description_en: details.descriptionEn,
  description_sw: details.descriptionSw, requirements_en: [...details.requirementsEn],
  requirements_sw: [...details.requirementsSw], sla_days: details.slaDays,
  delivery_mode: details.deliveryMode,
  eligible_account_types: [...details.eligibleAccountTypes],
  form_schema: details.formSchema === null ? null : JSON.stringify(details.formSchema),
});

/** Inserts a sandbox service of an agency; false when the slug is taken. */
export async function insertServiceInTrx(trx: AnyDb, service: Readonly<{ id: string;
  agencyId: string; slug: string; details: ServiceDetails; now: Date }>): Promise<boolean> {
  const inserted = await tablesOf(trx).insertInto('service').values({
    id: service.id, source_id: null, agency_id: service.agencyId, slug: service.slug,
    ...detailColumns(service.details), service_url: null, onboarding_status: 'sandbox',
    origin: 'onboarded', created_at: service.now, updated_at: service.now,
  }).onConflict((conflict) => conflict.column('slug').doNothing()).returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function updateServiceInTrx(trx: AnyDb, serviceId: string,
  details: ServiceDetails, now: Date): Promise<void> {
  await tablesOf(trx).updateTable('service')
    .set({ ...detailColumns(details), updated_at: now })
    .where('id', '=', serviceId).execute();
}

export async function setServiceStatusInTrx(trx: AnyDb, serviceId: string,
  status: OnboardingStatus, now: Date): Promise<void> {
  await tablesOf(trx).updateTable('service').set({ onboarding_status: status, updated_at: now })
    .where('id', '=', serviceId).execute();
}

/** A fee version as staff see it (dates as 'YYYY-MM-DD'). */
export type StaffFeeVersion = Readonly<{
  id: string;
  version: number;
  amountMinor: bigint;
  currency: Currency;
  effectiveFrom: CalendarDate;
  effectiveTo: CalendarDate | null;
  gazetteReference: string | null;
}>;

const fromText = sql<string>`to_char(effective_from, 'YYYY-MM-DD')`;
const toText = sql<string | null>`to_char(effective_to, 'YYYY-MM-DD')`;

/** A service's fee versions, newest first. */
export async function listFeeVersions(db: AnyDb | Database, serviceId: string):
Promise<StaffFeeVersion[]> {
  const rows = await tablesOf(db).selectFrom('fee_schedule_version')
    .select(['id', 'version', 'amount_minor', 'currency', 'gazette_reference',
      fromText.as('from_text'), toText.as('to_text')])
    .where('service_id', '=', serviceId).orderBy('version', 'desc').execute();
  return rows.map((row) => ({ id: row.id, version: row.version, amountMinor: row.amount_minor,
    currency: row.currency, effectiveFrom: row.from_text, effectiveTo: row.to_text,
    gazetteReference: row.gazette_reference }));
}

export type NewFeeVersion = Readonly<{
  id: string;
  serviceId: string;
  amountMinor: bigint;
  currency: Currency;
  effectiveFrom: CalendarDate;
  gazetteReference: string;
  now: Date;
}>;

/**
 * Writes the next fee version of a service (the caller holds the service's row lock, so
 * version numbers cannot race). The version in force on the new date (started before it) ends
 * on that date; the new one runs until the next later-starting version, if one is scheduled.
 * One starting on the same date stays as it was: the higher version wins a tie (fee-repo.ts).
 */
export async function writeFeeVersionInTrx(trx: AnyDb, fee: NewFeeVersion):
Promise<StaffFeeVersion> {
  const versions = await listFeeVersions(trx, fee.serviceId);
  const version = (versions[0]?.version ?? 0) + 1;
  const later = versions.filter((v) => v.effectiveFrom > fee.effectiveFrom)
    .map((v) => v.effectiveFrom).sort()[0] ?? null;
  const db = tablesOf(trx);
  await db.updateTable('fee_schedule_version').set({ effective_to: fee.effectiveFrom })
    .where('service_id', '=', fee.serviceId)
    .where(sql<boolean>`effective_from < ${fee.effectiveFrom}::date`)
    .where(sql<boolean>`(effective_to is null or effective_to > ${fee.effectiveFrom}::date)`)
    .execute();
  await db.insertInto('fee_schedule_version').values({
    id: fee.id, service_id: fee.serviceId, version, amount_minor: fee.amountMinor,
    currency: fee.currency, effective_from: fee.effectiveFrom, effective_to: later,
    gazette_reference: fee.gazetteReference, created_at: fee.now,
  }).execute();
  return { id: fee.id, version, amountMinor: fee.amountMinor, currency: fee.currency,
    effectiveFrom: fee.effectiveFrom, effectiveTo: later, gazetteReference: fee.gazetteReference };
}

/** Whether a service has a fee in force on a date (a fee of 0: a free service). */
export async function hasFeeInForceInTrx(trx: AnyDb | Database, serviceId: string,
  date: CalendarDate): Promise<boolean> {
  const row = await tablesOf(trx).selectFrom('fee_schedule_version').select('id')
    .where('service_id', '=', serviceId)
    .where(sql<boolean>`effective_from <= ${date}::date`)
    .where(sql<boolean>`(effective_to is null or effective_to > ${date}::date)`)
    .executeTakeFirst();
  return row !== undefined;
}
