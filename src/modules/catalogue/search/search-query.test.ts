/**
 * The query runner reuses its scratch arrays from one query to the next (scores, counts,
 * stamps); nothing of one query may leak into the next. A runner that has answered any
 * sequence of queries must answer each exactly as a runner that never answered anything.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { uuidv7 } from '#platform/ids/index.ts';
import { startSearchIndex, type SearchIndex } from './search-index.ts';
import { createQueryRunner, type IndexQuery } from './search-query.ts';
import { queryWords } from './search-text.ts';

const text = (nameEn: string, nameSw: string | null = null) =>
  ({ nameEn, nameSw, descriptionEn: null, descriptionSw: null });

function smallIndex(): SearchIndex {
  const ministries = [
    { id: uuidv7(), slug: 'interior', ...text('Ministry of Interior', 'Wizara ya Ndani') },
    { id: uuidv7(), slug: 'transport', ...text('Ministry of Transport', 'Wizara ya Uchukuzi') },
  ];
  const agencies = [
    { id: uuidv7(), slug: 'immigration', ministryId: ministries[0]?.id ?? '',
      ...text('Department of Immigration', 'Idara ya Uhamiaji') },
    { id: uuidv7(), slug: 'ntsa', ministryId: ministries[1]?.id ?? '',
      ...text('Transport and Safety Authority permit office') },
  ];
  const builder = startSearchIndex(ministries, agencies);
  const names = ['Passport Application', 'Passport Renewal', 'Driving Licence Renewal',
    'Driving Licence Application', 'Work Permit', 'Business Permit', 'Birth Certificate',
    'Certificate of Good Conduct', 'Vehicle Logbook Transfer', 'Visa Application'];
  names.forEach((name, position) => builder.addService({
    id: uuidv7(), slug: `service-${position}`, agencyId: agencies[position % 2]?.id ?? '',
    ...text(name, position % 3 === 0 ? `Huduma ${name}` : null),
  }));
  return builder.finish();
}

const typed = ['passport', 'pasport', 'pass', 'licence', 'driving licence', 'permit', 'permt',
  'renewal application', 'certificate', 'transport', 'ndani', 'huduma', 'nothing here',
  'visa passport', 'immigration permit'];

describe('query runner scratch space', () => {
  const index = smallIndex();
  const queryOf = (words: string, first: number, end: number, page: number): IndexQuery => ({
    words: queryWords(words), firstDocument: first, endDocument: end, language: 'en',
    offset: page * 3, limit: 3,
  });
  const arbitraryQuery = fc.record({
    words: fc.constantFrom(...typed),
    first: fc.nat({ max: 4 }),
    span: fc.nat({ max: 10 }),
    page: fc.nat({ max: 2 }),
  }).map(({ words, first, span, page }) =>
    queryOf(words, first, Math.min(index.documentCount, first + span), page));

  it('answers every query as a fresh runner would, whatever came before (property)', () => {
    fc.assert(fc.property(fc.array(arbitraryQuery, { minLength: 1, maxLength: 25 }),
      (queries) => {
        const shared = createQueryRunner(index);
        for (const query of queries) {
          assert.deepEqual(shared(query), createQueryRunner(index)(query));
        }
      }));
  });

  it('matches the services every word matches, or else those any word matches (property)', () => {
    const run = createQueryRunner(index);
    const everything = (words: string) => new Set(run({ words: queryWords(words),
      firstDocument: 0, endDocument: index.documentCount, language: 'en', offset: 0,
      limit: index.documentCount }).documents);
    fc.assert(fc.property(fc.array(fc.constantFrom(...typed), { minLength: 2, maxLength: 3 }),
      (parts) => {
        const each = parts.flatMap((part) => queryWords(part).map((word) => word.typed))
          .map((word) => everything(word));
        const all = [...(each[0] ?? [])].filter((document) => each.every((set) =>
          set.has(document)));
        const any = new Set(each.flatMap((set) => [...set]));
        const found = everything(parts.join(' '));
        assert.deepEqual([...found].sort(), (all.length > 0 ? all : [...any]).sort());
      }));
  });

  it('finds what it should: every word matched, totals exact, fallback to any word', () => {
    const run = createQueryRunner(index);
    const all = (words: string) => run(queryOf(words, 0, index.documentCount, 0));
    assert.equal(all('passport').total, 2);
    assert.equal(all('driving licence').total, 2);
    assert.equal(all('renewal application').total, 5, 'no service has both: any of them');
    assert.equal(all('visa application').total, 1, 'both words when some service has both');
    assert.ok(all('pasport').total >= 2, 'a typo still finds passports');
    assert.equal(all('transport').total, 5, 'an agency word reaches the agency\'s services');
  });
});
