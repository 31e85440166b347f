import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DisplayTextStore, summarise, summaryLengthMax } from './search-display.ts';
import { equivalentTerms } from './search-glossary.ts';
import {
  foldText,
  indexTerms,
  queryLengthMax,
  queryTermsMax,
  queryWords,
  stemWord,
} from './search-text.ts';

describe('search text', () => {
  it('folds case and accents the way unaccent does', () => {
    assert.equal(foldText('Élan Café ÖSTERREICH'), 'elan cafe osterreich');
  });

  it('folds English plurals and leaves other words alone', () => {
    const cases: readonly [string, string][] = [
      ['passports', 'passport'], ['fees', 'fee'], ['companies', 'company'],
      ['licences', 'licence'], ['business', 'business'], ['status', 'status'],
      ['analysis', 'analysis'], ['pasipoti', 'pasipoti'], ['bus', 'bus'],
    ];
    for (const [word, stem] of cases) assert.equal(stemWord(word), stem, word);
  });

  it('indexes words without stop words, in both languages', () => {
    assert.deepEqual(indexTerms('Application for a Passport'), ['application', 'passport']);
    assert.deepEqual(indexTerms('Maombi ya Cheti cha Kuzaliwa'), ['maombi', 'cheti', 'kuzaliwa']);
    assert.deepEqual(indexTerms(null), []);
  });

  it('keeps the typed word for prefixes and drops duplicates', () => {
    assert.deepEqual(queryWords('Passports passport PASS'), [
      { term: 'passport', typed: 'passports' },
      { term: 'pass', typed: 'pass' },
    ]);
  });

  it('bounds the query in length and words, and never throws', () => {
    const long = Array.from({ length: 50 }, (_, index) => `word${index}`).join(' ');
    assert.equal(queryWords(long).length, queryTermsMax);
    assert.deepEqual(queryWords(`${'x'.repeat(queryLengthMax)} passport`), [
      { term: 'x'.repeat(queryLengthMax), typed: 'x'.repeat(queryLengthMax) },
    ]);
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
      const words = queryWords(text);
      assert.ok(words.length <= queryTermsMax);
      for (const word of words) assert.match(word.typed, /^[\p{L}\p{N}]+$/u);
    }));
  });

  it('knows Swahili and English equivalents both ways', () => {
    assert.ok(equivalentTerms('pasipoti').includes('passport'));
    assert.ok(equivalentTerms('passport').includes('pasipoti'));
    assert.ok(equivalentTerms('leseni').includes('licence'));
    assert.ok(equivalentTerms('license').includes('licence'), 'spelling variants too');
    assert.deepEqual(equivalentTerms('zzz'), []);
  });
});

describe('result text store', () => {
  it('gives back what was stored, with empty text as null', () => {
    const store = new DisplayTextStore();
    const records = [
      { slug: 'a', nameEn: 'Passport', nameSw: 'Pasipoti', summaryEn: null, summarySw: '' },
      { slug: 'b', nameEn: 'Ünïcödé ✓ 𝄞', nameSw: null, summaryEn: 'x', summarySw: 'y' },
    ];
    const numbers = records.map((record) => store.add(record));
    store.compact();
    assert.deepEqual(numbers, [0, 1]);
    assert.equal(store.get(0, 'nameSw'), 'Pasipoti');
    assert.equal(store.get(0, 'summaryEn'), null);
    assert.equal(store.get(0, 'summarySw'), null);
    assert.equal(store.get(1, 'nameEn'), 'Ünïcödé ✓ 𝄞');
    assert.equal(store.get(1, 'summarySw'), 'y');
  });

  it('round-trips any text through growth', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 300 }),
      { minLength: 1, maxLength: 400 }), (texts) => {
      const store = new DisplayTextStore();
      for (const text of texts) {
        store.add({ slug: text, nameEn: 'n', nameSw: null, summaryEn: null, summarySw: null });
      }
      texts.forEach((text, index) => {
        assert.equal(store.get(index, 'slug') ?? '', text.toWellFormed());
      });
    }), { numRuns: 30 });
  });

  it('cuts long summaries at a word', () => {
    const words = Array.from({ length: 100 }, () => 'word').join(' ');
    const summary = summarise(words) ?? '';
    assert.ok(summary.length <= summaryLengthMax + 1);
    assert.ok(summary.endsWith('word…'));
    assert.equal(summarise('  short  '), 'short');
    assert.equal(summarise('   '), null);
  });
});
