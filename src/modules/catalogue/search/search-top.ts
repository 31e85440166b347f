/**
 * Choosing a page of results without sorting every match. Each document gets one number that
 * orders it exactly: its score's float32 bits (which order like the scores, all positive)
 * above 21 bits of reversed name rank, so equal scores fall back to name order. The number
 * fits a float64 exactly (31 + 21 < 53 bits), so the selection is plain numeric comparison
 * in a typed-array heap: no closures, no allocation per match.
 */

const rankBits = 2 ** 21;
/** The packing leaves 21 bits for the name rank: the index refuses more services. */
export const documentCountMax = rankBits;

/**
 * The documents at positions [offset, offset + limit) of `pool` ordered by score (high
 * first), then name rank (low first). `scoreBits` is the score array seen as uint32 bits;
 * undefined ranks by name alone. `byName` maps a name rank back to its document.
 */
export function topDocuments(
  pool: Uint32Array,
  scoreBits: Uint32Array | undefined,
  nameRank: Uint32Array,
  byName: Uint32Array,
  offset: number,
  limit: number,
): number[] {
  const keep = Math.min(offset + limit, pool.length);
  if (limit <= 0 || offset >= keep) return [];
  const keyOf = (document: number) => (scoreBits === undefined ? 0 : scoreBits[document] ?? 0) *
    rankBits + (rankBits - 1 - (nameRank[document] ?? 0));
  let best: Float64Array;
  if (pool.length <= keep * 4) {
    best = new Float64Array(pool.length);
    for (let position = 0; position < pool.length; position += 1) {
      best[position] = keyOf(pool[position] ?? 0);
    }
  } else {
    best = selectLargest(pool, keep, keyOf);
  }
  best.sort();
  const documents: number[] = [];
  for (let position = best.length - 1 - offset; position >= best.length - keep; position -= 1) {
    const key = best[position] ?? 0;
    documents.push(byName[rankBits - 1 - (key % rankBits)] ?? 0);
  }
  return documents;
}

/** The `keep` largest keys of the pool, in a min-heap (its smallest at the root). */
function selectLargest(
  pool: Uint32Array,
  keep: number,
  keyOf: (document: number) => number,
): Float64Array {
  const heap = new Float64Array(keep);
  let size = 0;
  for (let position = 0; position < pool.length; position += 1) {
    const key = keyOf(pool[position] ?? 0);
    if (size < keep) {
      let child = size;
      size += 1;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        if ((heap[parent] ?? 0) <= key) break;
        heap[child] = heap[parent] ?? 0;
        child = parent;
      }
      heap[child] = key;
    } else if (key > (heap[0] ?? 0)) {
      let parent = 0;
      for (;;) {
        const left = parent * 2 + 1;
        if (left >= size) break;
        const right = left + 1;
        const smaller = right < size && (heap[right] ?? 0) < (heap[left] ?? 0) ? right : left;
        if ((heap[smaller] ?? 0) >= key) break;
        heap[parent] = heap[smaller] ?? 0;
        parent = smaller;
      }
      heap[parent] = key;
    }
  }
  return heap;
}
