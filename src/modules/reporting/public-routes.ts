/**
 * The public transparency pages and their open data: no sign-in (access 'public'), only GET,
 * nothing personal. Pages and files may be cached by shared caches for a few minutes, except
 * for a signed-in visitor (whose header names them): their copy is private. JSON routes are in
 * the OpenAPI document (tag 'transparency'), with the schema of their answer.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static, type TSchema } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { catalogueSource } from '#modules/catalogue/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import {
  defaultPeriod,
  loadPublicLags,
  loadPublicRevenue,
  loadPublicScorecard,
  loadPublicServices,
  loadRevenueRows,
  type RevenueView,
} from './public-data.ts';
import {
  lagColumns,
  openDataCsv,
  openDataItems,
  openDataSchema,
  ProblemJson,
  revenueColumns,
  scorecardColumns,
  servicesColumns,
  type Column,
  type OpenDataset,
} from './public-open-data.ts';
import {
  renderRevenuePage,
  renderScorecardPage,
  renderServicesPage,
  renderSettlementPage,
  transparencyPaths,
} from './public-views.ts';
import { namesOf } from './reporting-dashboard.ts';
import { parsePeriod, type PeriodInput } from './reporting-period.ts';
import type { Period } from './reporting-read.ts';

/** Shared caches may keep a public answer this long (the totals move as money comes in). */
const publicCacheControl = 'public, max-age=300';
const pageMax = 1_000;
const access = { access: 'public' } as const;
const tags = ['transparency'];

const PeriodQuery = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 20 })),
  to: Type.Optional(Type.String({ maxLength: 20 })),
});
const RevenueQuery = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 20 })),
  to: Type.Optional(Type.String({ maxLength: 20 })),
  view: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('month')])),
  agency: Type.Optional(Type.String({ maxLength: 36 })),
});
const PageQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: pageMax, default: 1 }),
});

/**
 * parsePeriod, refusing years outside 1900-2099 first: PostgreSQL has no year 0 (a '0000-01-01'
 * from anyone on the internet must be a 400, not a database error).
 */
function publicPeriod(input: PeriodInput, now: Date): ReturnType<typeof parsePeriod> {
  const outOfRange = [input.from, input.to].some((value) => value !== undefined &&
    value.trim() !== '' && !/^(19|20)\d{2}-/.test(value.trim()));
  return parsePeriod(outOfRange ? { from: 'not-a-date', to: 'not-a-date' } : input, now);
}

function cacheFor(request: FastifyRequest): string {
  return request.actor === undefined ? publicCacheControl : 'private, no-cache';
}

/** A page, cacheable (sendHtml would say no-store: these pages hold nothing private). */
function sendPublicHtml(request: FastifyRequest, reply: FastifyReply, body: string,
  status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8')
    .header('cache-control', status === 200 ? cacheFor(request) : 'no-store')
    .header('vary', 'Accept-Language, Cookie').send(body);
}

/** The period of an open-data file: as asked, else the view's default; or a 400 problem. */
function periodOf(query: Static<typeof PeriodQuery>, view: RevenueView, now: Date): Period {
  const given = (value: string | undefined) => value !== undefined && value.trim() !== '';
  const asked = given(query.from) || given(query.to) ? query : defaultPeriod(view, now);
  const period = publicPeriod(asked, now);
  if (!period.ok) throw new ProblemError(period.error);
  return period.value;
}

function sendCsv(request: FastifyRequest, reply: FastifyReply, name: string, body: string) {
  return reply.header('cache-control', cacheFor(request)).type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}"`).send(body);
}

export async function publicRoutes(scope: FastifyInstance, deps: ModuleDeps): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();

  app.get(transparencyPaths.revenue, { config: access,
    schema: { hide: true, querystring: RevenueQuery } }, async (request, reply) => {
    const { agency } = request.query;
    if (agency !== undefined && !isUuid(agency)) return reply.callNotFound();
    const view = request.query.view ?? 'day';
    const now = deps.clock.now();
    const given = [request.query.from, request.query.to].some((value) =>
      value !== undefined && value.trim() !== '');
    const asked = publicPeriod(given ? request.query : defaultPeriod(view, now), now);
    const period = asked.ok ? asked.value : defaultPeriod(view, now);
    const revenue = await loadPublicRevenue(deps.db, { period, view, agencyId: agency });
    if (agency !== undefined && !revenue.names.has(agency)) return reply.callNotFound();
    const context = request.pageContext();
    return sendPublicHtml(request, reply, renderRevenuePage(context, revenue, asked.ok
      ? undefined : context.t('reporting.error.REPORTING_PERIOD_INVALID')), asked.ok ? 200 : 400);
  });

  app.get(transparencyPaths.settlement, { config: access, schema: { hide: true } },
    async (request, reply) => sendPublicHtml(request, reply, renderSettlementPage(
      request.pageContext(), await loadPublicLags(deps.db, deps.clock.now()))));

  app.get(transparencyPaths.services, { config: access,
    schema: { hide: true, querystring: PageQuery } }, async (request, reply) =>
    sendPublicHtml(request, reply, renderServicesPage(request.pageContext(),
      await loadPublicServices(deps.db), request.query.page)));

  app.get(transparencyPaths.scorecard, { config: access,
    schema: { hide: true, querystring: PageQuery } }, async (request, reply) =>
    sendPublicHtml(request, reply, renderScorecardPage(request.pageContext(),
      await loadPublicScorecard(deps.db, deps.clock.now()), request.query.page)));

  openDataRoutes(app, deps);
}

type Loaded = Readonly<{ header: Record<string, unknown>; columns: readonly Column<never>[];
  rows: readonly unknown[]; file: string }>;

type Loader = (query: Static<typeof PeriodQuery>, now: Date) => Promise<Loaded>;

const periodHeader = { period: Type.Object({ from: Type.String(), to: Type.String() }) };
const asOfHeader = { as_of: Type.String({ description: 'When the data was read (ISO 8601)' }) };
const sourceHeader = { source: Type.Object({ title: Type.String(), author: Type.String(),
  url: Type.String(), licence: Type.String(), licenceUrl: Type.String() }) };

function loaders(deps: ModuleDeps): Record<OpenDataset, Readonly<{ load: Loader;
  header: Readonly<Record<string, TSchema>>; columns: readonly Column<never>[];
  summary: string }>> {
  const revenue = (view: RevenueView): Loader => async (query, now) => {
    const period = periodOf(query, view, now);
    const rows = await loadRevenueRows(deps.db, period, view);
    const names = await namesOf(deps.db, 'agency', rows.map((row) => row.agencyId));
    const name = view === 'day' ? 'revenue' : 'revenue-monthly';
    return { header: { period }, columns: revenueColumns(names, view), rows,
      file: `${name}-${period.from}-${period.to}` };
  };
  const noNames = new Map<string, never>();
  return {
    'revenue': { load: revenue('day'), header: periodHeader,
      columns: revenueColumns(noNames, 'day'),
      summary: 'Revenue per agency per Kenya day (from, to: YYYY-MM-DD; 30 days by default)' },
    'revenue-monthly': { load: revenue('month'), header: periodHeader,
      columns: revenueColumns(noNames, 'month'),
      summary: 'Revenue per agency per Kenya month over the days from..to (12 months default)' },
    'settlement-lag': { header: asOfHeader, columns: lagColumns(noNames),
      summary: 'Settlement lag per agency over the last 30 days',
      load: async (_query, now) => {
        const lags = await loadPublicLags(deps.db, now);
        return { header: { as_of: now.toISOString() }, columns: lagColumns(lags.names),
          rows: lags.lags, file: 'settlement-lag' };
      } },
    'services': { header: sourceHeader, columns: servicesColumns(),
      summary: 'Services on-boarded per agency (catalogue: eCitizen dataset, CC BY 4.0)',
      load: async () => ({ header: { source: { ...catalogueSource } },
        columns: servicesColumns(), rows: await loadPublicServices(deps.db),
        file: 'services' }) },
    'scorecard': { header: asOfHeader, columns: scorecardColumns(),
      summary: 'The compliance scorecard: one row per agency',
      load: async (_query, now) => ({ header: { as_of: now.toISOString() },
        columns: scorecardColumns(), rows: await loadPublicScorecard(deps.db, now),
        file: 'scorecard' }) },
  };
}

function openDataRoutes(app: FastifyInstance, deps: ModuleDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  for (const [dataset, entry] of Object.entries(loaders(deps))) {
    typed.get(transparencyPaths.data(dataset as OpenDataset, 'csv'), { config: access,
      schema: { hide: true, querystring: PeriodQuery } }, async (request, reply) => {
      const loaded = await entry.load(request.query, deps.clock.now());
      return sendCsv(request, reply, `${loaded.file}.csv`,
        openDataCsv(loaded.columns, loaded.rows as never[]));
    });
    typed.get(transparencyPaths.data(dataset as OpenDataset, 'json'), { config: access,
      schema: { tags, summary: entry.summary, querystring: PeriodQuery,
        response: { 200: openDataSchema(entry.columns, entry.header), 400: ProblemJson } } },
    async (request, reply) => {
      const loaded = await entry.load(request.query, deps.clock.now());
      void reply.header('cache-control', cacheFor(request))
        .header('content-disposition', `inline; filename="${loaded.file}.json"`);
      return { dataset, ...loaded.header,
        items: openDataItems(loaded.columns, loaded.rows as never[]) };
    });
  }
}
