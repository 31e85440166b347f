/**
 * Runs a suite against a fresh PostgreSQL database AND a fresh PGlite database.
 *
 * PostgreSQL is reached at HUDUMA_TEST_POSTGRES_URL (default: the local server). Where it is
 * not reachable the PostgreSQL half is skipped LOUDLY; with HUDUMA_REQUIRE_ALL_TESTS=1 (set by
 * CI) an unreachable PostgreSQL fails the run instead.
 */
import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import {
  migrate,
  openEmbeddedDatabase,
  openPostgresDatabase,
  type DatabaseHandle,
  type DatabaseKind,
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

/** Creates an empty database on the PostgreSQL server; returns its URL and a dropper. */
export async function createPostgresDatabase(): Promise<{
  url: string;
  drop: () => Promise<void>;
}> {
  const name = `huduma_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: postgresAdminUrl });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/** A migrated, empty database of the given kind, and how to throw it away. */
export async function openTestDatabase(
  kind: DatabaseKind,
): Promise<{ handle: DatabaseHandle; dispose: () => Promise<void> }> {
  if (kind === 'pglite') {
    const handle = await openEmbeddedDatabase(undefined);
    await migrate(handle.db);
    return { handle, dispose: () => handle.close() };
  }
  const created = await createPostgresDatabase();
  const handle = await openPostgresDatabase(created.url);
  await migrate(handle.db);
  return {
    handle,
    dispose: async () => {
      await handle.close();
      await created.drop();
    },
  };
}

/**
 * Declares `body` once per database kind. `database()` returns the suite's database;
 * call it inside tests or hooks, not while declaring.
 */
export function describeOnDatabases(
  title: string,
  body: (database: () => DatabaseHandle, kind: DatabaseKind) => void,
): void {
  for (const kind of databaseKinds) {
    const skip = kind === 'postgres' && postgresProblem !== undefined
      ? `PostgreSQL not reachable: ${postgresProblem}`
      : false;
    describe(`${title} [${kind}]`, { skip }, () => {
      let current: { handle: DatabaseHandle; dispose: () => Promise<void> } | undefined;
      before(async () => {
        current = await openTestDatabase(kind);
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
