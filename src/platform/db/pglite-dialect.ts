/**
 * A Kysely dialect for PGlite, the embedded PostgreSQL (WASM, in-process).
 *
 * PGlite is one connection. Kysely may hold a connection for a whole transaction, so the
 * driver hands the connection to one holder at a time (a FIFO mutex); other queries wait.
 * A wait longer than connectionWaitMsMax is a bug (a query issued outside the transaction
 * that holds the connection would wait forever), so it fails loudly instead of hanging.
 */
import type { PGlite, Results } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

const connectionWaitMsMax = 60_000;

export class PgliteDialect implements Dialect {
  readonly #pglite: PGlite;
  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PgliteDriver(this.#pglite);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

class PgliteDriver implements Driver {
  readonly #connection: PgliteConnection;
  #tail: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  constructor(pglite: PGlite) {
    this.#connection = new PgliteConnection(pglite);
  }

  async init(): Promise<void> {
    await this.#connection.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#tail;
    let release: () => void = () => undefined;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(
          `PGlite connection not free after ${connectionWaitMsMax} ms: ` +
          'is a query running outside the transaction that holds it?',
        ));
      }, connectionWaitMsMax);
      timer.unref();
    });
    try {
      await Promise.race([previous, timeout]);
    } finally {
      clearTimeout(timer);
    }
    this.#release = release;
    return this.#connection;
  }

  async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    const level = settings.isolationLevel;
    const begin = level === undefined ? 'begin' : `begin isolation level ${level}`;
    await connection.executeQuery(CompiledQuery.raw(begin));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdentifier(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    const statement = `rollback to savepoint ${quoteIdentifier(name)}`;
    await connection.executeQuery(CompiledQuery.raw(statement));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdentifier(name)}`));
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    await this.#tail;
    if (!this.#connection.pglite.closed) await this.#connection.pglite.close();
  }
}

class PgliteConnection implements DatabaseConnection {
  readonly pglite: PGlite;
  constructor(pglite: PGlite) {
    this.pglite = pglite;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    // Like node-postgres: a query without parameters goes through the simple protocol,
    // which also runs scripts of several statements (migrations).
    const result: Results<R> = compiledQuery.parameters.length === 0
      ? lastResult(await this.pglite.exec(compiledQuery.sql)) as Results<R>
      : await this.pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters])
        .catch(withoutParameters);
    const affected = result.affectedRows;
    return {
      rows: result.rows,
      ...(affected === undefined ? {} : { numAffectedRows: BigInt(affected) }),
    };
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streamQuery is not supported on PGlite; page with limit/offset instead');
  }
}

/**
 * PGlite puts a failed query's parameters (ID numbers, names, password hashes) on its error,
 * where a logged error would write them out: take them off, as node-postgres never adds them.
 */
function withoutParameters(error: unknown): never {
  if (typeof error === 'object' && error !== null) {
    const fields = error as Record<string, unknown>;
    delete fields.params;
    delete fields.queryOptions;
  }
  throw error;
}

function lastResult(results: Results[]): Results {
  return results.at(-1) ?? { rows: [], fields: [], affectedRows: 0 };
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
