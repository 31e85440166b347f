/** Typed arrays that grow, and a permutation sort: the building blocks of the index. */

const initialCapacity = 1024;

export class GrowableUint32Array {
  #data = new Uint32Array(initialCapacity);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    if (this.#length === this.#data.length) {
      const grown = new Uint32Array(this.#data.length * 2);
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data[this.#length] = value;
    this.#length += 1;
  }

  /** The values pushed so far (a view: valid until the next push). */
  view(): Uint32Array {
    return this.#data.subarray(0, this.#length);
  }
}

export class GrowableFloat32Array {
  #data = new Float32Array(initialCapacity);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    if (this.#length === this.#data.length) {
      const grown = new Float32Array(this.#data.length * 2);
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data[this.#length] = value;
    this.#length += 1;
  }

  view(): Float32Array {
    return this.#data.subarray(0, this.#length);
  }
}

/** The positions 0..count-1 sorted by `compare` (stable). */
export function sortedPermutation(
  count: number,
  compare: (a: number, b: number) => number,
): Uint32Array {
  const positions = new Uint32Array(count);
  for (let index = 0; index < count; index += 1) positions[index] = index;
  return positions.sort(compare);
}
