import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { topDocuments } from './search-top.ts';
import {
  buildVocabulary,
  corrections,
  editDistanceWithin,
  fuzzyCompletions,
  prefixRange,
} from './search-vocabulary.ts';

/** The textbook optimal-string-alignment distance, to check the fast one against. */
function referenceDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, at(i - 2, j - 2) + 1);
      }
      const row = d[i];
      if (row !== undefined) row[j] = value;
    }
  }
  return at(a.length, b.length);
}

const vocabulary = buildVocabulary([
  'application', 'business', 'certificate', 'licence', 'license', 'pass', 'passport',
  'passports', 'pasipoti', 'permit', 'vehicle',
].sort());
const termsOf = (ids: readonly number[]) => ids.map((id) => vocabulary.terms[id]).sort();

describe('vocabulary', () => {
  it('computes the bounded edit distance exactly', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 9 });
    fc.assert(fc.property(word, word, fc.integer({ min: 0, max: 3 }), (a, b, bound) => {
      const exact = referenceDistance(a, b);
      assert.equal(editDistanceWithin(a, b, bound), exact <= bound ? exact : bound + 1);
    }), { numRuns: 2_000 });
    assert.equal(editDistanceWithin('pasport', 'passport', 2), 1);
    assert.equal(editDistanceWithin('vheicle', 'vehicle', 2), 1, 'a swap is one edit');
    assert.equal(editDistanceWithin('licens', 'licence', 2, 6), 1, 'against a prefix');
  });

  it('finds the range of terms under a prefix', () => {
    const [start, end] = prefixRange(vocabulary, 'pass');
    assert.deepEqual(vocabulary.terms.slice(start, end), ['pass', 'passport', 'passports']);
    const [none, noneEnd] = prefixRange(vocabulary, 'zz');
    assert.equal(noneEnd - none, 0);
  });

  it('corrects typos within one edit, two for long words', () => {
    assert.deepEqual(termsOf(corrections(vocabulary, 'pasport').map((c) => c.termId)),
      ['passport']);
    assert.deepEqual(termsOf(corrections(vocabulary, 'licence').map((c) => c.termId)),
      ['license']);
    assert.deepEqual(termsOf(corrections(vocabulary, 'certficat').map((c) => c.termId)),
      ['certificate'], 'two letters missing from a long word');
    assert.deepEqual(termsOf(corrections(vocabulary, 'sertifikate').map((c) => c.termId)),
      ['certificate'], 'two letters wrong in a long word');
    assert.deepEqual(corrections(vocabulary, 'pas'), [], 'short words are not corrected');
    const found = corrections(vocabulary, 'pasport').find((c) => c.distance === 1);
    assert.equal(found?.distance, 1);
  });

  it('finds every correction a brute-force scan finds within one edit', () => {
    const letters = fc.constantFrom('p', 'a', 's', 'o', 'r', 't', 'l', 'i', 'c', 'e', 'n');
    fc.assert(fc.property(fc.string({ unit: letters, minLength: 4, maxLength: 7 }), (word) => {
      const expected = vocabulary.terms
        .filter((term) => term !== word && referenceDistance(word, term) === 1).sort();
      const found = termsOf(corrections(vocabulary, word)
        .filter((c) => c.distance === 1).map((c) => c.termId));
      assert.deepEqual(found, expected);
    }), { numRuns: 500 });
  });

  it('completes prefixes with one typo in them', () => {
    assert.deepEqual(termsOf(fuzzyCompletions(vocabulary, 'licens')), ['licence']);
    assert.deepEqual(termsOf(fuzzyCompletions(vocabulary, 'paspor')), ['passport', 'passports']);
    assert.deepEqual(fuzzyCompletions(vocabulary, 'lic'), [], 'too short to guess');
  });
});

describe('top documents', () => {
  it('equals sorting every match by score, then name, and slicing', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 300 }),
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 1, max: 25 }),
      fc.boolean(),
      (values, offset, limit, byScore) => {
        const count = values.length;
        const score = Float32Array.from(values, (value) => value / 3);
        // Name order: a fixed shuffle of the documents.
        const byName = Uint32Array.from({ length: count }, (_, rank) => (rank * 7919) % count);
        const ranks = new Set(byName);
        if (ranks.size !== count) return;
        const nameRank = new Uint32Array(count);
        byName.forEach((document, rank) => {
          nameRank[document] = rank;
        });
        const pool = Uint32Array.from({ length: count }, (_, document) => document);
        const expected = [...pool].sort((a, b) =>
          (byScore ? (score[b] ?? 0) - (score[a] ?? 0) : 0) ||
          (nameRank[a] ?? 0) - (nameRank[b] ?? 0)).slice(offset, offset + limit);
        const bits = byScore ? new Uint32Array(score.buffer) : undefined;
        assert.deepEqual(topDocuments(pool, bits, nameRank, byName, offset, limit), expected);
      },
    ), { numRuns: 500 });
  });
});
