/** The SQL search needs: the catalogue version, and the catalogue read in pages. */
import type { Kysely } from 'kysely';
import type { AgencyRow, MinistryRow, ServiceRow } from './search-index.ts';
import type { SearchTables } from './search-tables.ts';

type SearchDatabase = Kysely<SearchTables>;

/** The counter bumped by every change to ministry, agency or service. */
export async function readCatalogueVersion(db: SearchDatabase): Promise<bigint> {
  const row = await db.selectFrom('catalogue_version').select('version').executeTakeFirst();
  return row?.version ?? 0n;
}

export async function listMinistries(db: SearchDatabase): Promise<MinistryRow[]> {
  const rows = await db.selectFrom('ministry')
    .select(['id', 'slug', 'name_en', 'name_sw', 'description_en', 'description_sw'])
    .execute();
  return rows.map((row) => ({
    id: row.id, slug: row.slug, nameEn: row.name_en, nameSw: row.name_sw,
    descriptionEn: row.description_en, descriptionSw: row.description_sw,
  }));
}

export async function listAgencies(db: SearchDatabase): Promise<AgencyRow[]> {
  const rows = await db.selectFrom('agency')
    .select(['id', 'slug', 'ministry_id', 'name_en', 'name_sw', 'description_en',
      'description_sw'])
    .execute();
  return rows.map((row) => ({
    id: row.id, slug: row.slug, ministryId: row.ministry_id, nameEn: row.name_en,
    nameSw: row.name_sw, descriptionEn: row.description_en, descriptionSw: row.description_sw,
  }));
}

/** Services after `afterId` in id order (keyset paging: each page is an index range scan). */
export async function listServicesAfter(
  db: SearchDatabase,
  afterId: string | undefined,
  limit: number,
): Promise<ServiceRow[]> {
  let query = db.selectFrom('service')
    .select(['id', 'slug', 'agency_id', 'name_en', 'name_sw', 'description_en', 'description_sw'])
    // A sandbox service is not found until it goes live (docs/decisions/0008).
    .where('onboarding_status', '<>', 'sandbox')
    .orderBy('id').limit(limit);
  if (afterId !== undefined) query = query.where('id', '>', afterId);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id, slug: row.slug, agencyId: row.agency_id, nameEn: row.name_en,
    nameSw: row.name_sw, descriptionEn: row.description_en, descriptionSw: row.description_sw,
  }));
}
