/**
 * The library baseline beside the engine (issue 14; docs/decisions/0001): MiniSearch, an
 * established, maintained JavaScript full-text library, over the same catalogue rows the engine
 * indexes and the same query mix, timed the same way (one query at a time, the whole answer:
 * the page's names and the total). Configured to do what the engine does as far as the library
 * can: names weigh four times descriptions, agency and ministry names count for their
 * services, prefixes ("pass" finds passports), typos (edit distance 1, 2 for words of eight
 * letters or more), every word must match, filters by ministry and agency, pages; an empty
 * query browses by name. It has no Swahili-English glossary, so "pasipoti" finds less: the
 * baseline is a speed reference, not a relevance one.
 */
import MiniSearch from 'minisearch';
import type { Kysely } from 'kysely';
import {
  listAgencies,
  listMinistries,
  listServicesAfter,
} from '../../src/modules/catalogue/search/search-repo.ts';
import type { SearchTables } from '../../src/modules/catalogue/search/search-tables.ts';
import type { MixQuery } from './query-mix.ts';

export const libraryName = 'MiniSearch 7.2.0';

type Document = Readonly<{
  id: string; name: string; description: string; agency: string; ministry: string;
  agencySlug: string; ministrySlug: string;
}>;

export type LibraryTiming = Readonly<{ name: string; buildMs: number; searchMs: number[] }>;

const pageRows = 10_000;

async function documents(db: Kysely<SearchTables>): Promise<Document[]> {
  const ministries = new Map((await listMinistries(db)).map((m) => [m.id, m]));
  const agencies = new Map((await listAgencies(db)).map((a) => [a.id, a]));
  const all: Document[] = [];
  let after: string | undefined;
  for (;;) {
    const rows = await listServicesAfter(db, after, pageRows);
    for (const row of rows) {
      const agency = agencies.get(row.agencyId);
      const ministry = agency === undefined ? undefined : ministries.get(agency.ministryId);
      all.push({
        id: row.id,
        name: [row.nameEn, row.nameSw ?? ''].join(' '),
        description: [row.descriptionEn ?? '', row.descriptionSw ?? ''].join(' '),
        agency: [agency?.nameEn ?? '', agency?.nameSw ?? ''].join(' '),
        ministry: [ministry?.nameEn ?? '', ministry?.nameSw ?? ''].join(' '),
        agencySlug: agency?.slug ?? '', ministrySlug: ministry?.slug ?? '',
      });
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < pageRows) break;
    after = last.id;
  }
  return all;
}

function search(index: MiniSearch<Document>, byName: readonly Document[], query: MixQuery):
  { total: number; names: string[] } {
  const filter = (result: Readonly<Record<string, unknown>>) =>
    (query.agencySlug === undefined || result.agencySlug === query.agencySlug) &&
    (query.ministrySlug === undefined || result.ministrySlug === query.ministrySlug);
  const start = (query.page - 1) * query.pageSize;
  if (query.text.trim() === '') {
    const matching = byName.filter((document) => filter(document));
    return { total: matching.length,
      names: matching.slice(start, start + query.pageSize).map((d) => d.name) };
  }
  const results = index.search(query.text, {
    filter, combineWith: 'AND', prefix: true,
    fuzzy: (term) => (term.length >= 8 ? 2 : term.length >= 4 ? 1 : 0),
    boost: { name: 4, agency: 2, ministry: 2, description: 1 },
  });
  return { total: results.length,
    names: results.slice(start, start + query.pageSize).map((r) => String(r.name)) };
}

/** Builds the index and times every query of the mix `rounds` times (within budgetMs). */
export async function timeLibraryBaseline(
  db: Kysely<SearchTables>, mix: readonly MixQuery[], rounds: number, budgetMs: number,
): Promise<LibraryTiming> {
  const buildStartedAt = performance.now();
  const all = await documents(db);
  const index = new MiniSearch<Document>({
    fields: ['name', 'description', 'agency', 'ministry'],
    storeFields: ['name', 'agencySlug', 'ministrySlug'],
  });
  index.addAll(all);
  const byName = [...all].sort((a, b) => a.name.localeCompare(b.name));
  const buildMs = performance.now() - buildStartedAt;
  for (const query of mix.slice(0, 200)) search(index, byName, query);
  const searchMs: number[] = [];
  const startedAt = performance.now();
  rounds: for (let round = 0; round < rounds; round += 1) {
    for (const query of mix) {
      if (performance.now() - startedAt > budgetMs) break rounds;
      const queryStartedAt = performance.now();
      search(index, byName, query);
      searchMs.push(performance.now() - queryStartedAt);
    }
  }
  return { name: libraryName, buildMs, searchMs };
}
