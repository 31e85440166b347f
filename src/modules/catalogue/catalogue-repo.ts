/**
 * Catalogue reads (SQL). Rows come back as the plain objects of catalogue-types.ts.
 * Callers pass ids that are already known to be UUIDs (the service layer checks), because
 * PostgreSQL rejects a malformed uuid literal with an error rather than finding nothing.
 */
import { sql, type Kysely } from 'kysely';
import type { CatalogueTables } from './catalogue-tables.ts';
import type {
  Agency,
  AgencySummary,
  CatalogueReference,
  Ministry,
  MinistrySummary,
  Page,
  PageRequest,
  Service,
  ServiceSummary,
} from './catalogue-types.ts';

export type CatalogueDb = Kysely<CatalogueTables>;

type ReferenceRow = Readonly<{ id: string; slug: string; name_en: string; name_sw: string | null }>;

function toReference(row: ReferenceRow): CatalogueReference {
  return { id: row.id, slug: row.slug, nameEn: row.name_en, nameSw: row.name_sw };
}

function optionalReference(
  id: string | null,
  slug: string | null,
  nameEn: string | null,
  nameSw: string | null,
): CatalogueReference | null {
  if (id === null || slug === null || nameEn === null) return null;
  return { id, slug, nameEn, nameSw };
}

const countAsNumber = (value: bigint | number | string): number => Number(value);

// ---- ministries ----------------------------------------------------------------------------

function selectMinistries(db: CatalogueDb) {
  return db.selectFrom('ministry').select([
    'ministry.id', 'ministry.slug', 'ministry.name_en', 'ministry.name_sw',
    'ministry.description_en', 'ministry.description_sw', 'ministry.url', 'ministry.origin',
  ]);
}

type MinistryRow = ReferenceRow & Readonly<{
  description_en: string | null;
  description_sw: string | null;
  url: string | null;
  origin: Ministry['origin'];
}>;

function toMinistry(row: MinistryRow): Ministry {
  return {
    ...toReference(row),
    descriptionEn: row.description_en,
    descriptionSw: row.description_sw,
    url: row.url,
    origin: row.origin,
  };
}

/**
 * Every ministry with its counts. The counts are two grouped scans rather than a correlated
 * subquery per row, whose inflated cost estimate made PostgreSQL JIT-compile a small query.
 */
export async function listMinistries(db: CatalogueDb): Promise<MinistrySummary[]> {
  const rows = await selectMinistries(db)
    .orderBy('ministry.name_en').orderBy('ministry.id')
    .execute();
  const agencies = await db.selectFrom('agency')
    .select(['agency.ministry_id', (eb) => eb.fn.countAll<bigint>().as('n')])
    .groupBy('agency.ministry_id').execute();
  const services = await db.selectFrom('service')
    .innerJoin('agency', 'agency.id', 'service.agency_id')
    .select(['agency.ministry_id', (eb) => eb.fn.countAll<bigint>().as('n')])
    .groupBy('agency.ministry_id').execute();
  const agencyCounts = new Map(agencies.map((row) => [row.ministry_id, countAsNumber(row.n)]));
  const serviceCounts = new Map(services.map((row) => [row.ministry_id, countAsNumber(row.n)]));
  return rows.map((row) => ({
    ...toMinistry(row),
    agencyCount: agencyCounts.get(row.id) ?? 0,
    serviceCount: serviceCounts.get(row.id) ?? 0,
  }));
}

export async function findMinistryBySlug(
  db: CatalogueDb,
  slug: string,
): Promise<Ministry | undefined> {
  const row = await selectMinistries(db).where('ministry.slug', '=', slug).executeTakeFirst();
  return row === undefined ? undefined : toMinistry(row);
}

// ---- agencies ------------------------------------------------------------------------------

function selectAgencies(db: CatalogueDb) {
  return db.selectFrom('agency')
    .innerJoin('ministry', 'ministry.id', 'agency.ministry_id')
    .leftJoin('department', 'department.id', 'agency.department_id')
    .select([
      'agency.id', 'agency.slug', 'agency.name_en', 'agency.name_sw', 'agency.description_en',
      'agency.description_sw', 'agency.url', 'agency.origin',
      'ministry.id as ministry_id', 'ministry.slug as ministry_slug',
      'ministry.name_en as ministry_name_en', 'ministry.name_sw as ministry_name_sw',
      'department.id as department_id', 'department.slug as department_slug',
      'department.name_en as department_name_en', 'department.name_sw as department_name_sw',
    ]);
}

type AgencyRow = MinistryRow & Readonly<{
  ministry_id: string;
  ministry_slug: string;
  ministry_name_en: string;
  ministry_name_sw: string | null;
  department_id: string | null;
  department_slug: string | null;
  department_name_en: string | null;
  department_name_sw: string | null;
}>;

function toAgency(row: AgencyRow): Agency {
  return {
    ...toMinistry(row),
    ministry: {
      id: row.ministry_id,
      slug: row.ministry_slug,
      nameEn: row.ministry_name_en,
      nameSw: row.ministry_name_sw,
    },
    department: optionalReference(
      row.department_id, row.department_slug, row.department_name_en, row.department_name_sw),
  };
}

export async function findAgency(
  db: CatalogueDb,
  key: Readonly<{ id: string } | { slug: string }>,
): Promise<Agency | undefined> {
  const query = 'id' in key
    ? selectAgencies(db).where('agency.id', '=', key.id)
    : selectAgencies(db).where('agency.slug', '=', key.slug);
  const row = await query.executeTakeFirst();
  return row === undefined ? undefined : toAgency(row);
}

export async function listAgencies(
  db: CatalogueDb,
  filter: Readonly<{ ministryId?: string }>,
  request: PageRequest,
): Promise<Page<AgencySummary>> {
  const ministryId = filter.ministryId;
  const counted = ministryId === undefined
    ? db.selectFrom('agency')
    : db.selectFrom('agency').where('agency.ministry_id', '=', ministryId);
  const total = await counted.select((eb) => eb.fn.countAll<bigint>().as('n'))
    .executeTakeFirstOrThrow();
  const base = ministryId === undefined
    ? selectAgencies(db)
    : selectAgencies(db).where('agency.ministry_id', '=', ministryId);
  const rows = await base
    .orderBy('agency.name_en').orderBy('agency.id')
    .limit(request.pageSize).offset((request.page - 1) * request.pageSize)
    .execute();
  // Counted for this page's agencies only, after the page is chosen.
  const counts = rows.length === 0 ? [] : await db.selectFrom('service')
    .select(['service.agency_id', (eb) => eb.fn.countAll<bigint>().as('n')])
    .where('service.agency_id', 'in', rows.map((row) => row.id))
    .groupBy('service.agency_id').execute();
  const serviceCounts = new Map(counts.map((row) => [row.agency_id, countAsNumber(row.n)]));
  return {
    items: rows.map((row) => ({ ...toAgency(row), serviceCount: serviceCounts.get(row.id) ?? 0 })),
    total: countAsNumber(total.n),
    page: request.page,
    pageSize: request.pageSize,
  };
}

// ---- services ------------------------------------------------------------------------------

const serviceSummaryColumns = [
  'service.id', 'service.slug', 'service.name_en', 'service.name_sw', 'service.description_en',
  'service.description_sw', 'service.onboarding_status', 'service.origin',
] as const;

type ServiceSummaryRow = MinistryRow & Readonly<{
  onboarding_status: Service['onboardingStatus'];
}>;

function toServiceSummary(row: Omit<ServiceSummaryRow, 'url'>): ServiceSummary {
  return {
    ...toReference(row),
    descriptionEn: row.description_en,
    descriptionSw: row.description_sw,
    onboardingStatus: row.onboarding_status,
    origin: row.origin,
  };
}

/** A sandbox service (docs/decisions/0008) is not the public's until it goes live. */
const notSandbox = sql<boolean>`service.onboarding_status <> 'sandbox'`;

export async function listServicesOfAgency(
  db: CatalogueDb,
  agencyId: string,
  request: PageRequest,
): Promise<Page<ServiceSummary>> {
  const total = await db.selectFrom('service').where('service.agency_id', '=', agencyId)
    .where(notSandbox)
    .select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow();
  const rows = await db.selectFrom('service').where('service.agency_id', '=', agencyId)
    .where(notSandbox)
    .select(serviceSummaryColumns)
    .orderBy('service.name_en').orderBy('service.id')
    .limit(request.pageSize).offset((request.page - 1) * request.pageSize)
    .execute();
  return {
    items: rows.map(toServiceSummary),
    total: countAsNumber(total.n),
    page: request.page,
    pageSize: request.pageSize,
  };
}

function selectServices(db: CatalogueDb) {
  return db.selectFrom('service')
    .innerJoin('agency', 'agency.id', 'service.agency_id')
    .innerJoin('ministry', 'ministry.id', 'agency.ministry_id')
    .leftJoin('department', 'department.id', 'agency.department_id')
    .where(notSandbox)
    .select(serviceSummaryColumns)
    .select([
      'service.requirements_en', 'service.requirements_sw', 'service.service_url',
      'service.sla_days', 'service.delivery_mode', 'service.eligible_account_types',
      'service.next_step_en', 'service.next_step_sw',
      (eb) => eb('service.form_schema', 'is not', null).as('has_application_form'),
      'agency.id as agency_id', 'agency.slug as agency_slug',
      'agency.name_en as agency_name_en', 'agency.name_sw as agency_name_sw',
      'ministry.id as ministry_id', 'ministry.slug as ministry_slug',
      'ministry.name_en as ministry_name_en', 'ministry.name_sw as ministry_name_sw',
      'department.id as department_id', 'department.slug as department_slug',
      'department.name_en as department_name_en', 'department.name_sw as department_name_sw',
    ]);
}

export async function findService(
  db: CatalogueDb,
  key: Readonly<{ id: string } | { slug: string }>,
): Promise<Service | undefined> {
  const query = 'id' in key
    ? selectServices(db).where('service.id', '=', key.id)
    : selectServices(db).where('service.slug', '=', key.slug);
  const row = await query.executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    ...toServiceSummary(row),
    requirementsEn: row.requirements_en,
    requirementsSw: row.requirements_sw,
    serviceUrl: row.service_url,
    slaDays: row.sla_days,
    deliveryMode: row.delivery_mode,
    eligibleAccountTypes: row.eligible_account_types,
    agency: {
      id: row.agency_id,
      slug: row.agency_slug,
      nameEn: row.agency_name_en,
      nameSw: row.agency_name_sw,
    },
    ministry: {
      id: row.ministry_id,
      slug: row.ministry_slug,
      nameEn: row.ministry_name_en,
      nameSw: row.ministry_name_sw,
    },
    department: optionalReference(
      row.department_id, row.department_slug, row.department_name_en, row.department_name_sw),
    hasApplicationForm: row.has_application_form === true,
    nextStepEn: row.next_step_en,
    nextStepSw: row.next_step_sw,
  };
}

/**
 * The catalogue's change counter (table catalogue_version, bumped by a trigger on every
 * statement that changes a ministry, agency or service): equal numbers, unchanged catalogue.
 */
export async function readCatalogueVersion(db: CatalogueDb): Promise<bigint> {
  const result = await sql<{ version: bigint }>`select version from catalogue_version`.execute(db);
  return result.rows[0]?.version ?? 0n;
}

/** Whether any row came from the eCitizen dataset, so pages know to credit it. */
export async function hasImportedRows(db: CatalogueDb): Promise<boolean> {
  const result = await sql<{ found: boolean }>`
    select exists (select 1 from ministry where origin = 'ecitizen') as found`.execute(db);
  return result.rows[0]?.found === true;
}
