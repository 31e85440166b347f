/**
 * The fast path for a statement on PostgreSQL: the lines, read and checked in Node
 * (statement-csv.ts), stream by COPY, already typed, into the unlogged scratch table
 * reconciliation_scratch, on a connection of their own, while the file is still being read
 * (the reading takes one core, the server's COPY the other). Imports take turns with the
 * scratch table (an advisory lock of the COPY's session, held until `release`): it is
 * emptied by TRUNCATE before the COPY, which then writes its rows frozen, and again by
 * `release`. The run's staging transaction then classifies the lines from it with one
 * INSERT ... SELECT (matching-repo.ts, scratchSource).
 */
import { once } from 'node:events';
import { sql, type RawBuilder } from 'kysely';
import pg from 'pg';
import { appRole } from '#platform/db/index.ts';
import type { StatementLine } from './statement-csv.ts';

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

export type Copied = Readonly<{ rows: number;
  /** Empties the scratch table and lets the next import COPY: once the lines are staged. */
  release: () => Promise<void> }>;

/** Any key: imports take turns with reconciliation_scratch under it. */
const copyLockKey = 0x7265636f;

/** COPYs the lines into reconciliation_scratch; a bad line (thrown by `batches`) stops it. */
export async function copyLines(databaseUrl: string,
  batches: AsyncIterable<readonly StatementLine[]>): Promise<Copied> {
  const client = new pg.Client({ connectionString: databaseUrl,
    options: `-c role=${appRole}` });
  await client.connect();
  try {
    await client.query(`select pg_advisory_lock(${copyLockKey})`);
    await client.query('begin');
    await client.query('truncate reconciliation_scratch');
    const copy = new CopyIn('copy reconciliation_scratch (n, r, t_ms, i, w, b, s, y, k, a, x) ' +
      'from stdin with (freeze true)', copyRows(batches));
    void client.query(copy as never);
    const rows = await copy.done;
    await client.query('commit');
    return { rows, release: async () => {
      try {
        await client.query('truncate reconciliation_scratch');
      } finally {
        await client.end();
      }
    } };
  } catch (error) {
    // The session's end takes its transaction and its advisory lock with it.
    await client.end();
    throw error;
  }
}

async function* copyRows(batches: AsyncIterable<readonly StatementLine[]>):
  AsyncGenerator<Buffer> {
  for await (const batch of batches) {
    let text = '';
    for (const line of batch) {
      text += `${line.lineNumber}\t${line.receipt}\t${line.completedAt.getTime()}\t${
        line.paidInMinor}\t${line.withdrawnMinor}\t${line.balanceMinor ?? '\\N'}\t${
        copyText(line.transactionStatus)}\t${copyText(line.reasonType)}\t${
        copyText(line.linkedReceipt)}\t${copyText(line.accountReference)}\t${
        copyText(line.raw)}\n`;
    }
    yield Buffer.from(text);
  }
}

const copyEscapes: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t',
  '\n': '\\n', '\r': '\\r' };

/** A value in COPY's text format: backslash, tab and line breaks escaped. */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (character) => copyEscapes[character] ?? '') : value;
}

/** The copied lines as insertClassifiedFromInTrx reads them. */
export function scratchSource(): RawBuilder<unknown> {
  return sql`select n, r, timestamptz 'epoch' + t_ms * interval '1 millisecond' as t, i, w, b,
      s, y, k, a, x, lower(s) = 'completed' as completed
    from reconciliation_scratch`;
}
