/**
 * Reading the paybill statement as the M-Pesa organisation portal exports it (CSV; daraja.md
 * section 9), streamed: records are parsed one at a time and handed on, so a million lines
 * never sit in memory. Every line is checked; the first bad one stops the import with its line
 * number (the whole run is refused: a bad file changes nothing). Also the SHA-256 of the bytes,
 * which recognises the same statement imported twice. Pure apart from reading the stream.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import { parseAmountMinor, parseStatementTime, receiptPattern } from './statement-formats.ts';

export const statementColumns = [
  'Receipt No.', 'Completion Time', 'Initiation Time', 'Details', 'Transaction Status',
  'Paid In', 'Withdrawn', 'Balance', 'Balance Confirmed', 'Reason Type', 'Other Party Info',
  'Linked Transaction ID', 'A/C No.',
] as const;

const requiredColumns = ['Receipt No.', 'Completion Time', 'Transaction Status', 'Paid In',
  'Withdrawn', 'Balance', 'Reason Type'] as const;

/** One line of a statement (or one pulled transaction), checked. */
export type StatementLine = Readonly<{
  lineNumber: number;
  receipt: string;
  completedAt: Date;
  paidInMinor: bigint;
  withdrawnMinor: bigint;
  /** The statement's running balance after this line; null when not given (Pull). */
  balanceMinor: bigint | null;
  transactionStatus: string;
  reasonType: string;
  linkedReceipt: string;
  accountReference: string;
  /** The line verbatim. */
  raw: string;
}>;

/** Why an import is refused as a whole (nothing of it is kept). */
export class ImportRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportRefusedError';
  }
}

/** A line that cannot be read: the import stops here, nothing of it is kept. */
export class StatementLineError extends ImportRefusedError {
  readonly lineNumber: number;
  constructor(lineNumber: number, message: string) {
    super(`line ${lineNumber}: ${message}`);
    this.name = 'StatementLineError';
    this.lineNumber = lineNumber;
  }
}

type ParsedRecord = Readonly<{ record: string[]; raw: string; info: Readonly<{ lines: number }> }>;

/** Passes bytes on unchanged, hashing them. */
class HashingPassThrough extends Transform {
  readonly hash: Hash = createHash('sha256');
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    done(null, chunk);
  }
}

export type StatementReader = Readonly<{
  lines: AsyncGenerator<StatementLine>;
  /** The SHA-256 of the bytes read (hex); complete once `lines` is exhausted. */
  sha256: () => string;
}>;

/** Reads a statement stream; `lines` throws StatementLineError at the first bad line. */
export function readStatement(input: Readable): StatementReader {
  const hashing = new HashingPassThrough();
  const parser = parse({ bom: true, info: true, raw: true, relax_column_count: true,
    skip_empty_lines: true });
  input.on('error', (error) => parser.destroy(error));
  hashing.on('error', (error) => parser.destroy(error));
  input.pipe(hashing).pipe(parser);
  let digest: string | undefined;
  return {
    lines: linesOf(parser as AsyncIterable<ParsedRecord>),
    sha256: () => {
      digest ??= hashing.hash.digest('hex');
      return digest;
    },
  };
}

async function* linesOf(records: AsyncIterable<ParsedRecord>): AsyncGenerator<StatementLine> {
  let header: Map<string, number> | undefined;
  let previousEnd = 0;
  try {
    for await (const parsed of records) {
      const lineNumber = previousEnd + 1;
      previousEnd = parsed.info.lines;
      if (header === undefined) {
        header = headerOf(parsed.record, lineNumber);
        continue;
      }
      if (parsed.record.length !== header.size) {
        throw new StatementLineError(lineNumber,
          `${parsed.record.length} fields where the header has ${header.size}`);
      }
      yield checkedLine(parsed, header, lineNumber);
    }
  } catch (error) {
    if (error instanceof StatementLineError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // csv-parse knows where it stopped; records read ahead of the consumer are not counted.
    const stoppedAt = (error as { lines?: unknown }).lines;
    throw new StatementLineError(typeof stoppedAt === 'number' ? stoppedAt : previousEnd + 1,
      `the file cannot be read as CSV (${message})`);
  }
  if (header === undefined) throw new StatementLineError(1, 'the file is empty');
}

function headerOf(record: readonly string[], lineNumber: number): Map<string, number> {
  const header = new Map(record.map((column, index) => [column.trim(), index]));
  const missing = requiredColumns.filter((column) => !header.has(column));
  if (missing.length > 0) {
    throw new StatementLineError(lineNumber, `the header lacks ${missing.join(', ')}`);
  }
  return header;
}

function checkedLine(parsed: ParsedRecord, header: Map<string, number>, lineNumber: number):
  StatementLine {
  const field = (name: string): string => {
    const index = header.get(name);
    return index === undefined ? '' : (parsed.record[index] ?? '').trim();
  };
  const bad = (message: string) => new StatementLineError(lineNumber, message);
  const receipt = field('Receipt No.');
  if (!receiptPattern.test(receipt)) throw bad('Receipt No. is not a receipt number');
  const completedAt = parseStatementTime(field('Completion Time'));
  if (completedAt === undefined) {
    throw bad('Completion Time is not a time (YYYY-MM-DD HH:mm:ss, Kenya time)');
  }
  const paidIn = parseAmountMinor(field('Paid In'));
  const withdrawn = parseAmountMinor(field('Withdrawn'));
  if (paidIn === undefined) throw bad('Paid In is not an amount');
  if (withdrawn === undefined) throw bad('Withdrawn is not an amount');
  if ((paidIn > 0n) === (withdrawn > 0n)) {
    throw bad('a line has exactly one of Paid In and Withdrawn');
  }
  const balanceText = field('Balance');
  const balance = balanceText === '' ? null : parseAmountMinor(balanceText, true);
  if (balance === undefined) throw bad('Balance is not an amount');
  const transactionStatus = field('Transaction Status');
  if (transactionStatus === '') throw bad('Transaction Status is empty');
  return {
    lineNumber, receipt, completedAt, paidInMinor: paidIn, withdrawnMinor: withdrawn,
    balanceMinor: balance, transactionStatus, reasonType: field('Reason Type'),
    linkedReceipt: field('Linked Transaction ID'), accountReference: field('A/C No.').slice(0, 100),
    raw: parsed.raw.replace(/\r?\n?$/, '').replace(/\r$/, ''),
  };
}
