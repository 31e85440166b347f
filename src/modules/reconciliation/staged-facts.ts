/**
 * What staging learns of a run's lines as they pass, in order, so no pass over the stored
 * lines has to ask: how many, the window (first and last completion time), whether the file
 * is newest first, and whether any receipt may repeat (a fingerprint of each receipt and
 * direction; a line of any status counts, so "no" is certain and the database decides "maybe").
 */
import { FingerprintSet } from './fingerprint-set.ts';
import type { StatementLine } from './statement-csv.ts';

export type StagedWindow = Readonly<{ lineCount: number; windowFrom: Date; windowTo: Date;
  newestFirst: boolean }>;

export class StagedFacts {
  #count = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;
  #first: number | undefined;
  #last: number | undefined;
  #receipts = new FingerprintSet();
  #mayRepeat = false;

  add(lines: readonly StatementLine[]): void {
    let min = this.#min;
    let max = this.#max;
    for (const line of lines) {
      const at = line.completedAt.getTime();
      if (at < min) min = at;
      if (at > max) max = at;
      if (this.#receipts.add(line.receipt, line.paidInMinor > 0n ? 1 : 2)) this.#mayRepeat = true;
    }
    this.#min = min;
    this.#max = max;
    this.#count += lines.length;
    this.#first ??= lines[0]?.completedAt.getTime();
    this.#last = lines.at(-1)?.completedAt.getTime() ?? this.#last;
  }

  get count(): number {
    return this.#count;
  }

  /** False: no two lines share a receipt and direction. */
  get mayRepeat(): boolean {
    return this.#mayRepeat;
  }

  /** The window asked for (Pull), else the first and last completion time; 0 when empty. */
  window(asked?: Readonly<{ from: Date; to: Date }>): StagedWindow {
    const empty = this.#count === 0;
    return { lineCount: this.#count,
      windowFrom: asked?.from ?? new Date(empty ? 0 : this.#min),
      windowTo: asked?.to ?? new Date(empty ? 0 : this.#max),
      newestFirst: (this.#first ?? 0) > (this.#last ?? 0) };
  }
}
