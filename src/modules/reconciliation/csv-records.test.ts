/**
 * The CSV record reader against csv-parse (the library it replaced on this path) on generated
 * files: the same fields and verbatim text for every record, the line each starts on, whatever
 * the quoting, line breaks (LF, CRLF, inside quotes), byte-order mark and chunking (a chunk may
 * end inside a quoted field, a CRLF or a UTF-8 character). Bad quoting refused with its line.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { csvRecords, CsvRecordError, type CsvRecord } from './csv-records.ts';

async function read(chunks: readonly Buffer[]): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const batch of csvRecords(chunks)) records.push(...batch);
  return records;
}

const fieldText = fc.string({ unit: fc.constantFrom('a', 'Z', '7', ' ', ',', '"', '\n', '\r\n',
  'é', '€', '-', '.'), maxLength: 8 });

const file = fc.record({
  records: fc.array(fc.array(fc.record({ value: fieldText, quoted: fc.boolean() }),
    { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 }),
  breakText: fc.constantFrom('\n', '\r\n'),
  trailingBreak: fc.boolean(),
  bom: fc.boolean(),
  cuts: fc.array(fc.nat(), { maxLength: 6 }),
});

/** A field as a writer would put it: quoted when it must be (or when asked). */
function written(field: Readonly<{ value: string; quoted: boolean }>): string {
  const must = /[",\r\n]/.test(field.value) || field.value === '';
  return must || field.quoted ? `"${field.value.replaceAll('"', '""')}"` : field.value;
}

it('reads what csv-parse reads, record by record, however the bytes are cut', async () => {
  await fc.assert(fc.asyncProperty(file, async (input) => {
    const lines = input.records.map((record) => record.map(written).join(','));
    const text = lines.join(input.breakText) + (input.trailingBreak ? input.breakText : '');
    const bytes = Buffer.from((input.bom ? '\ufeff' : '') + text);
    const cuts = [...new Set(input.cuts.map((cut) => cut % (bytes.length + 1)))]
      .sort((a, b) => a - b);
    const chunks = [0, ...cuts].map((start, index) =>
      bytes.subarray(start, cuts[index] ?? bytes.length)).filter((chunk) => chunk.length > 0);
    const ours = await read(chunks);
    const theirs = parse(bytes, { bom: true, relax_column_count: true,
      skip_empty_lines: true }) as string[][];
    assert.deepEqual(ours.map((record) => record.fields), theirs);
    assert.deepEqual(ours.map((record) => record.raw), lines);
    // Each record starts on the line after the line breaks before it.
    let line = 1;
    for (const [index, record] of ours.entries()) {
      assert.equal(record.line, line);
      line += (lines[index]?.split('\n').length ?? 1) - 1 + 1;
    }
  }), { numRuns: 300 });
});

async function refusal(text: string): Promise<string> {
  try {
    await read([Buffer.from(text)]);
  } catch (error) {
    assert.ok(error instanceof CsvRecordError);
    return `${error.line}: ${error.message}`;
  }
  return 'read';
}

it('refuses bad quoting with the line it is on, and skips empty lines', async () => {
  assert.match(await refusal('a,b\nc,d"e\n'), /^2: Invalid Opening Quote/);
  assert.match(await refusal('a,b\n"c"d,e\n'), /^2: Invalid Closing Quote/);
  assert.match(await refusal('a,b\n"two\nlines"x\n'), /^3: Invalid Closing Quote/);
  assert.match(await refusal('a,b\nc,d\n"never closed\nmore\n'), /^3: Quote Not Closed/);
  assert.deepEqual((await read([Buffer.from('a,b\n\n\r\nc,d\n')]))
    .map((record) => [record.line, record.fields]), [[1, ['a', 'b']], [4, ['c', 'd']]]);
});
