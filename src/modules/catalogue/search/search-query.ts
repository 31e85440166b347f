/**
 * Runs a query against a SearchIndex: each word expands to the terms it may mean (itself, its
 * Swahili/English equivalents, completions of it as a prefix, corrections of a typo), each
 * with a multiplier below 1 for anything but the word itself. A service matches a word when
 * any expansion matches its own text or its agency's or ministry's; its score for the word is
 * the best expansion's BM25 score. Services must match every word; when none does, those
 * matching any word are returned. Ties are broken by name, so results are stable.
 *
 * Synchronous on purpose: the scratch arrays are shared by all queries on one index, which is
 * safe because no query yields to the event loop while it uses them.
 */
import type { Language } from '#web/index.ts';
import { equivalentTerms } from './search-glossary.ts';
import type { Postings, SearchIndex } from './search-index.ts';
import type { QueryWord } from './search-text.ts';
import {
  corrections,
  fuzzyCompletions,
  prefixLengthMin,
  prefixRange,
} from './search-vocabulary.ts';

/** How many completions one prefix expands to (the most frequent are kept). */
export const prefixExpansionsMax = 40;
/** How many corrections one misspelt word expands to (the most frequent are kept). */
export const correctionExpansionsMax = 12;
/** A query word found this often in the catalogue is not also read as a typo of another. */
export const trustedWordFrequencyMin = 5;

const multiplierExact = 1;
const multiplierEquivalent = 0.9;
const multiplierPrefix = 0.7;
const multiplierOneTypo = 0.5;
const multiplierTwoTypos = 0.3;
const multiplierFuzzyPrefix = 0.3;

export type IndexQuery = Readonly<{
  words: readonly QueryWord[];
  /** Only documents in [first, end). */
  firstDocument: number;
  endDocument: number;
  language: Language;
  offset: number;
  limit: number;
}>;

export type IndexResult = Readonly<{ documents: readonly number[]; total: number }>;

type Variant = Readonly<{ term: number; multiplier: number }>;

/** The terms one query word stands for, best multiplier per term. */
export function expandWord(index: SearchIndex, word: QueryWord): Variant[] {
  const { vocabulary } = index;
  const best = new Map<number, number>();
  const offer = (term: number | undefined, multiplier: number) => {
    if (term === undefined) return;
    if ((best.get(term) ?? 0) < multiplier) best.set(term, multiplier);
  };
  offer(vocabulary.idOf.get(word.term), multiplierExact);
  offer(vocabulary.idOf.get(word.typed), multiplierExact);
  for (const other of equivalentTerms(word.term)) {
    offer(vocabulary.idOf.get(other), multiplierEquivalent);
  }
  if (word.typed.length >= prefixLengthMin) {
    const [start, end] = prefixRange(vocabulary, word.typed);
    const completions = mostFrequent(index, rangeOf(start, end), prefixExpansionsMax);
    for (const term of completions) offer(term, multiplierPrefix);
  }
  // A word the catalogue uses often is taken as meant, not as a typo of a neighbour
  // ("kodi" is tax, not a misspelt "bodi"): precision, and much less work on common words.
  const exact = vocabulary.idOf.get(word.term) ?? vocabulary.idOf.get(word.typed);
  if (exact !== undefined && frequency(index, exact) >= trustedWordFrequencyMin) {
    return [...best].map(([term, multiplier]) => ({ term, multiplier }));
  }
  const fuzzy = fuzzyCompletions(vocabulary, word.typed);
  for (const term of mostFrequent(index, fuzzy, prefixExpansionsMax)) {
    offer(term, multiplierFuzzyPrefix);
  }
  const fixes = [...corrections(vocabulary, word.term), ...corrections(vocabulary, word.typed)];
  const oneEdit = mostFrequent(index, fixes.filter((f) => f.distance === 1).map((f) => f.termId),
    correctionExpansionsMax);
  for (const term of oneEdit) offer(term, multiplierOneTypo);
  const twoEdits = mostFrequent(index, fixes.filter((f) => f.distance === 2).map((f) => f.termId),
    correctionExpansionsMax);
  for (const term of twoEdits) offer(term, multiplierTwoTypos);
  return [...best].map(([term, multiplier]) => ({ term, multiplier }));
}

function rangeOf(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, offset) => start + offset);
}

function postingCount(postings: Postings, term: number): number {
  return (postings.start[term + 1] ?? 0) - (postings.start[term] ?? 0);
}

function frequency(index: SearchIndex, term: number): number {
  return postingCount(index.services, term) + postingCount(index.agencyPostings, term) +
    postingCount(index.ministryPostings, term);
}

function mostFrequent(index: SearchIndex, terms: readonly number[], count: number): number[] {
  const unique = [...new Set(terms)];
  if (unique.length <= count) return unique;
  return unique.map((term) => [term, frequency(index, term)] as const)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, count).map(([term]) => term);
}

/** Per-index scratch space, reused by every query (see the note at the top). */
type Scratch = {
  current: Float32Array;
  currentStamp: Uint32Array;
  best: Float32Array;
  bestStamp: Uint32Array;
  score: Float32Array;
  matched: Uint8Array;
  variantTouched: Uint32Array;
  wordTouched: Uint32Array;
  queryTouched: Uint32Array;
  candidates: Uint32Array;
  stamp: number;
};

const stampMax = 0xffff_fff0;

export type QueryRunner = (query: IndexQuery) => IndexResult;

export function createQueryRunner(index: SearchIndex): QueryRunner {
  const size = index.documentCount;
  const scratch: Scratch = {
    current: new Float32Array(size), currentStamp: new Uint32Array(size),
    best: new Float32Array(size), bestStamp: new Uint32Array(size),
    score: new Float32Array(size), matched: new Uint8Array(size),
    variantTouched: new Uint32Array(size), wordTouched: new Uint32Array(size),
    queryTouched: new Uint32Array(size), candidates: new Uint32Array(size), stamp: 0,
  };
  return (query) => query.words.length === 0
    ? browse(index, query)
    : rank(index, scratch, query);
}

function nextStamp(scratch: Scratch): number {
  if (scratch.stamp >= stampMax) {
    scratch.currentStamp.fill(0);
    scratch.bestStamp.fill(0);
    scratch.stamp = 0;
  }
  scratch.stamp += 1;
  return scratch.stamp;
}

/** Sums one expansion's contributions per document into `current`; returns the count. */
function scoreVariant(
  index: SearchIndex, scratch: Scratch, query: IndexQuery, variant: Variant,
): number {
  const stamp = nextStamp(scratch);
  const { current, currentStamp, variantTouched } = scratch;
  let touched = 0;
  const first = query.firstDocument;
  const end = query.endDocument;
  const factor = (index.inverseFrequency[variant.term] ?? 0) * variant.multiplier;
  const add = (document: number, value: number) => {
    if (currentStamp[document] !== stamp) {
      currentStamp[document] = stamp;
      current[document] = value;
      variantTouched[touched] = document;
      touched += 1;
    } else {
      current[document] = (current[document] ?? 0) + value;
    }
  };
  const { start, targets, weights } = index.services;
  const slotEnd = start[variant.term + 1] ?? 0;
  let slot = lowerBound(targets, first, start[variant.term] ?? 0, slotEnd);
  for (; slot < slotEnd; slot += 1) {
    const document = targets[slot] ?? 0;
    if (document >= end) break;
    add(document, factor * (weights[slot] ?? 0));
  }
  for (const [postings, groups] of [
    [index.agencyPostings, index.agencies], [index.ministryPostings, index.ministries],
  ] as const) {
    const groupEnd = postings.start[variant.term + 1] ?? 0;
    for (let entry = postings.start[variant.term] ?? 0; entry < groupEnd; entry += 1) {
      const group = groups[postings.targets[entry] ?? 0];
      if (group === undefined) continue;
      const value = factor * (postings.weights[entry] ?? 0);
      const high = Math.min(group.endDocument, end);
      for (let document = Math.max(group.firstDocument, first); document < high; document += 1) {
        add(document, value);
      }
    }
  }
  return touched;
}

/** Scores one word into `best` (the best expansion per document); returns the count. */
function scoreWord(
  index: SearchIndex, scratch: Scratch, query: IndexQuery, word: QueryWord,
): number {
  let touched = 0;
  const stamp = nextStamp(scratch);
  const { best, bestStamp, current, variantTouched, wordTouched } = scratch;
  for (const variant of expandWord(index, word)) {
    const count = scoreVariant(index, scratch, query, variant);
    for (let position = 0; position < count; position += 1) {
      const document = variantTouched[position] ?? 0;
      const value = current[document] ?? 0;
      if (bestStamp[document] !== stamp) {
        bestStamp[document] = stamp;
        best[document] = value;
        wordTouched[touched] = document;
        touched += 1;
      } else if (value > (best[document] ?? 0)) {
        best[document] = value;
      }
    }
  }
  return touched;
}

function rank(index: SearchIndex, scratch: Scratch, query: IndexQuery): IndexResult {
  const { best, score, matched, wordTouched, queryTouched } = scratch;
  let touched = 0;
  for (const word of query.words) {
    const count = scoreWord(index, scratch, query, word);
    for (let position = 0; position < count; position += 1) {
      const document = wordTouched[position] ?? 0;
      if ((matched[document] ?? 0) === 0) {
        score[document] = best[document] ?? 0;
        queryTouched[touched] = document;
        touched += 1;
      } else {
        score[document] = (score[document] ?? 0) + (best[document] ?? 0);
      }
      matched[document] = (matched[document] ?? 0) + 1;
    }
  }
  const wordCount = query.words.length;
  const { candidates } = scratch;
  let count = 0;
  for (let position = 0; position < touched; position += 1) {
    const document = queryTouched[position] ?? 0;
    if (matched[document] === wordCount) {
      candidates[count] = document;
      count += 1;
    }
  }
  // No service matches every word: rank those matching any.
  const pool = count === 0 && wordCount > 1
    ? queryTouched.subarray(0, touched)
    : candidates.subarray(0, count);
  const nameRank = index.nameRank[query.language];
  const before = (a: number, b: number) => {
    const difference = (score[b] ?? 0) - (score[a] ?? 0);
    return difference !== 0 ? difference : (nameRank[a] ?? 0) - (nameRank[b] ?? 0);
  };
  const documents = topSlice(pool, query.offset, query.limit, before);
  for (let position = 0; position < touched; position += 1) {
    matched[queryTouched[position] ?? 0] = 0;
  }
  return { documents, total: pool.length };
}

function browse(index: SearchIndex, query: IndexQuery): IndexResult {
  const total = Math.max(0, query.endDocument - query.firstDocument);
  if (total === index.documentCount) {
    const slice = index.byName[query.language].subarray(query.offset, query.offset + query.limit);
    return { documents: Array.from(slice), total };
  }
  const nameRank = index.nameRank[query.language];
  const candidates = rangeOf(query.firstDocument, query.endDocument);
  const documents = topSlice(candidates, query.offset, query.limit,
    (a, b) => (nameRank[a] ?? 0) - (nameRank[b] ?? 0));
  return { documents, total };
}

/**
 * The items [offset, offset + limit) of `items` in `before` order, without sorting them all:
 * a bounded heap keeps the best offset + limit seen so far, its worst at the root.
 */
export function topSlice(
  items: ArrayLike<number>,
  offset: number,
  limit: number,
  before: (a: number, b: number) => number,
): number[] {
  const keep = offset + limit;
  if (keep <= 0 || offset >= items.length) return [];
  if (items.length <= keep * 4) return Array.from(items).sort(before).slice(offset, keep);
  const heap: number[] = [];
  const worse = (a: number, b: number) => before(a, b) > 0;
  for (let position = 0; position < items.length; position += 1) {
    const item = items[position] ?? 0;
    if (heap.length < keep) {
      heap.push(item);
      siftUp(heap, heap.length - 1, worse);
    } else if (before(item, heap[0] ?? 0) < 0) {
      heap[0] = item;
      siftDown(heap, 0, worse);
    }
  }
  return heap.sort(before).slice(offset, keep);
}

function siftUp(heap: number[], start: number, worse: (a: number, b: number) => boolean): void {
  let child = start;
  while (child > 0) {
    const parent = (child - 1) >> 1;
    if (!worse(heap[child] ?? 0, heap[parent] ?? 0)) return;
    [heap[child], heap[parent]] = [heap[parent] ?? 0, heap[child] ?? 0];
    child = parent;
  }
}

function siftDown(heap: number[], start: number, worse: (a: number, b: number) => boolean): void {
  let parent = start;
  for (;;) {
    const left = parent * 2 + 1;
    const right = left + 1;
    let worst = parent;
    if (left < heap.length && worse(heap[left] ?? 0, heap[worst] ?? 0)) worst = left;
    if (right < heap.length && worse(heap[right] ?? 0, heap[worst] ?? 0)) worst = right;
    if (worst === parent) return;
    [heap[parent], heap[worst]] = [heap[worst] ?? 0, heap[parent] ?? 0];
    parent = worst;
  }
}

function lowerBound(values: Uint32Array, value: number, low: number, high: number): number {
  let start = low;
  let end = high;
  while (start < end) {
    const middle = (start + end) >>> 1;
    if ((values[middle] ?? 0) < value) start = middle + 1;
    else end = middle;
  }
  return start;
}
