/**
 * Compressed-sparse-row postings: term -> the documents (or agencies, ministries) it occurs
 * in, ascending, each with its precomputed weight. Built in two passes (count per term, then
 * fill), so a million services take typed arrays, not millions of small objects.
 */

/** Term -> entries [start[term], start[term + 1]) of targets (ascending) and weights. */
export type Postings = Readonly<{
  start: Uint32Array;
  targets: Uint32Array;
  weights: Float32Array;
}>;

/** The staged (term, weight) pairs of each service, in staging order. */
export type StagedPairs = Readonly<{
  pairStart: Uint32Array;
  pairTerms: Uint32Array;
  pairWeights: Float32Array;
}>;

/**
 * Service postings: `order` maps each final document number to its staging position,
 * `finalTerm` each staged term id to its final (sorted) id.
 */
export function servicePostings(
  staged: StagedPairs, order: Uint32Array, finalTerm: Uint32Array, termCount: number,
): Postings {
  const { pairStart, pairTerms, pairWeights } = staged;
  const start = new Uint32Array(termCount + 1);
  for (const term of pairTerms) increment(start, (finalTerm[term] ?? 0) + 1);
  accumulate(start);
  const next = start.slice(0, termCount);
  const targets = new Uint32Array(pairTerms.length);
  const weights = new Float32Array(pairTerms.length);
  // Walking documents in order keeps each term's documents ascending.
  order.forEach((staging, document) => {
    const end = staging + 1 < pairStart.length ? pairStart[staging + 1] ?? 0 : pairTerms.length;
    for (let pair = pairStart[staging] ?? 0; pair < end; pair += 1) {
      const term = finalTerm[pairTerms[pair] ?? 0] ?? 0;
      const slot = next[term] ?? 0;
      next[term] = slot + 1;
      targets[slot] = document;
      weights[slot] = pairWeights[pair] ?? 0;
    }
  });
  return { start, targets, weights };
}

/** Agency or ministry postings, from each group's (term, weight) pairs. */
export function groupPostings(
  groupTerms: readonly (readonly (readonly [number, number])[])[],
  finalTerm: Uint32Array,
  termCount: number,
): Postings {
  const start = new Uint32Array(termCount + 1);
  for (const pairs of groupTerms) {
    for (const [term] of pairs) increment(start, (finalTerm[term] ?? 0) + 1);
  }
  accumulate(start);
  const next = start.slice(0, termCount);
  const targets = new Uint32Array(start[termCount] ?? 0);
  const weights = new Float32Array(targets.length);
  groupTerms.forEach((pairs, group) => {
    for (const [term, weight] of pairs) {
      const final = finalTerm[term] ?? 0;
      const slot = next[final] ?? 0;
      next[final] = slot + 1;
      targets[slot] = group;
      weights[slot] = weight;
    }
  });
  return { start, targets, weights };
}

function increment(counts: Uint32Array, position: number): void {
  counts[position] = (counts[position] ?? 0) + 1;
}

/** Counts -> running totals, in place: afterwards counts[i] is the sum of counts before i. */
function accumulate(counts: Uint32Array): void {
  for (let position = 1; position < counts.length; position += 1) {
    counts[position] = (counts[position] ?? 0) + (counts[position - 1] ?? 0);
  }
}
