/**
 * Every address of the catalogue's pages, built in one place (reverse routing): templates and
 * handlers call these builders and never spell a URL. `routePatterns` are the same addresses
 * as Fastify route patterns.
 */
import { webPaths } from '#web/index.ts';

export type SearchPathQuery = Readonly<{
  q?: string;
  ministry?: string;
  agency?: string;
  page?: number;
}>;

function withQuery(path: string, query: Readonly<Record<string, string | undefined>>): string {
  const entries = Object.entries(query)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');
  return entries.length === 0 ? path : `${path}?${new URLSearchParams(entries).toString()}`;
}

const segment = encodeURIComponent;

/** Page 1 is the address without a page number, so each page has one address. */
const pageParameter = (page: number | undefined): string | undefined =>
  page === undefined || page === 1 ? undefined : page.toString();

export const cataloguePaths = {
  home: webPaths.home,
  about: webPaths.about,
  aboutData: `${webPaths.about}#data`,
  ministries: '/ministries',
  ministry: (slug: string, page?: number): string =>
    withQuery(`/ministries/${segment(slug)}`, { page: pageParameter(page) }),
  agency: (slug: string, page?: number): string =>
    withQuery(`/agencies/${segment(slug)}`, { page: pageParameter(page) }),
  search: (query: SearchPathQuery = {}): string => withQuery('/services', {
    q: query.q,
    ministry: query.ministry,
    agency: query.agency,
    page: pageParameter(query.page),
  }),
  service: (slug: string): string => `/services/${segment(slug)}`,
  apply: (slug: string): string => `/services/${segment(slug)}/apply`,
} as const;

export const routePatterns = {
  home: '/',
  about: '/about',
  ministries: '/ministries',
  ministry: '/ministries/:slug',
  agency: '/agencies/:slug',
  search: '/services',
  service: '/services/:slug',
} as const;
