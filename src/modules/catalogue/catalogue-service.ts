/**
 * Catalogue use cases (reads): ministries, agencies, services, and what a service costs.
 * Every function takes the deps first. Absence is an expected outcome: `find*` returns
 * undefined, and quoting returns a Failure with a stable code (docs/errors.md).
 */
import assert from 'node:assert/strict';
import type { Database } from '#platform/db/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import { add, type Money } from '#platform/money/index.ts';
import {
  accessFeeFromTiers,
  kenyanDate,
  scheduleInForce,
  type AccessFeeSchedule,
} from './access-fee-rules.ts';
import type { CatalogueErrorCode } from './catalogue-errors.ts';
import * as repo from './catalogue-repo.ts';
import type { CatalogueTables } from './catalogue-tables.ts';
import type {
  AccessFeeScheduleRef,
  Agency,
  AgencySummary,
  FeeVersion,
  Ministry,
  MinistrySummary,
  Page,
  PageRequest,
  Service,
  ServiceQuote,
  ServiceSummary,
} from './catalogue-types.ts';
import { findFeeInForce, listAccessFeeSchedules } from './fee-repo.ts';

/** All the catalogue's reads need: the database. ModuleDeps satisfies it. */
export type CatalogueDeps = Readonly<{ db: Database }>;

/** Rows per page at most, for every paginated read (pages and the JSON API). */
export const cataloguePageSizeMax = 100;
/** Pages at most: deeper offsets cost the database more than any reader needs; search instead. */
export const cataloguePageMax = 1_000;

function catalogueDb(deps: CatalogueDeps): repo.CatalogueDb {
  return deps.db.withTables<CatalogueTables>();
}

function assertPageRequest(request: PageRequest): void {
  assert.ok(Number.isInteger(request.page) && request.page >= 1 &&
    request.page <= cataloguePageMax, `page ${request.page} is out of range`);
  assert.ok(Number.isInteger(request.pageSize) && request.pageSize >= 1 &&
    request.pageSize <= cataloguePageSizeMax, `page size ${request.pageSize} is out of range`);
}

type CachedMinistries = { version: bigint; ministries: readonly MinistrySummary[] };
const ministriesCache = new WeakMap<Database, CachedMinistries>();

/**
 * Every ministry, by English name, with how many agencies and services it has. Counting a
 * large catalogue takes a scan, so the answer is kept until the catalogue's change counter
 * moves: one cheap query per call otherwise.
 */
export async function listMinistries(deps: CatalogueDeps): Promise<readonly MinistrySummary[]> {
  const db = catalogueDb(deps);
  const version = await repo.readCatalogueVersion(db);
  const cached = ministriesCache.get(deps.db);
  if (cached !== undefined && cached.version === version) return cached.ministries;
  const ministries = await repo.listMinistries(db);
  ministriesCache.set(deps.db, { version, ministries });
  return ministries;
}

export function findMinistryBySlug(
  deps: CatalogueDeps,
  slug: string,
): Promise<Ministry | undefined> {
  return repo.findMinistryBySlug(catalogueDb(deps), slug);
}

/** Agencies by English name, all of them or those of one ministry. */
export async function listAgencies(
  deps: CatalogueDeps,
  filter: Readonly<{ ministryId?: string }>,
  request: PageRequest,
): Promise<Page<AgencySummary>> {
  assertPageRequest(request);
  if (filter.ministryId !== undefined && !isUuid(filter.ministryId)) {
    return { items: [], total: 0, page: request.page, pageSize: request.pageSize };
  }
  return repo.listAgencies(catalogueDb(deps), filter, request);
}

export function findAgencyBySlug(deps: CatalogueDeps, slug: string): Promise<Agency | undefined> {
  return repo.findAgency(catalogueDb(deps), { slug });
}

export async function findAgencyById(
  deps: CatalogueDeps,
  id: string,
): Promise<Agency | undefined> {
  return isUuid(id) ? repo.findAgency(catalogueDb(deps), { id }) : undefined;
}

/** By id when the text is a UUID, else by slug (for addresses that accept either). */
export async function findAgencyByIdOrSlug(
  deps: CatalogueDeps,
  idOrSlug: string,
): Promise<Agency | undefined> {
  return isUuid(idOrSlug)
    ? repo.findAgency(catalogueDb(deps), { id: idOrSlug })
    : repo.findAgency(catalogueDb(deps), { slug: idOrSlug });
}

/** An agency's services by English name. An unknown agency has none. */
export async function listServicesOfAgency(
  deps: CatalogueDeps,
  agencyId: string,
  request: PageRequest,
): Promise<Page<ServiceSummary>> {
  assertPageRequest(request);
  if (!isUuid(agencyId)) {
    return { items: [], total: 0, page: request.page, pageSize: request.pageSize };
  }
  return repo.listServicesOfAgency(catalogueDb(deps), agencyId, request);
}

export function findServiceBySlug(
  deps: CatalogueDeps,
  slug: string,
): Promise<Service | undefined> {
  return repo.findService(catalogueDb(deps), { slug });
}

export async function findServiceById(
  deps: CatalogueDeps,
  id: string,
): Promise<Service | undefined> {
  return isUuid(id) ? repo.findService(catalogueDb(deps), { id }) : undefined;
}

/** By id when the text is a UUID, else by slug. */
export async function findServiceByIdOrSlug(
  deps: CatalogueDeps,
  idOrSlug: string,
): Promise<Service | undefined> {
  return isUuid(idOrSlug)
    ? repo.findService(catalogueDb(deps), { id: idOrSlug })
    : repo.findService(catalogueDb(deps), { slug: idOrSlug });
}

/** The version of the service's fee in force at an instant (Kenyan calendar date), if any. */
export async function feeInForce(
  deps: CatalogueDeps,
  serviceId: string,
  at: Date,
): Promise<FeeVersion | undefined> {
  if (!isUuid(serviceId)) return undefined;
  return findFeeInForce(catalogueDb(deps), serviceId, kenyanDate(at));
}

/**
 * The gazetted schedules change a few times a decade, by migration; reading them once per
 * few minutes per database keeps quoting to one query without serving stale tiers for long.
 */
const accessFeeCacheTtlMs = 5 * 60 * 1000;
type CachedSchedules = { loadedAtMs: number; schedules: AccessFeeSchedule[] };
const accessFeeCache = new WeakMap<Database, CachedSchedules>();

async function accessFeeSchedules(deps: CatalogueDeps): Promise<AccessFeeSchedule[]> {
  const cached = accessFeeCache.get(deps.db);
  const nowMs = performance.now();
  if (cached !== undefined && nowMs - cached.loadedAtMs < accessFeeCacheTtlMs) {
    return cached.schedules;
  }
  const schedules = await listAccessFeeSchedules(catalogueDb(deps));
  accessFeeCache.set(deps.db, { loadedAtMs: nowMs, schedules });
  return schedules;
}

/** Forgets the cached access-fee tiers (after a new schedule is inserted). */
export function forgetAccessFeeSchedules(deps: CatalogueDeps): void {
  accessFeeCache.delete(deps.db);
}

/**
 * The access fee on a service fee at an instant, from the gazetted tiers in force then.
 * @returns err CATALOGUE_ACCESS_FEE_NOT_IN_FORCE when no schedule is in force on that date or
 *   none of its tiers prices that currency.
 */
export async function accessFeeFor(
  deps: CatalogueDeps,
  serviceFee: Money,
  at: Date,
): Promise<Result<Money, Failure<'CATALOGUE_ACCESS_FEE_NOT_IN_FORCE'>>> {
  const priced = await accessFeeWithSchedule(deps, serviceFee, at);
  return priced.ok ? ok(priced.value.fee) : priced;
}

/** accessFeeFor, with the schedule that priced it (invoices record it). */
async function accessFeeWithSchedule(
  deps: CatalogueDeps,
  serviceFee: Money,
  at: Date,
): Promise<Result<{ fee: Money; schedule: AccessFeeScheduleRef },
  Failure<'CATALOGUE_ACCESS_FEE_NOT_IN_FORCE'>>> {
  const date = kenyanDate(at);
  const schedule = scheduleInForce(await accessFeeSchedules(deps), date);
  const fee = schedule === undefined ? undefined : accessFeeFromTiers(schedule.tiers, serviceFee);
  if (schedule === undefined || fee === undefined) {
    return err(failure('CATALOGUE_ACCESS_FEE_NOT_IN_FORCE',
      `no access fee tier for ${serviceFee.currency} on ${date}`));
  }
  return ok({ fee, schedule: { id: schedule.id, version: schedule.version,
    gazetteReference: schedule.gazetteReference } });
}

export type QuoteFailureCode = Extract<CatalogueErrorCode,
  'CATALOGUE_SERVICE_NOT_FOUND' | 'CATALOGUE_FEE_NOT_IN_FORCE' |
  'CATALOGUE_ACCESS_FEE_NOT_IN_FORCE'>;

/**
 * What a person pays for a service at an instant: service fee + access fee.
 * @returns err CATALOGUE_SERVICE_NOT_FOUND, CATALOGUE_FEE_NOT_IN_FORCE (the service has no fee
 *   on that date, e.g. an imported service) or CATALOGUE_ACCESS_FEE_NOT_IN_FORCE.
 */
export async function quoteService(
  deps: CatalogueDeps,
  serviceId: string,
  at: Date,
): Promise<Result<ServiceQuote, Failure<QuoteFailureCode>>> {
  const feeVersion = await feeInForce(deps, serviceId, at);
  if (feeVersion === undefined) {
    const service = await findServiceById(deps, serviceId);
    return err(service === undefined
      ? failure('CATALOGUE_SERVICE_NOT_FOUND', `no service ${serviceId}`)
      : failure('CATALOGUE_FEE_NOT_IN_FORCE', `no fee for ${serviceId} on ${kenyanDate(at)}`));
  }
  const accessFee = await accessFeeWithSchedule(deps, feeVersion.fee, at);
  if (!accessFee.ok) return accessFee;
  return ok({
    serviceFee: feeVersion.fee,
    accessFee: accessFee.value.fee,
    total: add(feeVersion.fee, accessFee.value.fee),
    feeVersion,
    accessFeeSchedule: accessFee.value.schedule,
  });
}

/** Whether any catalogue row came from the eCitizen dataset (pages then credit the source). */
export function hasImportedCatalogue(deps: CatalogueDeps): Promise<boolean> {
  return repo.hasImportedRows(catalogueDb(deps));
}
