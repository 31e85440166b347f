/**
 * A search result as shown (names in the asked language, summary, agency and ministry), read
 * from the index's display store. Decoding a hit's text from UTF-8 and its id from bytes is
 * most of what a cached search costs, so each index keeps its most recently shown hits
 * (a bounded LRU per language and document; hits are immutable, a rebuilt index starts empty).
 */
import type { Language } from '#web/index.ts';
import type { DisplayField } from './search-display.ts';
import { serviceIdOf, type SearchIndex } from './search-index.ts';
import { createLru } from './search-lru.ts';
import type { ServiceSearchHit } from './search-types.ts';

export type HitReader = (document: number, language: Language) => ServiceSearchHit | undefined;

type Named = Readonly<{ slug: string; nameEn: string; nameSw: string | null }>;

/** Reads hits from the index, through a cache of entriesMax hits (0: no cache). */
export function createHitReader(index: SearchIndex, entriesMax: number): HitReader {
  const hits = createLru<number, ServiceSearchHit>(entriesMax);
  const languageSlots = 2;
  return (document, language) => {
    if (entriesMax <= 0) return readHit(index, document, language);
    const key = document * languageSlots + (language === 'sw' ? 1 : 0);
    const cached = hits.get(key);
    if (cached !== undefined) return cached;
    const hit = readHit(index, document, language);
    if (hit !== undefined) hits.set(key, hit);
    return hit;
  };
}

function readHit(index: SearchIndex, document: number, language: Language):
  ServiceSearchHit | undefined {
  const agency = index.agencies[index.agencyOfDocument[document] ?? 0];
  const ministry = index.ministries[agency?.parent ?? -1];
  if (agency === undefined || ministry === undefined) return undefined;
  return Object.freeze(hitOf(index, document, language, agency, ministry));
}

function hitOf(
  index: SearchIndex, document: number, language: Language, agency: Named, ministry: Named,
): ServiceSearchHit {
  const record = index.displayRecordOf[document] ?? 0;
  const text = (field: DisplayField) => index.display.get(record, field);
  const pick = (english: string, swahili: string | null) =>
    language === 'sw' && swahili !== null && swahili !== '' ? swahili : english;
  const nameEn = text('nameEn') ?? '';
  return {
    id: serviceIdOf(index, document),
    slug: text('slug') ?? '',
    name: pick(nameEn, text('nameSw')),
    summary: language === 'sw' ? text('summarySw') ?? text('summaryEn') : text('summaryEn'),
    agencyName: pick(agency.nameEn, agency.nameSw),
    agencySlug: agency.slug,
    ministryName: pick(ministry.nameEn, ministry.nameSw),
    ministrySlug: ministry.slug,
  };
}
