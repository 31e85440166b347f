/**
 * The vocabulary of the index: every distinct term, sorted, so a prefix is a contiguous range
 * (binary search), plus a deletion index for typos (the SymSpell idea: two words within one
 * edit share a string made by deleting at most one character from each). Pure: no I/O.
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
    for (const deleted of singleDeletions(term)) add(deleted, id);
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
 */
export function fuzzyCompletions(vocabulary: Vocabulary, prefix: string): number[] {
  if (prefix.length < fuzzyPrefixLengthMin) return [];
  const [start, end] = prefixRange(vocabulary, prefix.slice(0, 1));
  const found: number[] = [];
  for (let id = start; id < end; id += 1) {
    const term = vocabulary.terms[id] ?? '';
    if (term.length < prefix.length - 1 || term.startsWith(prefix)) continue;
    for (let length = prefix.length - 1; length <= prefix.length + 1; length += 1) {
      if (length <= term.length && editDistanceWithin(prefix, term.slice(0, length), 1) <= 1) {
        found.push(id);
        break;
      }
    }
  }
  return found;
}

export type Correction = Readonly<{ termId: number; distance: 1 | 2 }>;

/**
 * Terms within the allowed edit distance of `word` (1, or 2 for long words), not the word
 * itself. Distance is optimal string alignment: a swap of two neighbours counts as one edit.
 */
export function corrections(vocabulary: Vocabulary, word: string): Correction[] {
  if (word.length < typoWordLengthMin) return [];
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
    if (distance === 1 || distance === 2) result.push({ termId: id, distance });
  }
  return result;
}

/**
 * Optimal string alignment distance between a and b, or distanceMax + 1 when it is larger
 * (the computation stops early). Exported for tests.
 */
export function editDistanceWithin(a: string, b: string, distanceMax: number): number {
  if (Math.abs(a.length - b.length) > distanceMax) return distanceMax + 1;
  const width = b.length + 1;
  let previousPrevious = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, index) => index);
  let current = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (previousPrevious[j - 2] ?? 0) + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > distanceMax) return distanceMax + 1;
    [previousPrevious, previous, current] = [previous, current, previousPrevious];
  }
  const distance = previous[b.length] ?? distanceMax + 1;
  return distance > distanceMax ? distanceMax + 1 : distance;
}
