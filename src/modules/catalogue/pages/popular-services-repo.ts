/**
 * The services the home page features. Until applications are counted, "popular" means the
 * services that are live on Huduma, demo ones first (they are the ones that can be tried).
 */
import type { Database } from '#platform/db/index.ts';
import type { CatalogueTables } from '../catalogue-tables.ts';
import type { CatalogueReference } from '../catalogue-types.ts';

export type PopularService = CatalogueReference & Readonly<{ agency: CatalogueReference }>;

/** Enough for a phone screen; the rest is one search away. */
export const popularServicesMax = 8;

export async function listPopularServices(
  db: Database,
  limit: number = popularServicesMax,
): Promise<PopularService[]> {
  const rows = await db.withTables<CatalogueTables>().selectFrom('service')
    .innerJoin('agency', 'agency.id', 'service.agency_id')
    .where((eb) => eb.or([
      eb('service.origin', '=', 'demo'),
      eb('service.onboarding_status', '=', 'live'),
    ]))
    .select([
      'service.id', 'service.slug', 'service.name_en', 'service.name_sw',
      'agency.id as agency_id', 'agency.slug as agency_slug',
      'agency.name_en as agency_name_en', 'agency.name_sw as agency_name_sw',
    ])
    .orderBy((eb) => eb.case().when('service.origin', '=', 'demo').then(0).else(1).end())
    .orderBy('service.name_en').orderBy('service.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
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
  }));
}
