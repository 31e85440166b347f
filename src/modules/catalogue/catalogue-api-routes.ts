/**
 * The catalogue's JSON API: ministries, agencies and one service (with what it costs today).
 * GET /api/v1/services (search) lives in search/. Unknown ids and slugs are a 404 with a
 * stable code; malformed parameters a 400 naming the parameter (schema validation).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ProblemError } from '#platform/http/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { add, type Money } from '#platform/money/index.ts';
import {
  AgencyDetailJson,
  AgencyListQuery,
  AgencyPageJson,
  IdOrSlugParams,
  MinistryDetailJson,
  MinistryListJson,
  PageQuery,
  ProblemJson,
  ServiceDetailJson,
  SlugParams,
} from './catalogue-api-schemas.ts';
import type { CatalogueErrorCode } from './catalogue-errors.ts';
import {
  accessFeeFor,
  feeInForce,
  findAgencyByIdOrSlug,
  findMinistryBySlug,
  findServiceByIdOrSlug,
  listAgencies,
  listMinistries,
  listServicesOfAgency,
} from './catalogue-service.ts';
import { catalogueSource } from './catalogue-source.ts';
import type { FeeVersion, Origin, Page, Service } from './catalogue-types.ts';

export const catalogueApiPaths = {
  ministries: '/api/v1/ministries',
  ministry: '/api/v1/ministries/:slug',
  agencies: '/api/v1/agencies',
  agency: '/api/v1/agencies/:idOrSlug',
  service: '/api/v1/services/:idOrSlug',
} as const;

/** The catalogue changes rarely; a short public cache spares slow networks a round trip. */
const cacheControl = 'public, max-age=60';
const tags = ['catalogue'];
const errorResponses = { 400: ProblemJson, 404: ProblemJson };

function notFound(code: CatalogueErrorCode, what: string, key: string): ProblemError {
  return new ProblemError({ code, detail: `no ${what} has the id or slug "${key}"` });
}

/** Bigint travels as a decimal string: JSON numbers are not exact beyond 2^53. */
const moneyJson = (value: Money) =>
  ({ amountMinor: value.amountMinor.toString(), currency: value.currency });

const sourceOf = (origin: Origin) => origin === 'ecitizen'
  ? {
    title: catalogueSource.title, author: catalogueSource.author, url: catalogueSource.url,
    licence: catalogueSource.licence, licenceUrl: catalogueSource.licenceUrl,
  }
  : null;

/** UUIDs are matched in lower case, whatever case the client sent. */
const normaliseKey = (key: string) =>
  /^[0-9a-f-]{36}$/i.test(key) ? key.toLowerCase() : key;

export async function catalogueApiRoutes(app: FastifyInstance, deps: ModuleDeps): Promise<void> {
  ministryRoutes(app, deps);
  agencyRoutes(app, deps);
  serviceRoutes(app, deps);
}

function ministryRoutes(scope: FastifyInstance, deps: ModuleDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.get(catalogueApiPaths.ministries, {
    config: { access: 'public' },
    schema: { tags, summary: 'Every ministry, with how many agencies and services it has',
      response: { 200: MinistryListJson } },
  }, async (_request, reply) => {
    void reply.header('cache-control', cacheControl);
    const ministries = await listMinistries(deps);
    return { items: ministries.map((m) => ({ ...m, source: sourceOf(m.origin) })) };
  });

  app.get(catalogueApiPaths.ministry, {
    config: { access: 'public' },
    schema: { tags, summary: 'A ministry and a page of its agencies', params: SlugParams,
      querystring: PageQuery, response: { 200: MinistryDetailJson, ...errorResponses } },
  }, async (request, reply) => {
    const ministry = await findMinistryBySlug(deps, request.params.slug);
    if (ministry === undefined) {
      throw notFound('CATALOGUE_MINISTRY_NOT_FOUND', 'ministry', request.params.slug);
    }
    const agencies = await listAgencies(deps, { ministryId: ministry.id }, request.query);
    void reply.header('cache-control', cacheControl);
    return { ...ministry, source: sourceOf(ministry.origin), agencies: withSources(agencies) };
  });
}

function agencyRoutes(scope: FastifyInstance, deps: ModuleDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.get(catalogueApiPaths.agencies, {
    config: { access: 'public' },
    schema: { tags, summary: 'Agencies by name, all or those of one ministry',
      querystring: AgencyListQuery, response: { 200: AgencyPageJson, ...errorResponses } },
  }, async (request, reply) => {
    const { ministry: ministrySlug, page, pageSize } = request.query;
    let ministryId: string | undefined;
    if (ministrySlug !== undefined) {
      const ministry = await findMinistryBySlug(deps, ministrySlug);
      if (ministry === undefined) {
        throw notFound('CATALOGUE_MINISTRY_NOT_FOUND', 'ministry', ministrySlug);
      }
      ministryId = ministry.id;
    }
    const agencies = await listAgencies(deps,
      ministryId === undefined ? {} : { ministryId }, { page, pageSize });
    void reply.header('cache-control', cacheControl);
    return withSources(agencies);
  });

  app.get(catalogueApiPaths.agency, {
    config: { access: 'public' },
    schema: { tags, summary: 'An agency and a page of its services', params: IdOrSlugParams,
      querystring: PageQuery, response: { 200: AgencyDetailJson, ...errorResponses } },
  }, async (request, reply) => {
    const key = normaliseKey(request.params.idOrSlug);
    const agency = await findAgencyByIdOrSlug(deps, key);
    if (agency === undefined) throw notFound('CATALOGUE_AGENCY_NOT_FOUND', 'agency', key);
    const services = await listServicesOfAgency(deps, agency.id, request.query);
    void reply.header('cache-control', cacheControl);
    return { ...agency, source: sourceOf(agency.origin), services: withSources(services) };
  });
}

function serviceRoutes(scope: FastifyInstance, deps: ModuleDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.get(catalogueApiPaths.service, {
    config: { access: 'public' },
    schema: { tags, summary: 'A service, with its fee in force today, access fee and total',
      description: 'Amounts are { amountMinor, currency } with amountMinor a decimal string ' +
        'of minor units (cents). The access (convenience) fee follows the gazetted tiers.',
      params: IdOrSlugParams, response: { 200: ServiceDetailJson, ...errorResponses } },
  }, async (request, reply) => {
    const key = normaliseKey(request.params.idOrSlug);
    const service = await findServiceByIdOrSlug(deps, key);
    if (service === undefined) throw notFound('CATALOGUE_SERVICE_NOT_FOUND', 'service', key);
    const now = deps.clock.now();
    const fee = await feeInForce(deps, service.id, now);
    const accessFee = fee === undefined ? undefined : await accessFeeFor(deps, fee.fee, now);
    void reply.header('cache-control', cacheControl);
    return serviceJson(service, fee, accessFee?.ok === true ? accessFee.value : undefined);
  });
}

function withSources<T extends Readonly<{ origin: Origin }>>(page: Page<T>) {
  return { ...page, items: page.items.map((item) => ({ ...item, source: sourceOf(item.origin) })) };
}

function serviceJson(service: Service, fee: FeeVersion | undefined, accessFee: Money | undefined) {
  return {
    ...service,
    requirementsEn: [...service.requirementsEn],
    requirementsSw: [...service.requirementsSw],
    eligibleAccountTypes: [...service.eligibleAccountTypes],
    source: sourceOf(service.origin),
    fee: fee === undefined ? null : {
      version: fee.version,
      amount: moneyJson(fee.fee),
      effectiveFrom: fee.effectiveFrom,
      effectiveTo: fee.effectiveTo,
      gazetteReference: fee.gazetteReference,
    },
    accessFee: accessFee === undefined ? null : moneyJson(accessFee),
    total: fee === undefined || accessFee === undefined ? null : moneyJson(add(fee.fee, accessFee)),
  };
}
