/**
 * The catalogue the page tests read: the demo catalogue (bilingual, with fees) plus a small
 * imported (origin 'ecitizen') corner with no Swahili, no fees and enough services to page.
 */
import type { DatabaseHandle } from '#platform/db/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import type { CatalogueTables } from '../catalogue-tables.ts';
import { seedDemoCatalogue } from '../demo/demo-seed.ts';

export const importedCatalogue = {
  ministrySlug: 'office-of-the-law-reviewer',
  ministryName: 'Office of the Law Reviewer',
  agencySlug: 'law-review-commission',
  agencyName: 'Law Review Commission',
  serviceCount: 55,
  serviceSlug: (index: number): string => `law-review-${String(index).padStart(2, '0')}`,
  serviceName: (index: number): string => `Law review request ${String(index).padStart(2, '0')}`,
} as const;

export const demoCatalogue = {
  ministrySlug: 'ministry-of-interior-and-national-administration',
  agencySlug: 'department-of-immigration-services',
  serviceSlug: 'ordinary-passport-34-pages',
  serviceNameEn: 'Ordinary passport (34 pages)',
  serviceNameSw: 'Pasipoti ya kawaida (kurasa 34)',
} as const;

export async function insertPageTestCatalogue(handle: DatabaseHandle): Promise<void> {
  await seedDemoCatalogue({ db: handle.db });
  const db = handle.db.withTables<CatalogueTables>();
  const ministryId = uuidv7();
  const agencyId = uuidv7();
  await db.insertInto('ministry').values({
    id: ministryId, source_id: 'aa0000000001', slug: importedCatalogue.ministrySlug,
    name_en: importedCatalogue.ministryName, name_sw: null,
    description_en: 'Reviews the laws of Kenya.', description_sw: null, url: null,
    origin: 'ecitizen',
  }).execute();
  await db.insertInto('agency').values({
    id: agencyId, source_id: 'bb0000000001', ministry_id: ministryId, department_id: null,
    slug: importedCatalogue.agencySlug, name_en: importedCatalogue.agencyName, name_sw: null,
    description_en: null, description_sw: null, url: 'https://law-review.example.go.ke/',
    origin: 'ecitizen',
  }).execute();
  await db.insertInto('service').values(
    Array.from({ length: importedCatalogue.serviceCount }, (_, offset) => ({
      id: uuidv7(),
      source_id: `cc00000000${String(offset).padStart(2, '0')}`,
      agency_id: agencyId,
      slug: importedCatalogue.serviceSlug(offset + 1),
      name_en: importedCatalogue.serviceName(offset + 1),
      name_sw: null,
      description_en: offset === 0 ? 'Ask the commission to review a law.' : null,
      description_sw: null,
      requirements_en: offset === 0 ? ['A letter explaining the request'] : [],
      service_url: null,
      sla_days: null,
      form_schema: null,
      origin: 'ecitizen' as const,
    })),
  ).execute();
}
