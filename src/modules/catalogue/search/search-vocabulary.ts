/**
 * The vocabulary of the index: every distinct term, sorted, so a prefix is a contiguous range
 * (binary search), plus a deletion index for typos (the SymSpell idea: two words within n
 * edits share a string made by deleting at most n characters from each; n is 1, or 2 for
 * long words). Pure: no I/O.
 */

/** Words shorter than this are never corrected: too many short words are one edit apart. */
export const typoWordLengthMin = 4;
/** Words at least this long may be two edits away ("pasprt" -> "passport"). */
export const twoTypoWordLengthMin = 8;
/** A prefix shorter than this is not completed ("p" would match half the vocabulary). */
export const prefixLengthMin = 2;
/** A prefix at least this long is also completed with one typo in it ("licens" -> licence). */
export const fuzzyPrefixLengthMin = 5;

export type Vocabulary = Readonly<{
  /** Sorted ascending (code units); a term's id is its position here. */
  terms: readonly string[];
  idOf: ReadonlyMap<string, number>;
  /** A deleted-form -> term ids (one id, or several). */
  deletions: ReadonlyMap<string, number | readonly number[]>;
}>;

export function buildVocabulary(sortedTerms: readonly string[]): Vocabulary {
  const idOf = new Map<string, number>();
  const deletions = new Map<string, number | number[]>();
  const add = (key: string, id: number) => {
    const existing = deletions.get(key);
    if (existing === undefined) deletions.set(key, id);
    else if (typeof existing === 'number') {
      if (existing !== id) deletions.set(key, [existing, id]);
    } else if (existing.at(-1) !== id) existing.push(id);
  };
  sortedTerms.forEach((term, id) => {
    idOf.set(term, id);
    // Terms of typoWordLengthMin - 1 letters are reachable by one edit from a 4-letter word.
    if (term.length < typoWordLengthMin - 1) return;
    add(term, id);
    const once = singleDeletions(term);
    for (const deleted of once) add(deleted, id);
    // Long words may be two edits away: their two-deletion forms are indexed too.
    if (term.length < twoTypoWordLengthMin) return;
    for (const deleted of once) for (const twice of singleDeletions(deleted)) add(twice, id);
  });
  return { terms: sortedTerms, idOf, deletions };
}

function singleDeletions(word: string): Set<string> {
  const result = new Set<string>();
  for (let index = 0; index < word.length; index += 1) {
    result.add(word.slice(0, index) + word.slice(index + 1));
  }
  return result;
}

/** Ids of the terms that start with `prefix` (not the prefix itself), as a [start, end) range. */
export function prefixRange(vocabulary: Vocabulary, prefix: string): [number, number] {
  const terms = vocabulary.terms;
  const start = lowerBound(terms, prefix);
  // The range ends at the first term that does not start with the prefix.
  let high = terms.length;
  let low = start;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((terms[middle] ?? '').startsWith(prefix)) low = middle + 1;
    else high = middle;
  }
  return [start, low];
}

function lowerBound(terms: readonly string[], value: string): number {
  let low = 0;
  let high = terms.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((terms[middle] ?? '') < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Terms that start with `prefix` give or take one edit ("licens" -> "licence", "pasip" ->
 * "passport"), not those that start with it exactly (prefixRange has those). Only terms with
 * the same first letter are tried: first letters are rarely mistyped, and it bounds the work.
 * A letter-set filter rejects most terms before the edit distance is computed.
 */
export function fuzzyCompletions(vocabulary: Vocabulary, prefix: string): number[] {
  if (prefix.length < fuzzyPrefixLengthMin || prefix.length > wordLengthMax) return [];
  const [start, end] = prefixRange(vocabulary, prefix.slice(0, 1));
  const prefixLetters = letterMask(prefix, prefix.length);
  const found: number[] = [];
  for (let id = start; id < end; id += 1) {
    const term = vocabulary.terms[id] ?? '';
    if (term.length < prefix.length - 1 || term.startsWith(prefix)) continue;
    // One edit leaves at most one letter of the prefix missing from the term's start.
    if (bitCount(prefixLetters & ~letterMask(term, prefix.length + 1)) > 1) continue;
    for (let length = prefix.length - 1; length <= prefix.length + 1; length += 1) {
      if (length <= term.length && editDistanceWithin(prefix, term, 1, length) <= 1) {
        found.push(id);
        break;
      }
    }
  }
  return found;
}

/** A bit per letter (a-z; everything else shares one bit) of the first `length` characters. */
function letterMask(word: string, length: number): number {
  let mask = 0;
  const end = Math.min(length, word.length);
  for (let index = 0; index < end; index += 1) {
    const offset = word.charCodeAt(index) - 97;
    mask |= 1 << (offset >= 0 && offset < 26 ? offset : 26);
  }
  return mask;
}

function bitCount(value: number): number {
  let count = 0;
  for (let rest = value; rest !== 0; rest &= rest - 1) count += 1;
  return count;
}

export type Correction = Readonly<{ termId: number; distance: 1 | 2 }>;

/**
 * Terms within the allowed edit distance of `word` (1, or 2 for long words), not the word
 * itself. Distance is optimal string alignment: a swap of two neighbours counts as one edit.
 */
export function corrections(vocabulary: Vocabulary, word: string): Correction[] {
  if (word.length < typoWordLengthMin || word.length > wordLengthMax) return [];
  const distanceMax = word.length >= twoTypoWordLengthMin ? 2 : 1;
  const keys = new Set<string>([word, ...singleDeletions(word)]);
  if (distanceMax === 2) {
    for (const once of [...keys]) for (const twice of singleDeletions(once)) keys.add(twice);
  }
  const candidates = new Set<number>();
  for (const key of keys) {
    const found = vocabulary.deletions.get(key);
    if (found === undefined) continue;
    if (typeof found === 'number') candidates.add(found);
    else for (const id of found) candidates.add(id);
  }
  const result: Correction[] = [];
  for (const id of candidates) {
    const term = vocabulary.terms[id] ?? '';
    if (term === word) continue;
    const distance = editDistanceWithin(word, term, distanceMax);
    if (distance > distanceMax) continue;
    if (distance === 1 || distance === 2) result.push({ termId: id, distance });
  }
  return result;
}

/** Longer words are not compared (nobody types them; it bounds the scratch rows). */
export const wordLengthMax = 64;
const rows = [0, 1, 2].map(() => new Int32Array(wordLengthMax + 2));

/**
 * Optimal string alignment distance between a and the first bLength characters of b (all of
 * b by default), or distanceMax + 1 when it is larger (the computation stops early).
 * Allocation-free: it runs thousands of times per query.
 */
export function editDistanceWithin(
  a: string, b: string, distanceMax: number, bLength = b.length,
): number {
  const width = Math.min(bLength, b.length);
  if (Math.abs(a.length - width) > distanceMax) return distanceMax + 1;
  if (a.length > wordLengthMax || width > wordLengthMax) return distanceMax + 1;
  let [previousPrevious, previous, current] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= width; j += 1) previous[j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    let rowMin = i;
    const letter = a.charCodeAt(i - 1);
    for (let j = 1; j <= width; j += 1) {
      const cost = letter === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && letter === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        value = Math.min(value, (previousPrevious[j - 2] ?? 0) + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > distanceMax) return distanceMax + 1;
    [previousPrevious, previous, current] = [previous, current, previousPrevious];
  }
  const distance = previous[width] ?? distanceMax + 1;
  return distance > distanceMax ? distanceMax + 1 : distance;
}
