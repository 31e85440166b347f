/** A service's names and its agency's, in both languages, for pages and messages. */
import { findServiceByIdOrSlug } from '#modules/catalogue/index.ts';
import type { Database } from '#platform/db/index.ts';
import type { ServiceNames } from './application-views.ts';

export async function serviceNamesOf(deps: Readonly<{ db: Database }>, serviceId: string):
  Promise<ServiceNames> {
  const service = await findServiceByIdOrSlug(deps, serviceId);
  if (service === undefined) throw new Error(`service ${serviceId} is gone`);
  return { nameEn: service.nameEn, nameSw: service.nameSw,
    agencyNameEn: service.agency.nameEn, agencyNameSw: service.agency.nameSw };
}
