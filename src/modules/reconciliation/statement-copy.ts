/**
 * The fast path for a statement file on PostgreSQL: the bytes stream straight into COPY (the
 * server parses the CSV; nothing is held in memory), on a connection of its own, into the
 * unlogged scratch table reconciliation_copy under the run's id. The header is read first, to
 * know which column holds what. Then, in the run's staging transaction, one query finds the
 * first line that cannot be read (reported with its line number, the whole import refused)
 * and one INSERT ... SELECT writes the lines, classified, into reconciliation_line.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { sql, type RawBuilder } from 'kysely';
import pg from 'pg';
import { appRole } from '#platform/db/index.ts';
import { StatementLineError } from './statement-csv.ts';
import type { AnyKysely } from './reconciliation-tables.ts';

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

export type Copied = Readonly<{ header: readonly string[]; rows: number; sha256: string }>;

/** COPYs the file into reconciliation_copy under the run's id; refuses a bad header. */
export async function copyStatement(databaseUrl: string, runId: string, input: Readable):
  Promise<Copied> {
  const chunks = (input as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const { first, header } = await readHeader(chunks);
  const hash = createHash('sha256');
  const client = new pg.Client({ connectionString: databaseUrl,
    options: `-c role=${appRole}` });
  await client.connect();
  try {
    await client.query(`select set_config('huduma.reconciliation_run', $1, false)`, [runId]);
    const columns = header.map((_, index) => `c${index + 1}`).join(', ');
    const copy = new CopyIn(`copy reconciliation_copy (${columns}) from stdin with ` +
      '(format csv, header true)', hashed(chunks, hash, first));
    void client.query(copy as never);
    let rows: number;
    try {
      rows = await copy.done;
    } catch (error) {
      const where = (error as { where?: string }).where ?? '';
      const line = Number(/line (\d+)/.exec(where)?.[1] ?? 0);
      throw new StatementLineError(line, `the line cannot be read as CSV (${
        error instanceof Error ? error.message : String(error)})`);
    }
    return { header, rows, sha256: hash.digest('hex') };
  } finally {
    await client.end();
  }
}

/** The lines of a copied run as insertClassifiedFromInTrx reads them. */
export function copiedSource(runId: string, header: readonly string[]): RawBuilder<unknown> {
  const column = (name: string) => {
    const index = header.indexOf(name);
    return sql.raw(index === -1 ? `''` : `coalesce(trim(c${index + 1}), '')`);
  };
  const amount = (name: string) => sql`(nullif(replace(replace(${column(name)}, ',', ''), '-',
    ''), '')::numeric * 100)::int8`;
  const quoted = header.map((_, index) => `case when c${index + 1} ~ '[",\\r\\n]' then '"' || ` +
    `replace(c${index + 1}, '"', '""') || '"' else coalesce(c${index + 1}, '') end`);
  return sql`select (n - first_n + 2)::int as n, ${column('Receipt No.')} as r,
      ${kenyaTime(column('Completion Time'))} as t,
      coalesce(${amount('Paid In')}, 0) as i, coalesce(${amount('Withdrawn')}, 0) as w,
      case when ${column('Balance')} = '' then null else
        (replace(${column('Balance')}, ',', '')::numeric * 100)::int8 end as b,
      ${column('Transaction Status')} as s, ${column('Reason Type')} as y,
      ${column('Linked Transaction ID')} as k, left(${column('A/C No.')}, 100) as a,
      ${sql.raw(quoted.join(` || ',' || `))} as x,
      lower(${column('Transaction Status')}) = 'completed' as completed
    from reconciliation_copy, (select min(n) as first_n from reconciliation_copy
      where run_id = ${runId}) f
    where run_id = ${runId}`;
}

function kenyaTime(text: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(case when ${text} ~ '^[0-9]{2}[-/][0-9]{2}[-/][0-9]{4}'
    then to_timestamp(${text}, 'DD-MM-YYYY HH24:MI:SS')::timestamp
    else ${text}::timestamp end at time zone 'Africa/Nairobi')`;
}

const amountPattern = `'^(-?([0-9]{1,3}(,[0-9]{3})+|[0-9]{1,15})([.][0-9]{1,2})?)?$'`;
const timePattern = `'^([0-9]{4}-[0-9]{2}-[0-9]{2}[ T]|[0-9]{2}[-/][0-9]{2}[-/][0-9]{4} )` +
  `[0-9]{1,2}:[0-9]{2}(:[0-9]{1,2})?$'`;

/** The first line of the copied run that cannot be read, as StatementLineError; else none. */
export async function checkCopiedInTrx(trx: AnyKysely, runId: string,
  header: readonly string[]): Promise<void> {
  const column = (name: string) => {
    const index = header.indexOf(name);
    return sql.raw(index === -1 ? `''` : `coalesce(trim(c${index + 1}), '')`);
  };
  const problem = await sql<{ line: number; reason: string }>`select line, reason from (
      select (n - first_n + 2)::int as line, case
        when ${column('Receipt No.')} !~ '^[A-Za-z0-9]{4,40}$'
          then 'Receipt No. is not a receipt number'
        when ${column('Completion Time')} !~ ${sql.raw(timePattern)}
          then 'Completion Time is not a time (YYYY-MM-DD HH:mm:ss, Kenya time)'
        when ${column('Paid In')} !~ ${sql.raw(amountPattern)} then 'Paid In is not an amount'
        when ${column('Withdrawn')} !~ ${sql.raw(amountPattern)}
          then 'Withdrawn is not an amount'
        when ${column('Balance')} !~ ${sql.raw(amountPattern)} then 'Balance is not an amount'
        when ${column('Transaction Status')} = '' then 'Transaction Status is empty'
        when (replace(replace(${column('Paid In')}, ',', ''), '-', '') not in ('', '0', '0.0',
          '0.00')) = (replace(replace(${column('Withdrawn')}, ',', ''), '-', '') not in ('',
          '0', '0.0', '0.00')) then 'a line has exactly one of Paid In and Withdrawn'
        end as reason
      from reconciliation_copy, (select min(n) as first_n from reconciliation_copy
        where run_id = ${runId}) f
      where run_id = ${runId}) v
    where reason is not null order by line limit 1`.execute(trx);
  const [first] = problem.rows;
  if (first !== undefined) throw new StatementLineError(first.line, first.reason);
}

export async function deleteCopied(db: AnyKysely, runId: string): Promise<void> {
  await sql`delete from reconciliation_copy where run_id = ${runId}`.execute(db);
}
