/**
 * The catalogue's pages. Every one is public and server-rendered. Bad query values get a 400
 * page naming the value; unknown slugs a 404 (through the platform's error handler); nothing
 * a visitor can type reaches the database unchecked.
 */
import type { FastifyInstance } from 'fastify';
import { sendHtml } from '#web/index.ts';
import {
  findAgencyBySlug,
  findMinistryBySlug,
  listAgencies,
  listMinistries,
  listServicesOfAgency,
} from '../catalogue-service.ts';
import { renderAgencyPage, renderMinistriesPage, renderMinistryPage } from './browse-views.ts';
import { routePatterns } from './catalogue-paths.ts';
import { renderAboutPage, renderHomePage } from './home-views.ts';
import { isPlausibleSlug, parsePageNumber } from './page-query.ts';
import {
  notFound,
  pageRouteOptions,
  sendBadRequest,
  type PageDeps,
  type SlugRequest,
} from './page-responses.ts';
import { listPopularServices, popularServicesMax } from './popular-services-repo.ts';
import { searchRoutes } from './search-routes.ts';

/** Agencies per ministry page and services per agency page. */
export const browsePageSize = 50;

async function browseRoutes(app: FastifyInstance, deps: PageDeps): Promise<void> {
  app.get(routePatterns.ministries, pageRouteOptions, async (request, reply) => {
    const ministries = await listMinistries(deps);
    return sendHtml(reply, renderMinistriesPage(request.pageContext(), ministries));
  });

  app.get(routePatterns.ministry, pageRouteOptions, async (request: SlugRequest, reply) => {
    const { slug } = request.params;
    const ministry = isPlausibleSlug(slug) ? await findMinistryBySlug(deps, slug) : undefined;
    if (ministry === undefined) throw notFound('CATALOGUE_MINISTRY_NOT_FOUND', slug);
    const page = parsePageNumber(request.query);
    if (!page.ok) return sendBadRequest(request, reply, page.error);
    const agencies = await listAgencies(deps, { ministryId: ministry.id },
      { page: page.value, pageSize: browsePageSize });
    return sendHtml(reply, renderMinistryPage(request.pageContext(), ministry, agencies));
  });

  app.get(routePatterns.agency, pageRouteOptions, async (request: SlugRequest, reply) => {
    const { slug } = request.params;
    const agency = isPlausibleSlug(slug) ? await findAgencyBySlug(deps, slug) : undefined;
    if (agency === undefined) throw notFound('CATALOGUE_AGENCY_NOT_FOUND', slug);
    const page = parsePageNumber(request.query);
    if (!page.ok) return sendBadRequest(request, reply, page.error);
    const services = await listServicesOfAgency(deps, agency.id,
      { page: page.value, pageSize: browsePageSize });
    return sendHtml(reply, renderAgencyPage(request.pageContext(), agency, services));
  });
}

export async function catalogueRoutes(app: FastifyInstance, deps: PageDeps): Promise<void> {
  app.get(routePatterns.home, pageRouteOptions, async (request, reply) => {
    const popular = await listPopularServices(deps.db, popularServicesMax, deps.clock.now());
    return sendHtml(reply, renderHomePage(request.pageContext(), popular));
  });

  app.get(routePatterns.about, pageRouteOptions, async (request, reply) =>
    sendHtml(reply, renderAboutPage(request.pageContext())));

  await browseRoutes(app, deps);
  await searchRoutes(app, deps);
}
