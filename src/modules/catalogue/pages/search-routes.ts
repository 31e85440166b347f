/** Finding a service: search results, the service page, and the "apply" page. */
import type { FastifyInstance } from 'fastify';
import { err, ok, type Result } from '#platform/errors/index.ts';
import { csrfField } from '#modules/authorisation/index.ts';
import { sendHtml } from '#web/index.ts';
import {
  cataloguePageSizeMax,
  feeInForce,
  findAgencyBySlug,
  findServiceBySlug,
  hasImportedCatalogue,
  listAgencies,
  listMinistries,
  quoteService,
} from '../catalogue-service.ts';
import type { Service } from '../catalogue-types.ts';
import { routePatterns } from './catalogue-paths.ts';
import {
  isPlausibleSlug,
  parseSearchQuery,
  type QueryProblem,
  type SearchPageQuery,
} from './page-query.ts';
import {
  notFound,
  pageRouteOptions,
  sendBadRequest,
  type PageDeps,
  type QueryRequest,
  type SlugRequest,
} from './page-responses.ts';
import { renderSearchPage, type SearchPageModel } from './search-views.ts';
import { renderServicePage, type FeeView } from './service-views.ts';

/** Results per page: a screenful on a phone, a small page on 3G. */
export const searchPageSize = 20;

type Filters = Readonly<Pick<SearchPageModel, 'ministries' | 'agencies' | 'ministrySlug'>> &
  Readonly<{ agencySlug: string | undefined }>;

/**
 * Checks the filters against the catalogue. An agency implies its ministry; an agency left
 * over from another ministry (the visitor changed the ministry only) is dropped.
 */
async function resolveFilters(
  deps: PageDeps,
  query: SearchPageQuery,
): Promise<Result<Filters, QueryProblem>> {
  const ministries = await listMinistries(deps);
  if (query.ministrySlug !== undefined &&
    !ministries.some((ministry) => ministry.slug === query.ministrySlug)) {
    return err({ messageKey: 'cataloguePages.problem.unknownMinistry', params: {} });
  }
  let ministrySlug = query.ministrySlug;
  let agencySlug = query.agencySlug;
  if (agencySlug !== undefined) {
    const agency = await findAgencyBySlug(deps, agencySlug);
    if (agency === undefined) {
      return err({ messageKey: 'cataloguePages.problem.unknownAgency', params: {} });
    }
    if (ministrySlug !== undefined && agency.ministry.slug !== ministrySlug) {
      agencySlug = undefined;
    }
    ministrySlug ??= agency.ministry.slug;
  }
  const ministry = ministries.find((candidate) => candidate.slug === ministrySlug);
  const agencies = ministry === undefined ? [] : (await listAgencies(deps,
    { ministryId: ministry.id }, { page: 1, pageSize: cataloguePageSizeMax })).items;
  return ok({ ministries, agencies, ministrySlug, agencySlug });
}

/** The fee as far as it is known: quoted, service fee only, or none published. */
async function feeView(deps: PageDeps, service: Service): Promise<FeeView> {
  const now = deps.clock.now();
  const quote = await quoteService(deps, service.id, now);
  if (quote.ok) return { kind: 'quoted', quote: quote.value };
  if (quote.error.code !== 'CATALOGUE_ACCESS_FEE_NOT_IN_FORCE') return { kind: 'none' };
  const version = await feeInForce(deps, service.id, now);
  return version === undefined ? { kind: 'none' }
    : { kind: 'serviceFeeOnly', serviceFee: version.fee, effectiveFrom: version.effectiveFrom };
}

async function findServiceOrThrow(deps: PageDeps, slug: string): Promise<Service> {
  const service = isPlausibleSlug(slug) ? await findServiceBySlug(deps, slug) : undefined;
  if (service === undefined) throw notFound('CATALOGUE_SERVICE_NOT_FOUND', slug);
  return service;
}

export async function searchRoutes(app: FastifyInstance, deps: PageDeps): Promise<void> {
  app.get(routePatterns.search, pageRouteOptions, async (request: QueryRequest, reply) => {
    const parsed = parseSearchQuery(request.query);
    if (!parsed.ok) return sendBadRequest(request, reply, parsed.error);
    const filters = await resolveFilters(deps, parsed.value);
    if (!filters.ok) return sendBadRequest(request, reply, filters.error);
    const query = { ...parsed.value, agencySlug: filters.value.agencySlug };
    const result = await deps.search.search({
      text: query.text,
      ...(filters.value.ministrySlug === undefined ? {} :
        { ministrySlug: filters.value.ministrySlug }),
      ...(query.agencySlug === undefined ? {} : { agencySlug: query.agencySlug }),
      page: query.page,
      pageSize: searchPageSize,
      language: request.language,
    });
    const showsImportedData = result.items.length > 0 && await hasImportedCatalogue(deps);
    return sendHtml(reply, renderSearchPage(request.pageContext(),
      { ...filters.value, query, result, showsImportedData }));
  });

  app.get(routePatterns.service, pageRouteOptions, async (request: SlugRequest, reply) => {
    const service = await findServiceOrThrow(deps, request.params.slug);
    const fee = await feeView(deps, service);
    return sendHtml(reply,
      renderServicePage(request.pageContext(), service, fee, csrfField(request)));
  });
}
