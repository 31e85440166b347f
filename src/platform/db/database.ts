/**
 * Opens the database: PGlite (embedded, in a data folder or in memory) or PostgreSQL.
 * One SQL dialect for both. int8 maps to bigint so money never passes through a float.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PgliteDialect } from './pglite-dialect.ts';
import { queryProfileLogger } from './query-profile.ts';
import type { PlatformTables } from './platform-tables.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export type Database = Kysely<PlatformTables>;

export type DatabaseHandle = Readonly<{
  db: Database;
  kind: DatabaseKind;
  /** Where the data lives, without credentials: safe to print. */
  description: string;
  close: () => Promise<void>;
}>;

/**
 * The role the app's queries run as (created by migration 202611281700): it reads and writes
 * the working tables, may only read and append to the audit log and the ledger, and owns
 * nothing, so it cannot alter a table or switch its triggers off. Migrations run as the owner.
 */
export const appRole = 'huduma_app';

const rolePattern = /^[a-z_][a-z0-9_]*$/;
const poolSizeDefault = 10;
const statementTimeoutMsDefault = 30_000;

/** Opens PGlite in a folder (created if missing), or in memory when the folder is undefined. */
export async function openEmbeddedDatabase(
  dataDirectory: string | undefined,
): Promise<DatabaseHandle> {
  let dataDir: string | undefined;
  if (dataDirectory !== undefined) {
    dataDir = path.resolve(dataDirectory, 'pgdata');
    await mkdir(dataDir, { recursive: true });
  }
  const pglite = await PGlite.create({
    ...(dataDir === undefined ? {} : { dataDir }),
    extensions: { pg_trgm, unaccent },
    parsers: { [pgliteTypes.INT8]: (value: string) => BigInt(value) },
  });
  const log = queryProfileLogger();
  const db = new Kysely<PlatformTables>({ dialect: new PgliteDialect(pglite),
    ...(log === undefined ? {} : { log }) });
  return {
    db,
    kind: 'pglite',
    description: dataDir === undefined ? 'PGlite (in memory)' : `PGlite (${dataDir})`,
    close: () => db.destroy(),
  };
}

export type PostgresOptions = Readonly<{
  poolSizeMax?: number;
  statementTimeoutMs?: number;
  /** Run every connection as this role (set at connection start: no query runs before it). */
  role?: string;
}>;

/** int8 as bigint (money never passes through a float), the rest as node-postgres reads it. */
const postgresTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8) return (value: string) => BigInt(value);
    return format === undefined
      ? pg.types.getTypeParser(oid)
      : pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

/**
 * A PostgreSQL connection of its own, not from the pool (a COPY's session), made as the
 * pool's are: the app's role, int8 as bigint, no statement timeout (a million-line COPY), and
 * a dying connection's error event ignored (its next statement fails instead of the process
 * ending). Not yet connected.
 */
export function appClient(url: string): pg.Client {
  const client = new pg.Client({ connectionString: url, options: `-c role=${appRole}`,
    types: postgresTypes });
  client.on('error', () => undefined);
  return client;
}

/** Opens a pool to PostgreSQL. */
export async function openPostgresDatabase(
  url: string,
  options: PostgresOptions = {},
): Promise<DatabaseHandle> {
  if (options.role !== undefined && !rolePattern.test(options.role)) {
    throw new Error(`Not a role name: "${options.role}"`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSizeMax ?? poolSizeDefault,
    statement_timeout: options.statementTimeoutMs ?? statementTimeoutMsDefault,
    connectionTimeoutMillis: 10_000,
    ...(options.role === undefined ? {} : { options: `-c role=${options.role}` }),
    types: postgresTypes,
  });
  // An idle client whose connection dies (a server restart, a dropped database) is emitted as
  // a pool 'error'; with no listener that is an uncaught exception that ends the process.
  // The pool has already discarded the client; the next query opens a new connection.
  pool.on('error', () => undefined);
  // A client the app holds (a transaction between two statements) has no pool listener: its
  // connection dying is emitted on the client, and would end the process the same way. The
  // transaction's next statement fails instead, and the pool discards the client on release.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  const log = queryProfileLogger();
  const db = new Kysely<PlatformTables>({ dialect: new PostgresDialect({ pool }),
    ...(log === undefined ? {} : { log }) });
  return { db, kind: 'postgres', description: describePostgresUrl(url), close: () => db.destroy() };
}

/** Opens PostgreSQL when a URL is given, else the embedded database. */
export function openDatabase(
  options: Readonly<{ databaseUrl: string | undefined; dataDirectory: string }>,
): Promise<DatabaseHandle> {
  return options.databaseUrl === undefined
    ? openEmbeddedDatabase(options.dataDirectory)
    : openPostgresDatabase(options.databaseUrl);
}

/** host:port/database, never the password. */
export function describePostgresUrl(url: string): string {
  const parsed = new URL(url);
  return `PostgreSQL (${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname})`;
}
