/**
 * What staging learns of a run's lines as they pass, in order, so no pass over the stored
 * lines has to ask: how many and their amount, the window (first and last completion time),
 * whether the file is newest first, whether any line is not paid in (a withdrawal), whether
 * any receipt may repeat (a fingerprint of each receipt and direction; a line of any status
 * counts, so "no" is certain and the database decides "maybe"), and where the statement's
 * running balance does not follow from its own lines (the balance proof then reads only those
 * lines and the ones the ledger posted otherwise).
 */
import { FingerprintSet } from './fingerprint-set.ts';
import type { StatementLine } from './statement-csv.ts';

export type StagedWindow = Readonly<{ lineCount: number; windowFrom: Date; windowTo: Date;
  newestFirst: boolean }>;

/**
 * Where the statement's own balance does not follow from its lines, in the balance proof's
 * order: `first` is the line the proof starts on; `steps` the other lines whose Balance is not
 * the previous line's plus Paid In less Withdrawn, with by how much (line number, cents).
 */
export type BalanceSteps = Readonly<{ first: number; steps: ReadonlyMap<number, bigint> }>;

/**
 * More disagreements than this and the proof reads every line instead. A file's balances
 * disagree on every line when read in the other order, so one of the two lists always
 * overflows: kept small, it costs little.
 */
const balanceStepsMax = 10_000;

type Previous = { lineNumber: number; balance: bigint; net: bigint };

function noted(steps: Map<number, bigint> | undefined, lineNumber: number, step: bigint):
  Map<number, bigint> | undefined {
  if (steps === undefined || steps.size >= balanceStepsMax) return undefined;
  return steps.set(lineNumber, step);
}

export class StagedFacts {
  #count = 0;
  #amount = 0n;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;
  #first: number | undefined;
  #last: number | undefined;
  #receipts = new FingerprintSet();
  #mayRepeat = false;
  #withdrawals = false;
  #firstLine: number | undefined;
  #lastLine: number | undefined;
  #previous: Previous | undefined;
  #balanceGap = false;
  // Line by line against the line before (file order) and the line after (newest first).
  #forward: Map<number, bigint> | undefined = new Map();
  #backward: Map<number, bigint> | undefined = new Map();

  add(lines: readonly StatementLine[]): void {
    let min = this.#min;
    let max = this.#max;
    for (const line of lines) {
      const at = line.completedAt.getTime();
      if (at < min) min = at;
      if (at > max) max = at;
      // A million lines: each BigInt operation allocates, so a line's one nonzero side is
      // taken as it is (net of the line, and its share of the total).
      const paidIn = line.paidInMinor;
      const withdrawn = line.withdrawnMinor;
      const net = withdrawn === 0n ? paidIn : paidIn - withdrawn;
      this.#amount += withdrawn === 0n ? paidIn : paidIn + withdrawn;
      if (paidIn <= 0n) this.#withdrawals = true;
      if (this.#receipts.add(line.receipt, paidIn > 0n ? 1 : 2)) this.#mayRepeat = true;
      if (!this.#balanceGap) this.#step(line, net);
    }
    this.#min = min;
    this.#max = max;
    this.#count += lines.length;
    this.#first ??= lines[0]?.completedAt.getTime();
    this.#last = lines.at(-1)?.completedAt.getTime() ?? this.#last;
    this.#firstLine ??= lines[0]?.lineNumber;
    this.#lastLine = lines.at(-1)?.lineNumber ?? this.#lastLine;
  }

  /** The line against the one before: Balance = previous Balance + net, else a step. */
  #step(line: StatementLine, net: bigint): void {
    const balance = line.balanceMinor;
    if (balance === null) {
      this.#balanceGap = true;
      return;
    }
    const previous = this.#previous;
    if (previous === undefined) {
      this.#previous = { lineNumber: line.lineNumber, balance, net };
      return;
    }
    if (this.#forward !== undefined && balance !== previous.balance + net) {
      this.#forward = noted(this.#forward, line.lineNumber, balance - previous.balance - net);
    }
    if (this.#backward !== undefined && previous.balance !== balance + previous.net) {
      this.#backward = noted(this.#backward, previous.lineNumber,
        previous.balance - balance - previous.net);
    }
    // One record, rewritten line by line.
    previous.lineNumber = line.lineNumber;
    previous.balance = balance;
    previous.net = net;
  }

  /**
   * The balance proof's disagreements (BalanceSteps) in file order, or newest first; undefined
   * when a line has no Balance, there are no lines, or there are too many to list.
   */
  balanceSteps(newestFirst: boolean): BalanceSteps | undefined {
    const steps = newestFirst ? this.#backward : this.#forward;
    const first = newestFirst ? this.#lastLine : this.#firstLine;
    if (this.#balanceGap || steps === undefined || first === undefined) return undefined;
    return { first, steps };
  }

  get count(): number {
    return this.#count;
  }

  /** Paid In plus Withdrawn over every line (cents). */
  get amountMinor(): bigint {
    return this.#amount;
  }

  /** False: every line was paid in (staging classifies each; no withdrawal to look up). */
  get withdrawals(): boolean {
    return this.#withdrawals;
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
