/**
 * Runs a query against a SearchIndex: each word expands to the terms it may mean (itself, its
 * Swahili/English equivalents, completions of it as a prefix, corrections of a typo), each
 * with a multiplier below 1 for anything but the word itself. A service matches a word when
 * any expansion matches its own text or its agency's or ministry's; its score for the word is
 * the sum of the expansions' BM25 scores. Services must match every word; when none does, those
 * matching any word are returned. Ties are broken by name, so results are stable.
 *
 * Synchronous on purpose: the scratch arrays are shared by all queries on one index, which is
 * safe because no query yields to the event loop while it uses them.
 */
import type { Language } from '#web/index.ts';
import { equivalentTerms } from './search-glossary.ts';
import type { Postings, SearchIndex } from './search-index.ts';
import type { QueryWord } from './search-text.ts';
import { topDocuments } from './search-top.ts';
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
  score: Float32Array;
  /** The same memory as score, read as bits (see search-top.ts). */
  scoreBits: Uint32Array;
  wordStamp: Uint32Array;
  /** The query a document was last touched by: its score and matched count are that query's. */
  queryStamp: Uint32Array;
  matched: Uint8Array;
  queryTouched: Uint32Array;
  candidates: Uint32Array;
  stamp: number;
  query: number;
};

const stampMax = 0xffff_fff0;

export type QueryRunner = (query: IndexQuery) => IndexResult;

export function createQueryRunner(index: SearchIndex): QueryRunner {
  const size = index.documentCount;
  const score = new Float32Array(size);
  const scratch: Scratch = {
    score, scoreBits: new Uint32Array(score.buffer), wordStamp: new Uint32Array(size),
    queryStamp: new Uint32Array(size), matched: new Uint8Array(size),
    queryTouched: new Uint32Array(size), candidates: new Uint32Array(size), stamp: 0, query: 0,
  };
  return (query) => query.words.length === 0
    ? browse(index, query)
    : rank(index, scratch, query);
}

/**
 * Adds one word's expansions to the scores, in one pass over their postings; returns the new
 * count of touched documents. A document's score for the word is the sum over expansions
 * (Lucene does the same for an expanded term), and it counts once as matching the word.
 * The hot loop: plain typed-array code, no closures (a closure over the count costs 5x).
 */
function scoreWord(
  index: SearchIndex, scratch: Scratch, query: IndexQuery, word: QueryWord, touched: number,
): number {
  if (scratch.stamp >= stampMax) {
    scratch.wordStamp.fill(0);
    scratch.stamp = 0;
  }
  scratch.stamp += 1;
  const stamp = scratch.stamp;
  const { score, wordStamp, queryStamp, matched, queryTouched } = scratch;
  const current = scratch.query;
  const first = query.firstDocument;
  const end = query.endDocument;
  let count = touched;
  for (const variant of expandWord(index, word)) {
    const factor = (index.inverseFrequency[variant.term] ?? 0) * variant.multiplier;
    const { start, targets, weights } = index.services;
    const slotEnd = start[variant.term + 1] ?? 0;
    for (let slot = lowerBound(targets, first, start[variant.term] ?? 0, slotEnd);
      slot < slotEnd; slot += 1) {
      const document = targets[slot] as number;
      if (document >= end) break;
      if (wordStamp[document] !== stamp) {
        wordStamp[document] = stamp;
        if (queryStamp[document] !== current) {
          queryStamp[document] = current;
          queryTouched[count] = document;
          count += 1;
          score[document] = 0;
          matched[document] = 0;
        }
        matched[document] = (matched[document] as number) + 1;
      }
      score[document] = (score[document] as number) + factor * (weights[slot] as number);
    }
    count = scoreGroups(index, scratch, query, variant, factor, stamp, count);
  }
  return count;
}

/** The same for a term found in agencies' and ministries' own text: their whole ranges. */
function scoreGroups(
  index: SearchIndex, scratch: Scratch, query: IndexQuery, variant: Variant, factor: number,
  stamp: number, touched: number,
): number {
  const { score, wordStamp, queryStamp, matched, queryTouched } = scratch;
  const current = scratch.query;
  let count = touched;
  for (const [postings, groups] of [
    [index.agencyPostings, index.agencies], [index.ministryPostings, index.ministries],
  ] as const) {
    const groupEnd = postings.start[variant.term + 1] ?? 0;
    for (let entry = postings.start[variant.term] ?? 0; entry < groupEnd; entry += 1) {
      const group = groups[postings.targets[entry] ?? 0];
      if (group === undefined) continue;
      const value = factor * (postings.weights[entry] ?? 0);
      const high = Math.min(group.endDocument, query.endDocument);
      for (let document = Math.max(group.firstDocument, query.firstDocument); document < high;
        document += 1) {
        if (wordStamp[document] !== stamp) {
          wordStamp[document] = stamp;
          if (queryStamp[document] !== current) {
            queryStamp[document] = current;
            queryTouched[count] = document;
            count += 1;
            score[document] = 0;
            matched[document] = 0;
          }
          matched[document] = (matched[document] as number) + 1;
        }
        score[document] = (score[document] as number) + value;
      }
    }
  }
  return count;
}

function rank(index: SearchIndex, scratch: Scratch, query: IndexQuery): IndexResult {
  const { matched, queryTouched, candidates } = scratch;
  // A new query number makes every document's score and count stale at once: nothing to reset.
  if (scratch.query >= stampMax) {
    scratch.queryStamp.fill(0);
    scratch.query = 0;
  }
  scratch.query += 1;
  let touched = 0;
  for (const word of query.words) touched = scoreWord(index, scratch, query, word, touched);
  const wordCount = query.words.length;
  let pool: Uint32Array;
  if (wordCount === 1) {
    // One word: every document touched matched it.
    pool = queryTouched.subarray(0, touched);
  } else {
    let count = 0;
    for (let position = 0; position < touched; position += 1) {
      const document = queryTouched[position] ?? 0;
      if (matched[document] === wordCount) {
        candidates[count] = document;
        count += 1;
      }
    }
    // No service matches every word: rank those matching any.
    pool = count === 0 ? queryTouched.subarray(0, touched) : candidates.subarray(0, count);
  }
  const documents = topDocuments(pool, scratch.scoreBits, index.nameRank[query.language],
    index.byName[query.language], query.offset, query.limit);
  return { documents, total: pool.length };
}

function browse(index: SearchIndex, query: IndexQuery): IndexResult {
  const total = Math.max(0, query.endDocument - query.firstDocument);
  const byName = index.byName[query.language];
  if (total === index.documentCount) {
    return { documents: Array.from(byName.subarray(query.offset, query.offset + query.limit)),
      total };
  }
  const range = new Uint32Array(total);
  for (let position = 0; position < total; position += 1) {
    range[position] = query.firstDocument + position;
  }
  const documents = topDocuments(range, undefined, index.nameRank[query.language], byName,
    query.offset, query.limit);
  return { documents, total };
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
