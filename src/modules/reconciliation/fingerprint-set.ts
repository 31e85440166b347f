/**
 * A set of 64-bit fingerprints of strings in typed arrays (open addressing, 8 bytes a slot,
 * at most half full): a million receipts take 16 MB instead of the strings themselves. `add`
 * says whether an equal fingerprint was already in, so "no" is certain and "yes" means "maybe"
 * (two different keys sharing 64 bits, about one chance in 2^64 for a pair): the caller then
 * asks the database, which knows.
 */
const slotsInitial = 1 << 12;

export class FingerprintSet {
  // Slot i is words 2i (high) and 2i + 1 (low): one cache line a probe, not one an array.
  #words = new Uint32Array(slotsInitial * 2);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /**
   * Adds the fingerprint of (salt, key), salt a small number (a kind of key: the same string
   * under two salts is two keys); true when it was (maybe) already in.
   */
  add(key: string, salt = 0): boolean {
    let high = Math.imul(0x811c9dc5 ^ salt, 0x01000193);
    let low = Math.imul(0x9747b28c ^ salt, 0x5bd1e995);
    for (let index = 0; index < key.length; index += 1) {
      const code = key.charCodeAt(index);
      high = Math.imul(high ^ code, 0x01000193);
      low = Math.imul(low ^ code, 0x5bd1e995);
      low ^= low >>> 15;
    }
    high = mix(high);
    // A used slot has a low word that is not 0.
    low = (mix(low) | 1) >>> 0;
    if (this.#insert(high, low)) return true;
    this.#size += 1;
    if (this.#size * 4 > this.#words.length) this.#grow();
    return false;
  }

  /** True when (high, low) was there; otherwise stored. */
  #insert(high: number, low: number): boolean {
    const words = this.#words;
    const mask = (words.length >>> 1) - 1;
    for (let slot = high & mask; ; slot = (slot + 1) & mask) {
      const used = words[slot * 2 + 1] ?? 0;
      if (used === 0) {
        words[slot * 2] = high;
        words[slot * 2 + 1] = low;
        return false;
      }
      if (used === low && words[slot * 2] === high) return true;
    }
  }

  #grow(): void {
    const words = this.#words;
    this.#words = new Uint32Array(words.length * 2);
    for (let word = 0; word < words.length; word += 2) {
      const used = words[word + 1] ?? 0;
      if (used !== 0) this.#insert(words[word] ?? 0, used);
    }
  }
}

/** MurmurHash3's finaliser: every bit of the input moves every bit of the output. */
function mix(value: number): number {
  let mixed = value ^ (value >>> 16);
  mixed = Math.imul(mixed, 0x85ebca6b);
  mixed ^= mixed >>> 13;
  mixed = Math.imul(mixed, 0xc2b2ae35);
  return (mixed ^ (mixed >>> 16)) >>> 0;
}
