/**
 * The benchmark's query mix: what people type into a government service search box on a
 * phone. Whole words, words half typed (prefixes, as-you-type), typos, Swahili, several
 * words, filters by ministry and agency, browsing pages, and a few deep pages.
 */

export type MixQuery = Readonly<{
  text: string;
  ministrySlug?: string;
  agencySlug?: string;
  page: number;
  pageSize: number;
  language: 'en' | 'sw';
}>;

const words: readonly string[] = [
  'passport', 'driving licence', 'birth certificate', 'business permit', 'land search',
  'work permit', 'marriage certificate', 'police clearance', 'tax compliance', 'visa',
  'company registration', 'logbook transfer', 'liquor licence', 'fishing', 'pharmacy',
];
const prefixes: readonly string[] = [
  'pass', 'passp', 'lic', 'licen', 'birth cert', 'busi', 'regis', 'cert', 'per', 'tit',
  'drivin', 'impo', 'expo', 'mar', 'hea',
];
const typos: readonly string[] = [
  'pasport', 'licens', 'certficate', 'regstration', 'buisness permit', 'drivng licence',
  'marraige', 'inspecton', 'renwal', 'pasprt', 'permt', 'aplication',
];
const swahili: readonly string[] = [
  'pasipoti', 'leseni', 'leseni ya udereva', 'cheti cha kuzaliwa', 'kibali cha biashara',
  'ardhi', 'usajili wa kampuni', 'kibali cha kazi', 'cheti cha ndoa', 'kodi',
];
const common: readonly string[] = ['application', 'renewal', 'certificate', 'kenya', 'fee'];

/** A deterministic pseudo-random sequence, so every run sends the same mix. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

/**
 * `count` queries: 25% whole words, 20% prefixes, 15% typos, 15% Swahili, 5% very common
 * words, 10% filtered (half by ministry, half by agency), 10% browsing (a few deep pages).
 */
export function buildQueryMix(
  count: number,
  ministrySlugs: readonly string[],
  agencySlugs: readonly string[],
): MixQuery[] {
  const random = seeded(20_261_128);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const base = { page: 1, pageSize: 20, language: 'en' as const };
  const result: MixQuery[] = [];
  for (let index = 0; index < count; index += 1) {
    const roll = random();
    if (roll < 0.25) result.push({ ...base, text: pick(words) });
    else if (roll < 0.45) result.push({ ...base, text: pick(prefixes) });
    else if (roll < 0.6) result.push({ ...base, text: pick(typos) });
    else if (roll < 0.75) result.push({ ...base, text: pick(swahili), language: 'sw' });
    else if (roll < 0.8) result.push({ ...base, text: pick(common) });
    else if (roll < 0.85 && ministrySlugs.length > 0) {
      result.push({ ...base, text: pick([...words, '']), ministrySlug: pick(ministrySlugs) });
    } else if (roll < 0.9 && agencySlugs.length > 0) {
      result.push({ ...base, text: pick([...prefixes, '']), agencySlug: pick(agencySlugs) });
    } else {
      const page = random() < 0.8 ? 1 + Math.floor(random() * 5) : 10 + Math.floor(random() * 40);
      result.push({ ...base, text: '', page });
    }
  }
  return result;
}

/** The API path for a query. */
export function queryPath(query: MixQuery): string {
  const parameters = new URLSearchParams();
  if (query.text !== '') parameters.set('q', query.text);
  if (query.ministrySlug !== undefined) parameters.set('ministry', query.ministrySlug);
  if (query.agencySlug !== undefined) parameters.set('agency', query.agencySlug);
  if (query.page !== 1) parameters.set('page', String(query.page));
  if (query.language !== 'en') parameters.set('lang', query.language);
  const text = parameters.toString();
  return `/api/v1/services${text === '' ? '' : `?${text}`}`;
}

/** p-th percentile (0..100) of durations, nearest-rank. */
export function percentile(sortedValues: readonly number[], p: number): number {
  if (sortedValues.length === 0) return Number.NaN;
  const rank = Math.min(sortedValues.length - 1, Math.ceil(p / 100 * sortedValues.length) - 1);
  return sortedValues[Math.max(0, rank)] ?? Number.NaN;
}
