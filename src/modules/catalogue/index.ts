/**
 * The national service catalogue: ministries, departments, agencies, services, fees, search,
 * and the pages that show them.
 *
 * Other modules import this file. Inside the catalogue (pages/, search/), import the files
 * themselves (../catalogue-service.ts, ../catalogue-types.ts): this file imports pages/ and
 * search/, so importing it back from them would be a cycle.
 */
import { joinErrorTables } from '#platform/errors/index.ts';
import type { HudumaModule } from '#platform/module.ts';
import { joinBundles } from '#web/index.ts';
import { catalogueApiRoutes } from './catalogue-api-routes.ts';
import { catalogueErrors } from './catalogue-errors.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import { pageMessages, pageNavigation, pageRoutes } from './pages/index.ts';
import { createServiceSearch, searchErrors, searchRoutes } from './search/index.ts';

export type { CatalogueTables } from './catalogue-tables.ts';
/** Addresses of the catalogue's pages (e.g. the service page, to come back to after sign-in). */
export { cataloguePaths } from './pages/index.ts';
export type {
  AccountType,
  Agency,
  AgencySummary,
  CalendarDate,
  CatalogueReference,
  DeliveryMode,
  FeeVersion,
  Ministry,
  MinistrySummary,
  OnboardingStatus,
  Origin,
  Page,
  PageRequest,
  Service,
  ServiceQuote,
  ServiceSummary,
  AccessFeeScheduleRef,
} from './catalogue-types.ts';
export {
  accessFeeFor,
  cataloguePageMax,
  cataloguePageSizeMax,
  feeInForce,
  findAgencyById,
  findAgencyByIdOrSlug,
  findAgencyBySlug,
  findMinistryBySlug,
  findServiceById,
  findServiceByIdOrSlug,
  findServiceBySlug,
  hasImportedCatalogue,
  listAgencies,
  listMinistries,
  listServicesOfAgency,
  quoteService,
  type CatalogueDeps,
  type QuoteFailureCode,
} from './catalogue-service.ts';
export { catalogueSource, type CatalogueSource } from './catalogue-source.ts';
/** Onboarding's writes and staff reads (the agencies module calls them in its transactions). */
export {
  agencySlugTaken,
  findStaffService,
  hasFeeInForceInTrx,
  insertAgencyInTrx,
  insertServiceInTrx,
  listFeeVersions,
  listMinistryChoices,
  listStaffServices,
  lockStaffServiceInTrx,
  ministryAndDepartmentExist,
  serviceSlugTaken,
  setServiceStatusInTrx,
  updateServiceInTrx,
  writeFeeVersionInTrx,
  type Choice,
  type NewFeeVersion,
  type ServiceDetails,
  type StaffFeeVersion,
  type StaffService,
} from './catalogue-admin-repo.ts';
export {
  listPopularServices,
  popularityWindowDays,
  recordServiceDemandInTrx,
  type PopularService,
} from './pages/popular-services-repo.ts';
export { kenyanDate } from './access-fee-rules.ts';
export { seedDemoCatalogue, type DemoSeedReport } from './demo/demo-seed.ts';
export {
  importCatalogue,
  type ImportOptions,
  type ImportProblem,
  type ImportReport,
  type TableCounts,
} from './importer/import-service.ts';
export {
  generateCatalogue,
  generatedServicesMax,
  generatorSeedMax,
  type GenerateOptions,
  type GenerateReport,
} from './generator/generator-service.ts';

export const catalogueModule: HudumaModule = {
  name: 'catalogue',
  errors: joinErrorTables([catalogueErrors, searchErrors]),
  messages: joinBundles([{ en, sw }, pageMessages]),
  navigation: pageNavigation,
  routes: async (app, deps) => {
    const search = createServiceSearch(deps,
      { resultCacheEntries: deps.config.searchCacheEntries });
    await searchRoutes(app, { ...deps, search });
    await catalogueApiRoutes(app, deps);
    await pageRoutes(app, { ...deps, search });
  },
};
