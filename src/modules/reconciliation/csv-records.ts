/**
 * CSV records (RFC 4180) of a byte stream, in batches, for statements of a million lines: the
 * stream is decoded as UTF-8 (a byte-order mark dropped), split by a scan of character codes,
 * and handed on a chunk's worth of records at a time, so nothing but the record being read is
 * kept between chunks. Quoted fields may hold commas, doubled quotes and line breaks; records
 * end with LF or CRLF; empty lines are skipped. Each record carries the line it starts on (a
 * line break inside quotes counts) and its text verbatim, without its line break. A quote
 * inside an unquoted field, text after a closing quote and a quote never closed are refused
 * with their line (CsvRecordError). Measured against csv-parse in docs/decisions/0018.
 */
import { StringDecoder } from 'node:string_decoder';

export type CsvRecord = Readonly<{ line: number; fields: string[]; raw: string }>;

/** The CSV cannot be read from `line` on. */
export class CsvRecordError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.name = 'CsvRecordError';
    this.line = line;
  }
}

/** A record longer than this (a quote never closed, most likely) stops the read. */
const recordCharactersMax = 1024 * 1024;

const comma = 0x2c;
const quote = 0x22;
const lineFeed = 0x0a;
const carriageReturn = 0x0d;

type Scanned = { fields: string[]; end: number; lines: number } | undefined;

/**
 * One record of `text` from `start`: its fields, where the next record starts and how many
 * line breaks it spans; undefined when the text ends inside it and more may come.
 */
function scanRecord(text: string, start: number, final: boolean, line: number): Scanned {
  const fields: string[] = [];
  let position = start;
  let lines = 0;
  let lineEnd = text.indexOf('\n', start);
  let nextQuote = text.indexOf('"', start);
  for (;;) {
    if (position === nextQuote) {
      const quoted = quotedField(text, position, final, line + lines);
      if (quoted === undefined) return undefined;
      fields.push(quoted.value);
      lines += quoted.lines;
      position = quoted.end;
      if (lineEnd !== -1 && lineEnd < position) lineEnd = text.indexOf('\n', position);
      nextQuote = text.indexOf('"', position);
    } else {
      const stop = lineEnd === -1 ? text.length : lineEnd;
      let end = text.indexOf(',', position);
      if (end === -1 || end > stop) end = stop;
      if (end === text.length && !final) return undefined;
      const valueEnd = end === lineEnd && end > position &&
        text.charCodeAt(end - 1) === carriageReturn ? end - 1 : end;
      if (nextQuote !== -1 && nextQuote < valueEnd) {
        throw new CsvRecordError(line + lines, 'Invalid Opening Quote: a quote inside ' +
          'a field that does not start with one');
      }
      fields.push(text.slice(position, valueEnd));
      position = end;
    }
    const code = text.charCodeAt(position);
    if (code === comma) {
      position += 1;
      if (position >= text.length && !final) return undefined;
      continue;
    }
    if (position >= text.length) return { fields, end: position, lines };
    return { fields, end: position + (code === carriageReturn ? 2 : 1), lines: lines + 1 };
  }
}

/** A quoted field from its opening quote: its value and where it ends (after the quote). */
function quotedField(text: string, open: number, final: boolean, line: number):
  { value: string; end: number; lines: number } | undefined {
  let from = open + 1;
  let value = '';
  let lines = 0;
  for (;;) {
    const close = text.indexOf('"', from);
    if (close === -1 || close + 1 >= text.length) {
      if (!final) return undefined;
      if (close === -1) {
        throw new CsvRecordError(line, 'Quote Not Closed: the quote opened on this line is ' +
          'never closed');
      }
    }
    lines += countLineFeeds(text, from, close);
    if (text.charCodeAt(close + 1) === quote) {
      value += text.slice(from, close + 1);
      from = close + 2;
      continue;
    }
    value += text.slice(from, close);
    const end = close + 1;
    const next = text.charCodeAt(end);
    if (end < text.length && next !== comma && next !== lineFeed &&
      !(next === carriageReturn && text.charCodeAt(end + 1) === lineFeed)) {
      if (next === carriageReturn && end + 1 >= text.length && !final) return undefined;
      throw new CsvRecordError(line + lines, 'Invalid Closing Quote: text follows the ' +
        'closing quote of a field');
    }
    return { value, end, lines };
  }
}

function countLineFeeds(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) {
    count += 1;
  }
  return count;
}

/** The records of `input`, a chunk's worth at a time; `onChunk` sees every byte read. */
export async function* csvRecords(input: AsyncIterable<Buffer | string> | Iterable<Buffer>,
  onChunk?: (chunk: Buffer) => void): AsyncGenerator<CsvRecord[]> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 1;
  let first = true;
  const scan = (text: string, final: boolean): CsvRecord[] => {
    const records: CsvRecord[] = [];
    let start = 0;
    // The next quote at or after `start` (-1: none in the text): a record without one is a
    // line split at its commas.
    let nextQuote = text.indexOf('"');
    while (start < text.length) {
      const code = text.charCodeAt(start);
      if (code === lineFeed || (code === carriageReturn && text.charCodeAt(start + 1) ===
        lineFeed)) {
        start += code === lineFeed ? 1 : 2;
        line += 1;
        continue;
      }
      if (code === carriageReturn && start + 1 >= text.length && !final) break;
      if (nextQuote !== -1 && nextQuote < start) nextQuote = text.indexOf('"', start);
      const lineEnd = text.indexOf('\n', start);
      if (lineEnd !== -1 && (nextQuote === -1 || nextQuote > lineEnd)) {
        const raw = text.slice(start, text.charCodeAt(lineEnd - 1) === carriageReturn
          ? lineEnd - 1 : lineEnd);
        records.push({ line, fields: raw.split(','), raw });
        line += 1;
        start = lineEnd + 1;
        continue;
      }
      const scanned = scanRecord(text, start, final, line);
      if (scanned === undefined) break;
      const rawEnd = scanned.end - (text.charCodeAt(scanned.end - 1) === lineFeed
        ? (text.charCodeAt(scanned.end - 2) === carriageReturn ? 2 : 1) : 0);
      records.push({ line, fields: scanned.fields, raw: text.slice(start, rawEnd) });
      line += scanned.lines;
      start = scanned.end;
    }
    pending = text.slice(start);
    if (pending.length > recordCharactersMax) {
      throw new CsvRecordError(line, `a record longer than ${recordCharactersMax} characters ` +
        '(a quote never closed?)');
    }
    return records;
  };
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    onChunk?.(bytes);
    let text = decoder.write(bytes);
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const records = scan(pending + text, false);
    if (records.length > 0) yield records;
  }
  const rest = scan(pending + decoder.end(), true);
  if (rest.length > 0) yield rest;
}
