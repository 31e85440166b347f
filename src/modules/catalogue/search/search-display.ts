/**
 * What a result list shows of each service (slug, names, summaries), kept with the index as
 * UTF-8 in one growing byte buffer with offsets, not as millions of small strings: about 40%
 * of the memory, no garbage-collector pressure, and a page of results is decoded in
 * microseconds without a database round trip. It is the same snapshot the index ranks.
 */

/** Summaries longer than this are cut at a word, so a result list stays small on 3G. */
export const summaryLengthMax = 240;

export const displayFields = ['slug', 'nameEn', 'nameSw', 'summaryEn', 'summarySw'] as const;
export type DisplayField = (typeof displayFields)[number];
const fieldCount = displayFields.length;

export type DisplayRecord = Readonly<Record<DisplayField, string | null>>;

const encoder = new TextEncoder();

export class DisplayTextStore {
  #bytes = new Uint8Array(64 * 1024);
  #used = 0;
  #offsets = new Uint32Array(1024);
  #fields = 0;

  get byteLength(): number {
    return this.#used + this.#fields * 4;
  }

  /** Appends one record; returns its number (0, 1, 2, ...). Null is stored as empty. */
  add(record: DisplayRecord): number {
    const number = this.#fields / fieldCount;
    for (const field of displayFields) this.#append(record[field] ?? '');
    return number;
  }

  /** Gives back the room reserved for growth, once every record is in. */
  compact(): void {
    this.#bytes = this.#bytes.slice(0, this.#used);
    this.#offsets = this.#offsets.slice(0, this.#fields);
  }

  get(record: number, field: DisplayField): string | null {
    const slot = record * fieldCount + displayFields.indexOf(field);
    const start = this.#offsets[slot] ?? 0;
    const end = slot + 1 < this.#fields ? this.#offsets[slot + 1] ?? start : this.#used;
    if (end <= start) return null;
    return Buffer.from(this.#bytes.buffer, this.#bytes.byteOffset + start, end - start)
      .toString('utf8');
  }

  #append(text: string): void {
    if (this.#fields === this.#offsets.length) {
      const grown = new Uint32Array(this.#offsets.length * 2);
      grown.set(this.#offsets);
      this.#offsets = grown;
    }
    this.#offsets[this.#fields] = this.#used;
    this.#fields += 1;
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    const needed = this.#used + text.length * 3;
    if (needed > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(this.#bytes.length * 2, needed));
      grown.set(this.#bytes.subarray(0, this.#used));
      this.#bytes = grown;
    }
    this.#used += encoder.encodeInto(text, this.#bytes.subarray(this.#used)).written;
  }
}

/** The first summaryLengthMax characters, cut at a word, with an ellipsis when cut. */
export function summarise(text: string | null): string | null {
  if (text === null) return null;
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (trimmed.length <= summaryLengthMax) return trimmed;
  const cut = trimmed.slice(0, summaryLengthMax);
  const space = cut.lastIndexOf(' ');
  return `${(space > summaryLengthMax / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
