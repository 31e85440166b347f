/**
 * The fast path for a statement file on PostgreSQL: the bytes stream straight into COPY (the
 * server parses the CSV; nothing is held in memory), on a connection of its own, into the
 * unlogged scratch table reconciliation_copy under the run's id. The header is read first, to
 * know which column holds what. Then, in the run's staging transaction, the lines are
 * checked, converted and classified by parallel workers and written into reconciliation_line
 * (matching-repo.ts, insertClassifiedFromInTrx), and one query finds the first line that
 * cannot be read (reported with its line number, the whole import refused).
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { sql, type RawBuilder } from 'kysely';
import pg from 'pg';
import { appRole } from '#platform/db/index.ts';
import { StatementLineError } from './statement-csv.ts';

const columnsMax = 20;
const headerBytesMax = 64 * 1024;
const required = ['Receipt No.', 'Completion Time', 'Transaction Status', 'Paid In',
  'Withdrawn', 'Balance', 'Reason Type'] as const;

type PgConnection = Readonly<{
  query: (text: string) => void;
  sendCopyFromChunk: (chunk: Buffer) => void;
  endCopyFrom: () => void;
  sendCopyFail: (message: string) => void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
}>;

/** A COPY FROM STDIN fed from an async source, as a pg "submittable". */
class CopyIn {
  readonly text: string;
  readonly chunks: AsyncIterable<Buffer>;
  readonly done: Promise<number>;
  #resolve: (rows: number) => void = () => undefined;
  #reject: (error: Error) => void = () => undefined;
  #error: Error | undefined;
  #rows = 0;
  constructor(text: string, chunks: AsyncIterable<Buffer>) {
    this.text = text;
    this.chunks = chunks;
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }
  submit(connection: PgConnection): void {
    connection.query(this.text);
  }
  handleCopyInResponse(connection: PgConnection): void {
    void (async () => {
      try {
        for await (const chunk of this.chunks) {
          if (this.#error !== undefined) break;
          connection.sendCopyFromChunk(chunk);
          if (connection.stream.writableNeedDrain === true) await once(connection.stream, 'drain');
        }
        connection.endCopyFrom();
      } catch (error) {
        this.#error = error instanceof Error ? error : new Error(String(error));
        connection.sendCopyFail('the statement could not be read');
      }
    })();
  }
  handleCommandComplete(message: Readonly<{ text?: string }>): void {
    this.#rows = Number(/(\d+)$/.exec(message.text ?? '')?.[1] ?? 0);
  }
  /** pg hands the query no ReadyForQuery after an error: it ends here. */
  handleError(error: Error): void {
    this.#error ??= error;
    this.#reject(this.#error);
  }
  handleReadyForQuery(): void {
    if (this.#error === undefined) this.#resolve(this.#rows);
    else this.#reject(this.#error);
  }
  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

type Chunks = AsyncIterator<Buffer>;

/** Yields the bytes already read, then the rest of the stream, hashing them all. */
async function* hashed(chunks: Chunks, hash: ReturnType<typeof createHash>, first: Buffer):
  AsyncGenerator<Buffer> {
  hash.update(first);
  yield first;
  for (;;) {
    const next = await chunks.next();
    if (next.done === true) return;
    hash.update(next.value);
    yield next.value;
  }
}

async function readHeader(chunks: Chunks): Promise<Readonly<{ first: Buffer;
  header: string[] }>> {
  let first = Buffer.alloc(0);
  while (!first.includes(0x0a) && first.length <= headerBytesMax) {
    const next = await chunks.next();
    if (next.done === true) break;
    first = Buffer.concat([first, next.value]);
  }
  const end = first.indexOf(0x0a);
  const line = first.subarray(0, end === -1 ? first.length : end).toString('utf8');
  let header: string[] = [];
  try {
    header = (parse(line, { bom: true }) as string[][])[0]?.map((name) => name.trim()) ?? [];
  } catch {
    throw new StatementLineError(1, 'the header cannot be read as CSV');
  }
  const missing = required.filter((name) => !header.includes(name));
  if (header.length === 0) throw new StatementLineError(1, 'the file is empty');
  if (missing.length > 0) throw new StatementLineError(1, `the header lacks ${missing.join(', ')}`);
  if (header.length > columnsMax) {
    throw new StatementLineError(1, `more than ${columnsMax} columns`);
  }
  return { first, header };
}

export type Copied = Readonly<{ header: readonly string[]; rows: number; sha256: string;
  /** reconciliation_copy.n of the first line after the header (line 2). */
  firstN: number;
  /** Empties the scratch table and lets the next import COPY: once the lines are staged. */
  release: () => Promise<void> }>;

/** Any key: imports take turns with reconciliation_copy under it. */
const copyLockKey = 0x7265636f;

/**
 * COPYs the file into reconciliation_copy under the run's id; refuses a bad header. Imports
 * take turns with the scratch table (an advisory lock of the COPY's session, held until
 * `release`), so it holds one run's rows only: it is emptied by TRUNCATE before the COPY,
 * which then writes its rows frozen (nothing to set on the pages when they are first read),
 * and again by `release`; and a run's rows are numbered without gaps (line k is
 * n = firstN + k - 2, no scan needed to find the first).
 */
export async function copyStatement(databaseUrl: string, runId: string, input: Readable):
  Promise<Copied> {
  const chunks = (input as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const { first, header } = await readHeader(chunks);
  const hash = createHash('sha256');
  const client = new pg.Client({ connectionString: databaseUrl,
    options: `-c role=${appRole}` });
  await client.connect();
  try {
    await client.query(`select set_config('huduma.reconciliation_run', $1, false),
      pg_advisory_lock(${copyLockKey})`, [runId]);
    await client.query('begin');
    await client.query('truncate reconciliation_copy');
    const rows = await copyInto(client, header, hashed(chunks, hash, first));
    const last = rows === 0 ? undefined : await client.query<{ n: string }>(
      `select currval(pg_get_serial_sequence('reconciliation_copy', 'n')) as n`);
    await client.query('commit');
    return { header, rows, sha256: hash.digest('hex'),
      firstN: Number(last?.rows[0]?.n ?? 0) - rows + 1,
      release: async () => {
        try {
          await client.query('truncate reconciliation_copy');
        } finally {
          await client.end();
        }
      } };
  } catch (error) {
    await client.end();
    throw error;
  }
}

async function copyInto(client: pg.Client, header: readonly string[],
  chunks: AsyncIterable<Buffer>): Promise<number> {
  const columns = header.map((_, index) => `c${index + 1}`).join(', ');
  const copy = new CopyIn(`copy reconciliation_copy (${columns}) from stdin with ` +
    '(format csv, header true, freeze true)', chunks);
  void client.query(copy as never);
  try {
    return await copy.done;
  } catch (error) {
    const where = (error as { where?: string }).where ?? '';
    const line = Number(/line (\d+)/.exec(where)?.[1] ?? 0);
    throw new StatementLineError(line, `the line cannot be read as CSV (${
      error instanceof Error ? error.message : String(error)})`);
  }
}

const amountPattern = `'^(-?([0-9]{1,3}(,[0-9]{3})+|[0-9]{1,15})([.][0-9]{1,2})?)?$'`;
const timePattern = `'^([0-9]{4}-[0-9]{2}-[0-9]{2}[ T]|[0-9]{2}[-/][0-9]{2}[-/][0-9]{4} )` +
  `[0-9]{1,2}:[0-9]{2}(:[0-9]{1,2})?$'`;

/**
 * The lines of a copied run as insertClassifiedFromInTrx reads them, each checked once
 * (`problem`: why it cannot be read; its values are then not converted), with the copied
 * columns (c1...) for copiedRaw, which is computed only for the few lines that keep it. No
 * parameters (CREATE TABLE AS takes none): the run's id and first n are literals.
 */
export function copiedSource(runId: string, header: readonly string[], firstN: number):
  RawBuilder<unknown> {
  const column = (name: string) => {
    const index = header.indexOf(name);
    return sql.raw(index === -1 ? `''` : `coalesce(trim(c${index + 1}), '')`);
  };
  const copied = sql.raw(header.map((_, index) => `c${index + 1}`).join(', '));
  // Kind 1 ("1234.50", the usual shape) converts as a whole number of cents, the rest
  // (kind 2: thousands separators, signs, fewer decimals) through numeric; 0 is empty.
  const amount = (text: string) => sql.raw(`case ${text}_kind when 0 then 0
    when 1 then replace(${text}, '.', '')::int8 else coalesce((nullif(replace(replace(${text},
    ',', ''), '-', ''), '')::numeric * 100)::int8, 0) end`);
  return sql`select n, r, case when t_ok then ${kenyaTime(sql.raw('t0'))} end as t,
      case when i0_kind is not null and w0_kind is not null then ${amount('i0')} end as i,
      case when i0_kind is not null and w0_kind is not null then ${amount('w0')} end as w,
      case b0_kind when 1 then replace(b0, '.', '')::int8
        when 2 then (replace(b0, ',', '')::numeric * 100)::int8 end as b,
      s, y, k, a, ${copied}, lower(s) = 'completed' as completed,
      case when not (r ~ '^[A-Za-z0-9]+$' and length(r) between 4 and 40)
        then 'Receipt No. is not a receipt number'
        when not t_ok then 'Completion Time is not a time (YYYY-MM-DD HH:mm:ss, Kenya time)'
        when i0_kind is null then 'Paid In is not an amount'
        when w0_kind is null then 'Withdrawn is not an amount'
        when b0_kind is null then 'Balance is not an amount'
        when s = '' then 'Transaction Status is empty'
        when (replace(replace(i0, ',', ''), '-', '') not in ('', '0', '0.0', '0.00')) =
          (replace(replace(w0, ',', ''), '-', '') not in ('', '0', '0.0', '0.00'))
          then 'a line has exactly one of Paid In and Withdrawn' end as problem
    from (select fields.*, ${timeOk('t0')} as t_ok, ${amountKind('i0')} as i0_kind,
        ${amountKind('w0')} as w0_kind, ${amountKind('b0')} as b0_kind,
        -- Levels of their own (a volatile column; see classifiedLines), or each check would
        -- be repeated where it is used.
        clock_timestamp() as checked_level
      from (select (n - ${sql.lit(firstN)} + 2)::int as n, ${column('Receipt No.')} as r,
        ${column('Completion Time')} as t0, ${column('Paid In')} as i0,
        ${column('Withdrawn')} as w0, ${column('Balance')} as b0,
        ${column('Transaction Status')} as s, ${column('Reason Type')} as y,
        ${column('Linked Transaction ID')} as k, left(${column('A/C No.')}, 100) as a, ${copied},
        clock_timestamp() as level
      from reconciliation_copy where run_id = ${sql.lit(runId)}) fields) checked`;
}

/** A copied line as parsed, re-quoted (CSV), from copiedSource's columns. */
export function copiedRaw(header: readonly string[]): RawBuilder<unknown> {
  return sql.raw(header.map((_, index) => `case when c${index + 1} ~ '[",\r\n]' then '"' || ` +
    `replace(c${index + 1}, '"', '""') || '"' else coalesce(c${index + 1}, '') end`)
    .join(` || ',' || `));
}

// PostgreSQL's regular expressions are slow with bounded repetition ({4,40}): the usual
// shapes are recognised by cheaper tests first, the full patterns only decide the rest.

/** A time: "YYYY-MM-DD HH:mm:ss" quickly, else the full pattern. */
function timeOk(column: string): RawBuilder<unknown> {
  return sql.raw(`case when length(${column}) = 19 and ${column} ~ '^[0-9-]+ [0-9:]+$'
      and substr(${column}, 5, 1) = '-' and substr(${column}, 8, 1) = '-'
      and substr(${column}, 14, 1) = ':' and substr(${column}, 17, 1) = ':'
      and length(replace(replace(${column}, '-', ''), ':', '')) = 15 then true
    else ${column} ~ ${timePattern} end`);
}

/**
 * An amount's kind: 0 nothing, 1 "1234.50" (recognised quickly), 2 another shape the full
 * pattern allows; null when it is no amount.
 */
function amountKind(column: string): RawBuilder<unknown> {
  return sql.raw(`case when ${column} = '' then 0
    when ${column} ~ '^[0-9]+[.][0-9][0-9]$' then case when length(${column}) <= 18 then 1 end
    when ${column} ~ ${amountPattern} then 2 end`);
}

function kenyaTime(text: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`case when substr(${text}, 3, 1) in ('-', '/')
    then to_timestamp(${text}, 'DD-MM-YYYY HH24:MI:SS')::timestamp at time zone 'Africa/Nairobi'
    else (${text} || '+03')::timestamptz end`;
}
