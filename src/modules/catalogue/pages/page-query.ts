/**
 * Reading the query string of the catalogue's pages. Pure: a value is either read or refused
 * with a message key the 400 page shows, so malformed input never reaches the database.
 */
import { err, ok, type Result } from '#platform/errors/index.ts';
import type { Params } from '#web/index.ts';
import { cataloguePageMax } from '../catalogue-service.ts';
import { queryLengthMax } from '../search/index.ts';

export type QueryProblem = Readonly<{ messageKey: string; params: Params }>;

export type RawQuery = Readonly<Record<string, unknown>>;

/** The search engine's own bound: longer text is not a search anyone types. */
export const searchTextLengthMax = queryLengthMax;
/** Slugs are short, lower-case words joined by hyphens; this bound only stops abuse. */
export const slugLengthMax = 200;
export const pageNumberMax = cataloguePageMax;

export type SearchPageQuery = Readonly<{
  text: string;
  ministrySlug: string | undefined;
  agencySlug: string | undefined;
  page: number;
}>;

const problem = (messageKey: string, params: Params = {}): QueryProblem =>
  ({ messageKey, params });

/** One value of a parameter: absent, or a single string (a repeated parameter is refused). */
function single(query: RawQuery, name: string): Result<string | undefined, QueryProblem> {
  const value = query[name];
  if (value === undefined) return ok(undefined);
  if (typeof value === 'string') return ok(value);
  return err(problem('cataloguePages.problem.repeated', { name }));
}

/**
 * A slug a page may look up. Control characters are refused here because PostgreSQL rejects
 * a NUL byte in text with an error, and nothing with one can be a slug anyway.
 */
export function isPlausibleSlug(value: string): boolean {
  return value.length > 0 && value.length <= slugLengthMax && !/[\p{Cc}\s/\\]/u.test(value);
}

/** What a person typed, tidied: control characters and runs of spaces become one space. */
export function tidySearchText(value: string): string {
  return value.replace(/[\p{Cc}\p{Zs}\u2028\u2029]+/gu, ' ').trim();
}

export function parsePageNumber(query: RawQuery): Result<number, QueryProblem> {
  const raw = single(query, 'page');
  if (!raw.ok) return raw;
  const text = raw.value?.trim() ?? '';
  if (text === '') return ok(1);
  const refused = err(problem('cataloguePages.problem.pageNumber', { max: pageNumberMax }));
  if (!/^\d{1,7}$/.test(text)) return refused;
  const page = Number(text);
  return page >= 1 && page <= pageNumberMax ? ok(page) : refused;
}

function parseSlugFilter(
  query: RawQuery,
  name: 'ministry' | 'agency',
): Result<string | undefined, QueryProblem> {
  const raw = single(query, name);
  if (!raw.ok) return raw;
  const text = raw.value?.trim() ?? '';
  if (text === '') return ok(undefined);
  if (!isPlausibleSlug(text)) return err(problem('cataloguePages.problem.malformed', { name }));
  return ok(text);
}

export function parseSearchQuery(query: RawQuery): Result<SearchPageQuery, QueryProblem> {
  const text = single(query, 'q');
  if (!text.ok) return text;
  const tidied = tidySearchText(text.value ?? '');
  if ([...tidied].length > searchTextLengthMax) {
    return err(problem('cataloguePages.problem.searchTooLong', { max: searchTextLengthMax }));
  }
  const ministry = parseSlugFilter(query, 'ministry');
  if (!ministry.ok) return ministry;
  const agency = parseSlugFilter(query, 'agency');
  if (!agency.ok) return agency;
  const page = parsePageNumber(query);
  if (!page.ok) return page;
  return ok({
    text: tidied,
    ministrySlug: ministry.value,
    agencySlug: agency.value,
    page: page.value,
  });
}
