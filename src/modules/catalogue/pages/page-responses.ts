/** What every catalogue page route shares: its options, deps, and the 400 and 404 answers. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { failure } from '#platform/errors/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import type { CatalogueErrorCode } from '../catalogue-errors.ts';
import type { ServiceSearch } from '../search/index.ts';
import { renderBadRequestPage } from './page-components.ts';
import type { QueryProblem, RawQuery } from './page-query.ts';

export type PageDeps = ModuleDeps & Readonly<{ search: ServiceSearch }>;

export type SlugRequest = FastifyRequest<{ Params: { slug: string }; Querystring: RawQuery }>;
export type QueryRequest = FastifyRequest<{ Querystring: RawQuery }>;

/** Pages are for people, not the API: hidden from the OpenAPI document, open to anyone. */
export const pageRouteOptions = {
  schema: { hide: true },
  config: { access: 'public' as const },
};

/** A 404, rendered by the platform's error handler as the friendly page (or problem+json). */
export function notFound(code: CatalogueErrorCode, slug: string): ProblemError {
  return new ProblemError(failure(code, `nothing is listed under "${slug.slice(0, 100)}"`));
}

export function sendBadRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: QueryProblem,
): FastifyReply {
  return sendHtml(reply, renderBadRequestPage(request.pageContext(), problem), 400);
}
