/**
 * The fast path for a statement on PostgreSQL, on a session of its own:
 * 1. the lines, read and checked in Node (statement-csv.ts), stream by COPY, already typed,
 *    into the unlogged scratch table reconciliation_scratch while the file is still being read
 *    (the reading takes one core, the server's COPY the other). Imports take turns with the
 *    scratch table (an advisory lock of the session, held until `release`): it is emptied by
 *    TRUNCATE before the COPY, which then writes its rows frozen, and again by `release`;
 * 2. in ONE transaction of the session, the run's staging: the lines, classified by a query on
 *    a second session (COPY ... TO), are relayed as they come into a COPY ... FROM into
 *    reconciliation_line on this one (`copySelect`): the query's join on one core while the
 *    write (heap, WAL, indexes, in pages rather than row by row) runs on the other (decision
 *    0019).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect, sql, type CompiledQuery, type RawBuilder } from 'kysely';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { appClient } from '#platform/db/index.ts';
import type { AnyKysely } from './reconciliation-tables.ts';
import type { StatementLine } from './statement-csv.ts';

export type CopySession = Readonly<{
  /** Queries on this session: inside `transaction`, in its transaction. */
  db: AnyKysely;
  /** Runs `work` in one transaction of this session: committed if it returns. */
  transaction: (work: () => Promise<void>) => Promise<void>;
  /**
   * COPYs the rows of `select` (no parameters; read on a second session after `settings`, in
   * a read-only transaction) into `target` ("table (columns)", binary: each column of the
   * target's type) on this session; resolves to the rows written.
   */
  copySelect: (select: CompiledQuery, target: string, settings: readonly string[])
    => Promise<number>;
  /** Empties the scratch table and lets the next import COPY: once the lines are staged. */
  release: () => Promise<void>;
}>;

/** Any key: imports take turns with reconciliation_scratch under it. */
const copyLockKey = 0x7265636f;

/** A Kysely whose every query runs on `client` (statements in its open transaction). */
function kyselyOn(client: pg.Client): AnyKysely {
  const session = { query: client.query.bind(client), release: () => undefined };
  return new Kysely({ dialect: new PostgresDialect({ pool: {
    connect: () => Promise.resolve(session), end: () => Promise.resolve() } }) });
}

/**
 * COPYs the lines into reconciliation_scratch and keeps the session (CopySession); a bad line
 * (thrown by `batches`) stops it, ends the session and is thrown.
 */
export async function copyLines(databaseUrl: string,
  batches: AsyncIterable<readonly StatementLine[]>): Promise<CopySession> {
  const client = appClient(databaseUrl);
  await client.connect();
  try {
    await client.query(`select pg_advisory_lock(${copyLockKey})`);
    await client.query('begin');
    await client.query('truncate reconciliation_scratch');
    const copy = client.query(copyFrom('copy reconciliation_scratch ' +
      '(n, r, t_ms, i, w, b, s, y, k, a, x) from stdin with (freeze true)'));
    await pipeline(Readable.from(copyRows(batches)), copy);
    await client.query('commit');
    return sessionOf(databaseUrl, client);
  } catch (error) {
    // The session's end takes its transaction and its advisory lock with it.
    await client.end();
    throw error;
  }
}

function sessionOf(databaseUrl: string, client: pg.Client): CopySession {
  return {
    db: kyselyOn(client),
    transaction: async (work) => {
      await client.query('begin');
      try {
        await work();
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      }
      await client.query('commit');
    },
    copySelect: async (select, target, settings) => {
      if (select.parameters.length > 0) throw new Error('COPY takes no parameters');
      const reader = appClient(databaseUrl);
      await reader.connect();
      try {
        await reader.query('begin transaction read only');
        for (const setting of settings) await reader.query(setting);
        const written = client.query(copyFrom(`copy ${target} from stdin with (format binary)`));
        await pipeline(reader.query(copyTo(`copy (${select.sql}) to stdout with (format binary)`)),
          written);
        return written.rowCount;
      } finally {
        await reader.end();
      }
    },
    release: async () => {
      try {
        await client.query('truncate reconciliation_scratch');
      } finally {
        await client.end();
      }
    },
  };
}

const specialCharacters = /[\\\t\n\r]/;
const asIs = (value: string): string => value;

async function* copyRows(batches: AsyncIterable<readonly StatementLine[]>):
  AsyncGenerator<Buffer> {
  for await (const batch of batches) {
    let text = '';
    for (const line of batch) {
      // Each field is read from the line: a line without a backslash, tab or line break has
      // none in any field, and nothing to escape (almost every line).
      const plain = !specialCharacters.test(line.raw);
      const field = plain ? asIs : copyText;
      text += `${line.lineNumber}\t${line.receipt}\t${line.completedAt.getTime()}\t${
        line.paidInMinor}\t${line.withdrawnMinor}\t${line.balanceMinor ?? '\\N'}\t${
        field(line.transactionStatus)}\t${field(line.reasonType)}\t${
        field(line.linkedReceipt)}\t${field(line.accountReference)}\t${field(line.raw)}\n`;
    }
    yield Buffer.from(text);
  }
}

const copyEscapes: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t',
  '\n': '\\n', '\r': '\\r' };

/** A value in COPY's text format: backslash, tab and line breaks escaped. */
function copyText(value: string): string {
  return specialCharacters.test(value)
    ? value.replace(/[\\\t\n\r]/g, (character) => copyEscapes[character] ?? '') : value;
}

/** The copied lines as classifiedRows reads them (t and completed computed as written). */
export function scratchSource(): RawBuilder<unknown> {
  return sql`select n, r, t, i, w, b, s, y, k, a, x, completed from reconciliation_scratch`;
}
