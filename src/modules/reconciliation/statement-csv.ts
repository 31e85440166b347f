/**
 * Reading the paybill statement as the M-Pesa organisation portal exports it (CSV; daraja.md
 * section 9), streamed: records are parsed one at a time and handed on, so a million lines
 * never sit in memory. Every line is checked; the first bad one stops the import with its line
 * number (the whole run is refused: a bad file changes nothing). Also the SHA-256 of the bytes,
 * which recognises the same statement imported twice. Pure apart from reading the stream.
 */
import { createHash } from 'node:crypto';
import { csvRecords, CsvRecordError, type CsvRecord } from './csv-records.ts';
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

export type StatementReader = Readonly<{
  /** The checked lines, a chunk's worth at a time. */
  batches: AsyncGenerator<StatementLine[]>;
  /** The SHA-256 of the bytes read (hex); complete once `batches` is exhausted. */
  sha256: () => string;
}>;

/** Reads a statement stream; `batches` throws StatementLineError at the first bad line. */
export function readStatement(input: AsyncIterable<Buffer | string>): StatementReader {
  const hash = createHash('sha256');
  let digest: string | undefined;
  return {
    batches: linesOf(csvRecords(input, (chunk) => hash.update(chunk))),
    sha256: () => {
      digest ??= hash.digest('hex');
      return digest;
    },
  };
}

async function* linesOf(records: AsyncIterable<CsvRecord[]>): AsyncGenerator<StatementLine[]> {
  let header: Map<string, number> | undefined;
  let fields: Fields | undefined;
  try {
    for await (const batch of records) {
      const lines: StatementLine[] = [];
      for (const record of batch) {
        if (header === undefined || fields === undefined) {
          header = headerOf(record.fields, record.line);
          fields = fieldsOf(header);
          continue;
        }
        if (record.fields.length !== header.size) {
          throw new StatementLineError(record.line,
            `${record.fields.length} fields where the header has ${header.size}`);
        }
        lines.push(checkedLine(record, fields));
      }
      if (lines.length > 0) yield lines;
    }
  } catch (error) {
    if (!(error instanceof CsvRecordError)) throw error;
    throw new StatementLineError(error.line, `the file cannot be read as CSV (${error.message})`);
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

/** Where each field the lines use is (-1: not in the header). */
type Fields = Readonly<Record<'receipt' | 'time' | 'paidIn' | 'withdrawn' | 'balance' |
  'status' | 'reason' | 'linked' | 'account', number>>;

function fieldsOf(header: Map<string, number>): Fields {
  const at = (name: string) => header.get(name) ?? -1;
  return { receipt: at('Receipt No.'), time: at('Completion Time'), paidIn: at('Paid In'),
    withdrawn: at('Withdrawn'), balance: at('Balance'), status: at('Transaction Status'),
    reason: at('Reason Type'), linked: at('Linked Transaction ID'), account: at('A/C No.') };
}

function checkedLine(record: CsvRecord, fields: Fields): StatementLine {
  const field = (index: number): string => (record.fields[index] ?? '').trim();
  const bad = (message: string) => new StatementLineError(record.line, message);
  const receipt = field(fields.receipt);
  if (!receiptPattern.test(receipt)) throw bad('Receipt No. is not a receipt number');
  const completedAt = parseStatementTime(field(fields.time));
  if (completedAt === undefined) {
    throw bad('Completion Time is not a time (YYYY-MM-DD HH:mm:ss, Kenya time)');
  }
  const paidIn = parseAmountMinor(field(fields.paidIn));
  const withdrawn = parseAmountMinor(field(fields.withdrawn));
  if (paidIn === undefined) throw bad('Paid In is not an amount');
  if (withdrawn === undefined) throw bad('Withdrawn is not an amount');
  if ((paidIn > 0n) === (withdrawn > 0n)) {
    throw bad('a line has exactly one of Paid In and Withdrawn');
  }
  const balanceText = field(fields.balance);
  const balance = balanceText === '' ? null : parseAmountMinor(balanceText, true);
  if (balance === undefined) throw bad('Balance is not an amount');
  const transactionStatus = field(fields.status);
  if (transactionStatus === '') throw bad('Transaction Status is empty');
  return {
    lineNumber: record.line, receipt, completedAt, paidInMinor: paidIn,
    withdrawnMinor: withdrawn, balanceMinor: balance, transactionStatus,
    reasonType: field(fields.reason), linkedReceipt: field(fields.linked),
    accountReference: field(fields.account).slice(0, 100), raw: record.raw,
  };
}
