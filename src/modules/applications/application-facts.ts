/**
 * What the applications module reads of other modules' data for its own use: a service's form
 * (service.form_schema), its names and SLA, and the facts an applicant's notice needs.
 */
import { findServiceByIdOrSlug } from '#modules/catalogue/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import type { Database } from '#platform/db/index.ts';
import type { Config } from '#config';
import { applicationsDb, type ApplicationRow } from './application-repo.ts';
import { applicationsPaths } from './applications-paths.ts';
import { parseFormDefinition, type FormDefinition } from './forms/index.ts';
import type { NoticeFacts } from './status-notices.ts';

type FactsDeps = Readonly<{ db: Database; config: Config }>;

export type ServiceForm = Readonly<{
  id: string;
  slug: string;
  agencyId: string;
  form: FormDefinition;
}>;

/** The service's form, or undefined when it has none (or its stored form does not parse). */
export async function serviceFormOf(deps: FactsDeps, idOrSlug: string):
  Promise<ServiceForm | undefined> {
  const db = applicationsDb(deps.db);
  const row = await db.selectFrom('service')
    .select(['id', 'slug', 'agency_id', 'form_schema'])
    .where(isUuid(idOrSlug) ? 'id' : 'slug', '=', idOrSlug).executeTakeFirst();
  if (row === undefined || row.form_schema === null) return undefined;
  const parsed = parseFormDefinition(row.form_schema);
  if (!parsed.ok) return undefined;
  return { id: row.id, slug: row.slug, agencyId: row.agency_id, form: parsed.value };
}

/** Names and SLA days of the application's service. */
export async function serviceFactsOf(deps: FactsDeps, serviceId: string):
  Promise<Readonly<{ nameEn: string; nameSw: string | null; slaDays: number | null;
    agencyNameEn: string; agencyNameSw: string | null; slug: string }>> {
  const service = await findServiceByIdOrSlug(deps, serviceId);
  if (service === undefined) throw new Error(`service ${serviceId} of an application is gone`);
  return { nameEn: service.nameEn, nameSw: service.nameSw, slaDays: service.slaDays,
    agencyNameEn: service.agency.nameEn, agencyNameSw: service.agency.nameSw,
    slug: service.slug };
}

export async function applicationNotice(deps: FactsDeps, application: ApplicationRow):
  Promise<NoticeFacts> {
  const service = await serviceFactsOf(deps, application.serviceId);
  return {
    serviceName: { en: service.nameEn, sw: service.nameSw },
    url: new URL(applicationsPaths.short(application.reference),
      deps.config.publicBaseUrl).toString(),
  };
}
