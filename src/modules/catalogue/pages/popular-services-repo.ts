/**
 * The services the home page features: those people used most in the last 30 days (applications
 * submitted, fee-only bills issued, counted per day in service_demand), then, to fill the list
 * while there is little or no demand yet, the services that are live on Huduma, demo ones first
 * (they are the ones that can be tried).
 */
import { randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '#platform/db/index.ts';
import { kenyanDate } from '../access-fee-rules.ts';
import type { CatalogueTables } from '../catalogue-tables.ts';
import type { CatalogueReference } from '../catalogue-types.ts';

export type PopularService = CatalogueReference & Readonly<{ agency: CatalogueReference }>;

/** Enough for a phone screen; the rest is one search away. */
export const popularServicesMax = 8;
/** "Popular" is what people used lately, not what they used years ago. */
export const popularityWindowDays = 30;

const dayMs = 24 * 60 * 60 * 1000;
/** Counters per service and day (migration 202612041300); their sum is the day's count. */
export const demandShards = 64;

/**
 * Counts one use of a service on the Kenyan calendar day of `at`, in the caller's transaction
 * (an application submitted, a fee-only invoice issued). An upsert into one of the day's
 * counters: concurrent uses of one service on one day add up, none is lost.
 */
export async function recordServiceDemandInTrx(
  // Any module's transaction: the table is written through the catalogue's own types.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  trx: Kysely<any>,
  serviceId: string,
  at: Date,
): Promise<void> {
  const db = trx as Kysely<CatalogueTables>;
  // One of the day's 64 counters, at random: concurrent uses rarely wait on one row's lock.
  await db.insertInto('service_demand')
    .values({ service_id: serviceId, day: kenyanDate(at), count: 1,
      shard: randomInt(demandShards) })
    .onConflict((conflict) => conflict.columns(['service_id', 'day', 'shard'])
      .doUpdateSet({ count: sql<number>`service_demand.count + 1` }))
    .execute();
}

type Row = Readonly<{
  id: string; slug: string; name_en: string; name_sw: string | null;
  agency_id: string; agency_slug: string; agency_name_en: string; agency_name_sw: string | null;
}>;

function popularServiceOf(row: Row): PopularService {
  return {
    id: row.id,
    slug: row.slug,
    nameEn: row.name_en,
    nameSw: row.name_sw,
    agency: {
      id: row.agency_id,
      slug: row.agency_slug,
      nameEn: row.agency_name_en,
      nameSw: row.agency_name_sw,
    },
  };
}

const columns = [
  'service.id', 'service.slug', 'service.name_en', 'service.name_sw',
  'agency.id as agency_id', 'agency.slug as agency_slug',
  'agency.name_en as agency_name_en', 'agency.name_sw as agency_name_sw',
] as const;

/** The most used services of the window, most used first (ties: by name, then id). */
async function listMostUsed(
  db: Kysely<CatalogueTables>,
  now: Date,
  limit: number,
): Promise<Row[]> {
  const since = kenyanDate(new Date(now.getTime() - (popularityWindowDays - 1) * dayMs));
  const demand = db.selectFrom('service_demand')
    .select(['service_id', (eb) => eb.fn.sum<string>('count').as('uses')])
    .where('day', '>=', sql<Date>`cast(${since} as date)`)
    .where('day', '<=', sql<Date>`cast(${kenyanDate(now)} as date)`)
    .groupBy('service_id');
  return db.selectFrom(demand.as('demand'))
    .innerJoin('service', 'service.id', 'demand.service_id')
    .innerJoin('agency', 'agency.id', 'service.agency_id')
    .select(columns)
    .orderBy(sql`demand.uses`, 'desc').orderBy('service.name_en').orderBy('service.id')
    .limit(limit)
    .execute();
}

/** Live and demo services, demo first, by name: the list before anyone has used anything. */
async function listFallback(
  db: Kysely<CatalogueTables>,
  exclude: readonly string[],
  limit: number,
): Promise<Row[]> {
  let query = db.selectFrom('service')
    .innerJoin('agency', 'agency.id', 'service.agency_id')
    .where((eb) => eb.or([
      eb('service.origin', '=', 'demo'),
      eb('service.onboarding_status', '=', 'live'),
    ]));
  if (exclude.length > 0) query = query.where('service.id', 'not in', exclude);
  return query.select(columns)
    .orderBy((eb) => eb.case().when('service.origin', '=', 'demo').then(0).else(1).end())
    .orderBy('service.name_en').orderBy('service.id')
    .limit(limit)
    .execute();
}

export async function listPopularServices(
  db: Database,
  limit: number = popularServicesMax,
  now: Date = new Date(),
): Promise<PopularService[]> {
  const catalogue = db.withTables<CatalogueTables>();
  const used = await listMostUsed(catalogue, now, limit);
  const rest = used.length >= limit ? []
    : await listFallback(catalogue, used.map((row) => row.id), limit - used.length);
  return [...used, ...rest].map(popularServiceOf);
}
