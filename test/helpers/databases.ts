/**
 * Runs a suite against a fresh PostgreSQL database AND a fresh PGlite database.
 *
 * PostgreSQL is reached at HUDUMA_TEST_POSTGRES_URL (default: the local server). Where it is
 * not reachable the PostgreSQL half is skipped LOUDLY; with HUDUMA_REQUIRE_ALL_TESTS=1 (set by
 * CI) an unreachable PostgreSQL fails the run instead.
 */
import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import { sql, type Transaction } from 'kysely';
import pg from 'pg';
import {
  migrate,
  openAppDatabase,
  openEmbeddedDatabase,
  openPostgresDatabase,
  type DatabaseHandle,
  type DatabaseKind,
  type PlatformTables,
} from '#platform/db/index.ts';
import { reportSkip, requireAllTests } from './skips.ts';

export const postgresAdminUrl = process.env.HUDUMA_TEST_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

const probeTimeoutMs = 3_000;

async function probePostgres(): Promise<string | undefined> {
  const client = new pg.Client({
    connectionString: postgresAdminUrl,
    connectionTimeoutMillis: probeTimeoutMs,
  });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const postgresProblem = await probePostgres();
if (postgresProblem !== undefined) {
  const message = `PostgreSQL is not reachable (${postgresProblem}); ` +
    'database tests ran on PGlite only';
  if (requireAllTests) {
    throw new Error(`${message}, and HUDUMA_REQUIRE_ALL_TESTS=1 forbids skipping`);
  }
  reportSkip(message);
}

export const databaseKinds: readonly DatabaseKind[] = ['pglite', 'postgres'];

/** Runs one statement on the PostgreSQL server as its administrator (roles, databases). */
export async function adminQuery(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** Creates an empty database on the PostgreSQL server; returns its URL and a dropper. */
export async function createPostgresDatabase(): Promise<{
  url: string;
  drop: () => Promise<void>;
}> {
  const name = `huduma_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}

/** Who the test's queries run as: the app role, as the app runs, or the tables' owner. */
export type TestDatabaseRole = 'app' | 'owner';

/**
 * A migrated, empty database of the given kind, and how to throw it away. Opened as the app
 * opens it (queries run as the app role) unless the owner is asked for (tests of migrations).
 * A test that must act as the owner only for a moment (to tamper with the audit log, say) does
 * so in a transaction with actAsOwnerInTrx.
 */
export async function openTestDatabase(
  kind: DatabaseKind,
  role: TestDatabaseRole = 'app',
): Promise<{ handle: DatabaseHandle; dispose: () => Promise<void> }> {
  if (kind === 'pglite') {
    const handle = role === 'app'
      ? (await openAppDatabase({ databaseUrl: undefined, dataDirectory: undefined })).database
      : await openMigratedAsOwner(await openEmbeddedDatabase(undefined));
    return { handle, dispose: () => handle.close() };
  }
  const created = await createPostgresDatabase();
  const handle = role === 'app'
    ? (await openAppDatabase({ databaseUrl: created.url, dataDirectory: undefined })).database
    : await openMigratedAsOwner(await openPostgresDatabase(created.url));
  return {
    handle,
    dispose: async () => {
      await handle.close();
      await created.drop();
    },
  };
}

async function openMigratedAsOwner(handle: DatabaseHandle): Promise<DatabaseHandle> {
  await migrate(handle.db);
  return handle;
}

/**
 * Declares `body` once per database kind. `database()` returns the suite's database;
 * call it inside tests or hooks, not while declaring.
 */
export function describeOnDatabases(
  title: string,
  body: (database: () => DatabaseHandle, kind: DatabaseKind) => void,
  role: TestDatabaseRole = 'app',
): void {
  for (const kind of databaseKinds) {
    const skip = kind === 'postgres' && postgresProblem !== undefined
      ? `PostgreSQL not reachable: ${postgresProblem}`
      : false;
    describe(`${title} [${kind}]`, { skip }, () => {
      let current: { handle: DatabaseHandle; dispose: () => Promise<void> } | undefined;
      before(async () => {
        current = await openTestDatabase(kind, role);
      });
      after(async () => {
        await current?.dispose();
      });
      body(() => {
        if (current === undefined) throw new Error('database() called before the suite started');
        return current.handle;
      }, kind);
    });
  }
}

/**
 * From here to the end of the transaction, act as the session's login (the test server's
 * superuser) instead of the app role: what a test of the schema's own guards needs.
 */
export async function actAsOwnerInTrx(trx: Transaction<PlatformTables>): Promise<void> {
  await sql`set local role none`.execute(trx);
}

/**
 * The append-only triggers off for the rest of the transaction, as only someone holding the
 * superuser could: tests of tamper detection change the audit log and the ledger this way.
 */
export async function switchTriggersOffInTrx(trx: Transaction<PlatformTables>): Promise<void> {
  await actAsOwnerInTrx(trx);
  await sql`set local session_replication_role = replica`.execute(trx);
}
