/**
 * How text becomes search terms, the same way for the catalogue and for what people type:
 * lower case, accents folded (like PostgreSQL's unaccent), split on anything that is not a
 * letter or digit, a short stop list (English and Swahili) dropped, and English plurals
 * folded ("passports" -> "passport", "fees" -> "fee", "companies" -> "company").
 * Pure functions: no I/O.
 */

/** Longer text is cut here, so no query can make the engine do unbounded work. */
export const queryLengthMax = 200;
/** Words beyond this many in one query are ignored (they would only slow the query down). */
export const queryTermsMax = 8;

/**
 * Words too common to help ranking. Kept short on purpose: a word that is a real service
 * word in either language ("cheti", "leseni") must never be here.
 */
const stopWords: ReadonlySet<string> = new Set([
  // English
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'in', 'into', 'is', 'it',
  'of', 'on', 'or', 'the', 'to', 'with', 'your', 'you', 'my', 'how', 'i', 'do',
  // Swahili
  'na', 'ya', 'wa', 'la', 'za', 'kwa', 'cha', 'vya', 'katika', 'ni', 'au', 'kutoka', 'hadi',
]);

const combiningMarks = /\p{M}+/gu;
const wordPattern = /[\p{L}\p{N}]+/gu;

/** Lower case with accents removed: "Élan" -> "elan". */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(combiningMarks, '').toLowerCase();
}

/** Folds English plural endings; Swahili words seldom end in "s", so they pass unchanged. */
export function stemWord(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) {
    return word.slice(0, -1);
  }
  return word;
}

/** The words of a text, folded, before stop words and stemming (used for prefixes). */
export function foldedWords(text: string): string[] {
  return foldText(text).match(wordPattern) ?? [];
}

export function isStopWord(word: string): boolean {
  return stopWords.has(word);
}

/** The index terms of a catalogue text: folded, stop words dropped, plurals folded. */
export function indexTerms(text: string | null | undefined): string[] {
  if (text === null || text === undefined || text === '') return [];
  const terms: string[] = [];
  for (const word of foldedWords(text)) {
    if (!stopWords.has(word)) terms.push(stemWord(word));
  }
  return terms;
}

/** One word of a query: the stemmed term, and the word as typed (folded) for prefixes. */
export type QueryWord = Readonly<{ term: string; typed: string }>;

/**
 * The words of a query, bounded in length and count, stop words dropped, duplicates removed.
 * Never throws, whatever the input.
 */
export function queryWords(text: string): QueryWord[] {
  const words = foldedWords(text.slice(0, queryLengthMax));
  const seen = new Set<string>();
  const result: QueryWord[] = [];
  for (const typed of words) {
    if (stopWords.has(typed)) continue;
    const term = stemWord(typed);
    if (seen.has(term)) continue;
    seen.add(term);
    result.push({ term, typed });
    if (result.length === queryTermsMax) break;
  }
  return result;
}
