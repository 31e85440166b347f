/**
 * Service search. STUB: a placeholder engine (substring match) until the real one lands;
 * the search work replaces createServiceSearch and searchRoutes behind this same surface.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { ModuleDeps } from '#platform/module.ts';
import type { CatalogueTables } from '../catalogue-tables.ts';
import type { ServiceSearch } from './search-types.ts';

export type {
  ServiceSearch,
  ServiceSearchHit,
  ServiceSearchQuery,
  ServiceSearchResult,
} from './search-types.ts';

export function createServiceSearch(deps: ModuleDeps): ServiceSearch {
  const db = deps.db.withTables<CatalogueTables>();
  return {
    refresh: async () => undefined,
    search: async (query) => {
      const pattern = `%${query.text.replaceAll(/[%_\\]/g, '')}%`;
      const base = db.selectFrom('service')
        .innerJoin('agency', 'agency.id', 'service.agency_id')
        .innerJoin('ministry', 'ministry.id', 'agency.ministry_id')
        .where('service.name_en', 'ilike', pattern);
      const total = await base.select(sql<bigint>`count(*)`.as('n')).executeTakeFirstOrThrow();
      const rows = await base.select([
        'service.id', 'service.slug', 'service.name_en', 'service.name_sw',
        'service.description_en', 'agency.name_en as agency_name', 'agency.slug as agency_slug',
        'ministry.name_en as ministry_name', 'ministry.slug as ministry_slug',
      ]).orderBy('service.name_en').limit(query.pageSize)
        .offset((query.page - 1) * query.pageSize).execute();
      return {
        items: rows.map((row) => ({
          id: row.id,
          slug: row.slug,
          name: (query.language === 'sw' ? row.name_sw : null) ?? row.name_en,
          summary: row.description_en,
          agencyName: row.agency_name,
          agencySlug: row.agency_slug,
          ministryName: row.ministry_name,
          ministrySlug: row.ministry_slug,
        })),
        total: Number(total.n),
        page: query.page,
        pageSize: query.pageSize,
      };
    },
  };
}

export async function searchRoutes(
  _app: FastifyInstance,
  _deps: ModuleDeps & { search: ServiceSearch },
): Promise<void> {
  // GET /api/v1/services lands here.
}
