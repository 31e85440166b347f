/**
 * Streams an RFC 4180 CSV file (quoted fields may hold commas, quotes and newlines) as records
 * keyed by the header's column names, each with the line it starts on. A record with the
 * wrong number of fields is handed over flagged, to be reported and skipped; broken quoting
 * is thrown, because after it no record boundary can be trusted.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

export type CsvRecord = Readonly<{
  /** 1-based line the record starts on, as an editor shows it. */
  line: number;
  fields: Readonly<Record<string, string>>;
  /** Set when the record has more or fewer fields than the header. */
  problem?: string;
  /** Bytes of the file read so far, for progress. */
  bytesRead: number;
}>;

export class CsvFileError extends Error {
  readonly line: number | undefined;
  constructor(message: string, line: number | undefined) {
    super(message);
    this.name = 'CsvFileError';
    this.line = line;
  }
}

type ParsedRecord = Readonly<{
  record: string[];
  raw: string;
  info: Readonly<{ lines: number; bytes: number }>;
}>;

/** Where a record starts: csv-parse reports the line it ends on, and its raw text. */
function startLine(parsed: ParsedRecord): number {
  const body = parsed.raw.replace(/\r?\n$/, '');
  const newlines = body.split('\n').length - 1;
  const leadingBlankLines = /^(?:\r?\n)*/.exec(body)?.[0].split('\n').length ?? 1;
  return parsed.info.lines - newlines + leadingBlankLines - 1;
}

/**
 * Yields the records of a file. Throws CsvFileError when the header lacks a required column
 * or the quoting is broken.
 */
export async function* readCsvRecords(
  path: string,
  requiredColumns: readonly string[],
): AsyncGenerator<CsvRecord> {
  const parser = parse({
    bom: true,
    info: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
  });
  // pipe() does not pass a read error on; without this a missing file would hang the parser.
  const input = createReadStream(path).on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let header: string[] | undefined;
  try {
    for await (const parsed of parser as AsyncIterable<ParsedRecord>) {
      if (header === undefined) {
        header = parsed.record.map((column) => column.trim());
        const missing = requiredColumns.filter((column) => !header?.includes(column));
        if (missing.length > 0) {
          throw new CsvFileError(`the header lacks column(s) ${missing.join(', ')}`, 1);
        }
        continue;
      }
      const fields: Record<string, string> = {};
      header.forEach((column, index) => {
        fields[column] = parsed.record[index] ?? '';
      });
      const line = startLine(parsed);
      const bytesRead = parsed.info.bytes;
      yield parsed.record.length === header.length
        ? { line, fields, bytesRead }
        : { line, fields, bytesRead, problem:
          `has ${parsed.record.length} fields where the header has ${header.length}` };
    }
  } catch (error) {
    if (error instanceof CsvFileError) throw error;
    const line = (error as { lines?: unknown }).lines;
    throw new CsvFileError(error instanceof Error ? error.message : String(error),
      typeof line === 'number' ? line : undefined);
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (header === undefined) throw new CsvFileError('the file is empty: no header', undefined);
}
