/**
 * The service search use case: an in-process index (search-index.ts) built from the database
 * and rebuilt when the catalogue version moves. A search touches no database: it ranks in
 * memory and reads the page's names and summaries from the index's own snapshot.
 *
 * Ranked pages are cached per index (search-cache.ts): a rebuilt index starts with an empty
 * cache, so a cached page is never older than the index that serves it.
 *
 * Freshness: at most every refreshCheckIntervalMs a query reads the catalogue version (one
 * row); when it moved, a new index is built in the background and swapped in when complete.
 * Queries never wait for a rebuild, except the very first, which waits for the first index.
 * refresh() rebuilds at once and resolves when the new index serves.
 */
import type { Kysely } from 'kysely';
import type { ModuleDeps } from '#platform/module.ts';
import {
  startSearchIndex,
  type SearchIndex,
} from './search-index.ts';
import {
  createSearchCache,
  searchCacheEntriesDefault,
  type SearchCache,
} from './search-cache.ts';
import { createHitReader, type HitReader } from './search-hits.ts';
import { createQueryRunner, type QueryRunner } from './search-query.ts';
import {
  listAgencies,
  listMinistries,
  listServicesAfter,
  readCatalogueVersion,
} from './search-repo.ts';
import type { SearchTables } from './search-tables.ts';
import { queryWords } from './search-text.ts';
import type {
  ServiceSearch,
  ServiceSearchHit,
  ServiceSearchQuery,
  ServiceSearchResult,
} from './search-types.ts';

export const pageSizeMax = 100;
export const pageSizeDefault = 20;
/** Deeper pages are refused: nobody reads page 1,001, and a bound keeps every query cheap. */
export const pageMax = 1_000;
export const refreshCheckIntervalMsDefault = 5_000;
/** Hits kept per cached page: pages of one search share most of their hits. */
const hitsPerPageEntry = 4;
/** Services read per query while building (bounded memory per page, few round trips). */
const loadPageSize = 5_000;

export type SearchStatus = Readonly<{
  documentCount: number;
  termCount: number;
  postingCount: number;
  catalogueVersion: bigint | undefined;
  builtAt: Date | undefined;
  buildMs: number | undefined;
  building: boolean;
  /** Ranked pages served from the current index's cache, and computed. */
  cacheHits: number;
  cacheMisses: number;
}>;

/** The search, plus what it knows about its index (for operations and the benchmark). */
export type InProcessServiceSearch = ServiceSearch & Readonly<{
  status: () => SearchStatus;
  /** Ranking alone, in memory, without reading the page from the database (benchmarks). */
  rankOnly: (query: ServiceSearchQuery) => RankedPage | undefined;
  /** Empties the current index's cache of ranked pages (benchmarks measure without it). */
  clearCache: () => void;
}>;

export type ServiceSearchOptions = Readonly<{
  refreshCheckIntervalMs?: number;
  /** Ranked pages kept per index (0: none); searchCacheEntriesDefault by default. */
  resultCacheEntries?: number;
}>;

type Built = Readonly<{
  index: SearchIndex;
  /** Ranks, always (the benchmark's raw engine). */
  run: QueryRunner;
  /** This index's ranked pages, which searches go through. */
  cache: SearchCache;
  /** This index's hits as shown, through a cache four times the size of the page cache. */
  hits: HitReader;
  version: bigint;
  builtAt: Date;
  buildMs: number;
}>;

export function createServiceSearch(
  deps: ModuleDeps,
  options: ServiceSearchOptions = {},
): InProcessServiceSearch {
  const db = deps.db.withTables<SearchTables>();
  const checkIntervalMs = options.refreshCheckIntervalMs ?? refreshCheckIntervalMsDefault;
  const durations = deps.metrics.histogram(
    'catalogue_search_duration_seconds',
    'Time to answer a service search, ranking and reading the page of results.',
  );
  let built: Built | undefined;
  let building: Promise<Built> | undefined;
  let lastCheckMs = Number.NEGATIVE_INFINITY;

  const rebuild = (): Promise<Built> => {
    building ??= buildIndex(db, options.resultCacheEntries).then((fresh) => {
      built = fresh;
      deps.logger.info({
        services: fresh.index.documentCount,
        terms: fresh.index.vocabulary.terms.length,
        postings: fresh.index.postingCount,
        buildMs: fresh.buildMs,
      }, 'search index built');
      return fresh;
    }).finally(() => {
      building = undefined;
    });
    return building;
  };

  const checkVersion = async (current: Built) => {
    const nowMs = deps.clock.now().getTime();
    if (nowMs - lastCheckMs < checkIntervalMs || building !== undefined) return;
    lastCheckMs = nowMs;
    const version = await readCatalogueVersion(db);
    if (version !== current.version) {
      rebuild().catch((error: unknown) => {
        deps.logger.error({ err: error }, 'search index rebuild failed; serving the old one');
      });
    }
  };

  return {
    search: async (query) => {
      const startedAt = performance.now();
      const current = built ?? await rebuild();
      await checkVersion(current);
      const result = runSearch(current, query);
      durations.observe({}, (performance.now() - startedAt) / 1000);
      return result;
    },
    refresh: async () => {
      lastCheckMs = deps.clock.now().getTime();
      await building?.catch(() => undefined);
      await rebuild();
    },
    rankOnly: (query) => built === undefined ? undefined : rankInIndex(built, query),
    clearCache: () => built?.cache.clear(),
    status: () => ({
      documentCount: built?.index.documentCount ?? 0,
      termCount: built?.index.vocabulary.terms.length ?? 0,
      postingCount: built?.index.postingCount ?? 0,
      catalogueVersion: built?.version,
      builtAt: built?.builtAt,
      buildMs: built?.buildMs,
      building: building !== undefined,
      cacheHits: built?.cache.stats().hits ?? 0,
      cacheMisses: built?.cache.stats().misses ?? 0,
    }),
  };
}

async function buildIndex(db: Kysely<SearchTables>, cacheEntries: number | undefined):
  Promise<Built> {
  const startedAt = performance.now();
  // Read the version first: a change made while we read is then seen at the next check.
  const version = await readCatalogueVersion(db);
  const builder = startSearchIndex(await listMinistries(db), await listAgencies(db));
  let afterId: string | undefined;
  for (;;) {
    const rows = await listServicesAfter(db, afterId, loadPageSize);
    for (const row of rows) builder.addService(row);
    if (rows.length < loadPageSize) break;
    afterId = rows.at(-1)?.id;
  }
  const index = builder.finish();
  return {
    index,
    run: createQueryRunner(index),
    cache: createSearchCache(cacheEntries),
    hits: createHitReader(index, hitsPerPageEntry * (cacheEntries ?? searchCacheEntriesDefault)),
    version,
    builtAt: new Date(),
    buildMs: Math.round(performance.now() - startedAt),
  };
}

export type RankedPage = Readonly<{
  documents: readonly number[];
  total: number;
  unknownFilter?: 'ministry' | 'agency';
}>;

/** The index's answer for a query: the documents of the page, or which filter is unknown. */
export function rankInIndex(
  current: Pick<Built, 'index' | 'run'>,
  query: ServiceSearchQuery,
  run: QueryRunner = current.run,
): RankedPage {
  const { index } = current;
  let first = 0;
  let end = index.documentCount;
  if (query.ministrySlug !== undefined) {
    const ministry = index.ministries[index.ministryBySlug.get(query.ministrySlug) ?? -1];
    if (ministry === undefined) return { documents: [], total: 0, unknownFilter: 'ministry' };
    first = ministry.firstDocument;
    end = ministry.endDocument;
  }
  if (query.agencySlug !== undefined) {
    const position = index.agencyBySlug.get(query.agencySlug) ?? -1;
    const agency = index.agencies[position];
    if (agency === undefined) return { documents: [], total: 0, unknownFilter: 'agency' };
    // An agency of another ministry than the one asked for: nothing matches both.
    first = Math.max(first, agency.firstDocument);
    end = Math.min(end, agency.endDocument);
    if (end < first) end = first;
  }
  const { page, pageSize } = boundedPaging(query);
  return run({
    words: queryWords(query.text),
    firstDocument: first,
    endDocument: end,
    language: query.language,
    offset: (page - 1) * pageSize,
    limit: pageSize,
  });
}

/** Page and page size forced into their bounds (the API refuses them before this). */
export function boundedPaging(query: Pick<ServiceSearchQuery, 'page' | 'pageSize'>) {
  const bound = (value: number, high: number) =>
    Number.isFinite(value) ? Math.min(Math.max(1, Math.trunc(value)), high) : 1;
  return { page: bound(query.page, pageMax), pageSize: bound(query.pageSize, pageSizeMax) };
}

function runSearch(current: Built, query: ServiceSearchQuery): ServiceSearchResult {
  const ranked = rankInIndex(current, query,
    (indexQuery) => current.cache.through(indexQuery, () => current.run(indexQuery)));
  const items: ServiceSearchHit[] = [];
  for (const document of ranked.documents) {
    const hit = current.hits(document, query.language);
    if (hit !== undefined) items.push(hit);
  }
  return {
    items,
    total: ranked.total,
    ...boundedPaging(query),
    ...(ranked.unknownFilter === undefined ? {} : { unknownFilter: ranked.unknownFilter }),
  };
}
