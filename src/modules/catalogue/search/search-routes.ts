/**
 * GET /api/v1/services: search and browse the national catalogue (JSON).
 * Malformed parameters are a 400 naming the parameter (schema validation); a filter naming
 * no ministry or agency is a 404 with its own code, so a typo in a slug is never mistaken
 * for "no services".
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ProblemError } from '#platform/http/index.ts';
import { languages } from '#web/index.ts';
import type { SearchErrorCode } from './search-errors.ts';
import { pageMax, pageSizeDefault, pageSizeMax } from './search-service.ts';
import { queryLengthMax } from './search-text.ts';
import type { ServiceSearch } from './search-types.ts';

export const searchPaths = { services: '/api/v1/services' } as const;

const slugLengthMax = 160;
const slugPattern = '^[a-z0-9][a-z0-9_-]*$';

const SearchQuerystring = Type.Object({
  q: Type.Optional(Type.String({
    maxLength: queryLengthMax,
    description: 'Words to look for, English or Swahili; prefixes and typos are tolerated. ' +
      'Empty or absent: every service, by name.',
  })),
  ministry: Type.Optional(Type.String({
    pattern: slugPattern, maxLength: slugLengthMax, description: 'Only this ministry (its slug).',
  })),
  agency: Type.Optional(Type.String({
    pattern: slugPattern, maxLength: slugLengthMax, description: 'Only this agency (its slug).',
  })),
  page: Type.Integer({ minimum: 1, maximum: pageMax, default: 1, description: '1-based.' }),
  pageSize: Type.Integer({ minimum: 1, maximum: pageSizeMax, default: pageSizeDefault }),
  lang: Type.Union(languages.map((language) => Type.Literal(language)), {
    default: 'en', description: 'Language of names and summaries (English where untranslated).',
  }),
});

const SearchHit = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  name: Type.String(),
  summary: Type.Union([Type.String(), Type.Null()]),
  agencyName: Type.String(),
  agencySlug: Type.String(),
  ministryName: Type.String(),
  ministrySlug: Type.String(),
});

const SearchResponse = Type.Object({
  items: Type.Array(SearchHit),
  total: Type.Integer({ minimum: 0, description: 'Services matching, across all pages.' }),
  page: Type.Integer({ minimum: 1 }),
  pageSize: Type.Integer({ minimum: 1 }),
});

const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  code: Type.String(),
  detail: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Record(Type.String(), Type.String())),
}, { description: 'RFC 9457 problem details, with a stable code (docs/errors.md).' });

/** Results change only when the catalogue does; a short public cache spares slow networks. */
const cacheControl = 'public, max-age=60';

const notFoundCodes = {
  ministry: 'CATALOGUE_SEARCH_MINISTRY_NOT_FOUND',
  agency: 'CATALOGUE_SEARCH_AGENCY_NOT_FOUND',
} as const satisfies Record<string, SearchErrorCode>;

export async function searchRoutes(
  scope: FastifyInstance,
  deps: Readonly<{ search: ServiceSearch }>,
): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.get(searchPaths.services, {
    config: { access: 'public' },
    schema: {
      tags: ['catalogue'],
      summary: 'Search or browse government services',
      description: 'Ranked full-text search over service, agency and ministry names and ' +
        'descriptions, in English and Swahili, with filters and pages.',
      querystring: SearchQuerystring,
      response: { 200: SearchResponse, 400: Problem, 404: Problem },
    },
  }, async (request, reply) => {
    const query = request.query;
    const result = await deps.search.search({
      text: query.q ?? '',
      ...(query.ministry === undefined ? {} : { ministrySlug: query.ministry }),
      ...(query.agency === undefined ? {} : { agencySlug: query.agency }),
      page: query.page,
      pageSize: query.pageSize,
      language: query.lang,
    });
    if (result.unknownFilter !== undefined) {
      const slug = result.unknownFilter === 'ministry' ? query.ministry : query.agency;
      throw new ProblemError({
        code: notFoundCodes[result.unknownFilter],
        detail: `${result.unknownFilter}: no ${result.unknownFilter} has the slug "${slug}"`,
      });
    }
    void reply.header('cache-control', cacheControl);
    return {
      items: [...result.items], total: result.total, page: result.page, pageSize: result.pageSize,
    };
  });
}
