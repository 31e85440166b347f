import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSearchCache } from './search-cache.ts';
import type { IndexQuery, IndexResult } from './search-query.ts';
import { queryWords } from './search-text.ts';

const query = (text: string, overrides: Partial<IndexQuery> = {}): IndexQuery => ({
  words: queryWords(text), firstDocument: 0, endDocument: 100, language: 'en', offset: 0,
  limit: 20, ...overrides,
});

describe('search result cache', () => {
  it('computes a page once, shared by the same words however typed', () => {
    const cache = createSearchCache(10);
    let computed = 0;
    const compute = (): IndexResult => {
      computed += 1;
      return { documents: [computed], total: computed };
    };
    const first = cache.through(query('passport'), compute);
    assert.deepEqual(cache.through(query('  Passport '), compute), first);
    assert.equal(computed, 1);
    assert.deepEqual(cache.stats(), { entries: 1, hits: 1, misses: 1 });
    cache.clear();
    assert.deepEqual(cache.stats(), { entries: 0, hits: 0, misses: 0 });
    cache.through(query('passport'), compute);
    assert.equal(computed, 2);
  });

  it('keeps pages apart by filter range, language, page and words', () => {
    const cache = createSearchCache(10);
    let computed = 0;
    const compute = (): IndexResult => ({ documents: [], total: (computed += 1) });
    for (const variant of [query('visa'), query('visa', { firstDocument: 5 }),
      query('visa', { endDocument: 50 }), query('visa', { language: 'sw' }),
      query('visa', { offset: 20 }), query('visa', { limit: 50 }), query('visa permit')]) {
      cache.through(variant, compute);
    }
    assert.equal(computed, 7);
  });

  it('forgets the least recently used page first, and nothing when off', () => {
    const cache = createSearchCache(2);
    const calls: string[] = [];
    const get = (text: string) => cache.through(query(text), () => {
      calls.push(text);
      return { documents: [], total: 0 };
    });
    get('a1');
    get('b2');
    get('a1');
    get('c3');
    get('a1');
    get('b2');
    assert.deepEqual(calls, ['a1', 'b2', 'c3', 'b2']);
    const off = createSearchCache(0);
    let computed = 0;
    off.through(query('x'), () => ({ documents: [], total: (computed += 1) }));
    off.through(query('x'), () => ({ documents: [], total: (computed += 1) }));
    assert.equal(computed, 2);
  });
});
