import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cataloguePaths } from './catalogue-paths.ts';
import {
  isPlausibleSlug,
  pageNumberMax,
  parsePageNumber,
  parseSearchQuery,
  searchTextLengthMax,
  tidySearchText,
} from './page-query.ts';

describe('reading the search query', () => {
  it('reads text, filters and page, tidying the text', () => {
    const parsed = parseSearchQuery({
      q: '  driving\tlicence \n', ministry: 'transport', agency: ' ntsa ', page: '2',
    });
    assert.deepEqual(parsed, { ok: true, value: {
      text: 'driving licence', ministrySlug: 'transport', agencySlug: 'ntsa', page: 2 } });
    assert.deepEqual(parseSearchQuery({}), { ok: true, value: {
      text: '', ministrySlug: undefined, agencySlug: undefined, page: 1 } });
    assert.deepEqual(parseSearchQuery({ ministry: '', agency: '  ', page: '' }).ok, true);
  });

  it('refuses, in a fixed order, with the message to show', () => {
    const refused = (query: Record<string, unknown>) => {
      const parsed = parseSearchQuery(query);
      assert.equal(parsed.ok, false, JSON.stringify(query));
      return parsed.ok ? undefined : parsed.error;
    };
    assert.deepEqual(refused({ q: ['a', 'b'], page: 'x' }),
      { messageKey: 'cataloguePages.problem.repeated', params: { name: 'q' } });
    assert.deepEqual(refused({ q: 'a'.repeat(searchTextLengthMax + 1) }),
      { messageKey: 'cataloguePages.problem.searchTooLong', params: { max: searchTextLengthMax } });
    assert.deepEqual(refused({ ministry: 'a\u0000b' }),
      { messageKey: 'cataloguePages.problem.malformed', params: { name: 'ministry' } });
    assert.deepEqual(refused({ agency: 'a/b' }),
      { messageKey: 'cataloguePages.problem.malformed', params: { name: 'agency' } });
    assert.deepEqual(refused({ page: '0' }),
      { messageKey: 'cataloguePages.problem.pageNumber', params: { max: pageNumberMax } });
  });

  it('counts the length in characters, not UTF-16 units', () => {
    const emoji = '🇰🇪'.repeat(50);
    assert.equal([...emoji].length, 100);
    assert.equal(parseSearchQuery({ q: emoji }).ok, true);
  });

  it('accepts exactly the page numbers 1 to the maximum', () => {
    for (const [text, page] of [['1', 1], ['07', 7], [String(pageNumberMax), pageNumberMax]]) {
      assert.deepEqual(parsePageNumber({ page: text }), { ok: true, value: page });
    }
    for (const text of ['0', '-1', '1.5', '1e3', 'abc', String(pageNumberMax + 1),
      '99999999999999', ' 2x']) {
      assert.equal(parsePageNumber({ page: text }).ok, false, text);
    }
  });

  it('never throws, and what it accepts is tidy and within bounds', () => {
    const value = fc.oneof(fc.string({ unit: 'binary' }), fc.array(fc.string()), fc.constant(3));
    fc.assert(fc.property(fc.dictionary(
      fc.constantFrom('q', 'page', 'ministry', 'agency', 'x'), value), (query) => {
      const parsed = parseSearchQuery(query);
      if (!parsed.ok) return;
      assert.ok([...parsed.value.text].length <= searchTextLengthMax);
      assert.equal(parsed.value.text, tidySearchText(parsed.value.text));
      assert.doesNotMatch(parsed.value.text, /\p{Cc}/u);
      assert.ok(parsed.value.page >= 1 && parsed.value.page <= pageNumberMax);
      for (const slug of [parsed.value.ministrySlug, parsed.value.agencySlug]) {
        if (slug !== undefined) assert.ok(isPlausibleSlug(slug));
      }
    }));
  });
});

describe('catalogue paths', () => {
  it('build each address, encoding what they carry', () => {
    assert.equal(cataloguePaths.search(), '/services');
    assert.equal(cataloguePaths.search({ q: 'a&b c', page: 1 }), '/services?q=a%26b+c');
    assert.equal(cataloguePaths.search({ q: '', ministry: 'm', agency: 'a', page: 3 }),
      '/services?ministry=m&agency=a&page=3');
    assert.equal(cataloguePaths.service('a/b?c'), '/services/a%2Fb%3Fc');
    assert.equal(cataloguePaths.apply('x'), '/services/x/apply');
    assert.equal(cataloguePaths.agency('x', 1), '/agencies/x');
    assert.equal(cataloguePaths.agency('x', 2), '/agencies/x?page=2');
    assert.equal(cataloguePaths.ministry('y', 4), '/ministries/y?page=4');
    assert.equal(cataloguePaths.aboutData, '/about#data');
  });
});
