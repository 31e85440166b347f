/**
 * A bounded cache of ranked pages, one per index: what people search for repeats (passport,
 * driving licence, good conduct...), and a page of a broad word at a million services costs
 * tens of milliseconds to rank, nothing to look up. Keyed by the query as the index sees it
 * (normalised words, filter range, language, page), so "Passport " and "passport" share an
 * entry. A new index starts with an empty cache, so a catalogue change is never served stale.
 * Least recently used entries go first.
 */
import { createLru } from './search-lru.ts';
import type { IndexQuery, IndexResult } from './search-query.ts';

/** Enough for the head of a national portal's searches; a page is ~100 numbers. */
export const searchCacheEntriesDefault = 5_000;

export type SearchCache = Readonly<{
  /** The cached page, or computes, keeps and returns it. */
  through: (query: IndexQuery, compute: () => IndexResult) => IndexResult;
  /** Counts since the cache was made or last cleared. */
  stats: () => Readonly<{ entries: number; hits: number; misses: number }>;
  /** Empties it and restarts its counts. */
  clear: () => void;
}>;

function keyOf(query: IndexQuery): string {
  const words = query.words.map((word) => `${word.term}/${word.typed}`).join(' ');
  return `${query.language}|${query.firstDocument}-${query.endDocument}|` +
    `${query.offset}+${query.limit}|${words}`;
}

export function createSearchCache(entriesMax: number = searchCacheEntriesDefault): SearchCache {
  const pages = createLru<string, IndexResult>(entriesMax);
  let hits = 0;
  let misses = 0;
  return {
    through: (query, compute) => {
      if (entriesMax <= 0) return compute();
      const key = keyOf(query);
      const cached = pages.get(key);
      if (cached !== undefined) {
        hits += 1;
        return cached;
      }
      misses += 1;
      const result = compute();
      pages.set(key, result);
      return result;
    },
    stats: () => ({ entries: pages.size(), hits, misses }),
    clear: () => {
      pages.clear();
      hits = 0;
      misses = 0;
    },
  };
}
