/**
 * The benchmark's database: a PostgreSQL database or a PGlite folder holding the real
 * eCitizen catalogue (through `huduma catalogue import`, when the dataset folder exists) plus
 * synthetic services up to the target count. Kept between runs (bench/.out/, or a named
 * PostgreSQL database) and reused when it already holds enough services.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import {
  migrate,
  openEmbeddedDatabase,
  openPostgresDatabase,
  type DatabaseHandle,
  type DatabaseKind,
} from '#platform/db/index.ts';
import { startProgress } from '#platform/progress.ts';
import { buildQueryMix, type MixQuery } from './query-mix.ts';
import { addSyntheticServices } from './synthetic-services.ts';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
export const benchOutputDirectory = path.join(repositoryRoot, 'bench', '.out');
const setupStatementTimeoutMs = 20 * 60_000;
const postgresAdminUrl = process.env.HUDUMA_BENCH_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

/** Queries in the benchmark's mix. */
export const mixSize = 2_000;

/** The benchmark's query mix, filtering by 60 of this database's ministries and agencies. */
export async function benchQueryMix<DB>(db: Kysely<DB>): Promise<MixQuery[]> {
  const slugs = async (table: 'ministry' | 'agency') => (await sql<{ slug: string }>`
    select slug from ${sql.table(table)} order by md5(slug) limit 60`.execute(db))
    .rows.map((row) => row.slug);
  return buildQueryMix(mixSize, await slugs('ministry'), await slugs('agency'));
}

export type BenchDatabase = Readonly<{
  kind: DatabaseKind;
  /** Environment that points the app (or the CLI) at this database. */
  env: Readonly<Record<string, string>>;
  description: string;
  open: () => Promise<DatabaseHandle>;
}>;

export function benchDatabase(kind: DatabaseKind, services: number): BenchDatabase {
  if (kind === 'pglite') {
    const directory = path.join(benchOutputDirectory, `pglite-${services}`);
    return {
      kind, description: `PGlite (embedded, WASM) in ${path.relative(repositoryRoot, directory)}`,
      env: { HUDUMA_DATA_DIR: directory },
      open: () => openEmbeddedDatabase(directory),
    };
  }
  const url = new URL(postgresAdminUrl);
  url.pathname = `/huduma_bench_search_${services}`;
  return {
    kind, description: `PostgreSQL (${url.host}${url.pathname})`,
    env: { DATABASE_URL: url.toString() },
    open: async () => {
      await createPostgresDatabaseIfMissing(url.pathname.slice(1));
      // Setting up a million rows takes longer than the app's statement time limit.
      return openPostgresDatabase(url.toString(), { statementTimeoutMs: setupStatementTimeoutMs });
    },
  };
}

async function createPostgresDatabaseIfMissing(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
}

async function countServices(handle: DatabaseHandle): Promise<{ all: number; real: number }> {
  const result = await sql<{ all: bigint; real: bigint }>`select count(*) as all,
    count(*) filter (where origin = 'ecitizen') as real from service`.execute(handle.db);
  const row = result.rows[0];
  return { all: Number(row?.all ?? 0n), real: Number(row?.real ?? 0n) };
}

/** Runs `huduma <args>` against the database; resolves with its exit code. */
function runCli(database: BenchDatabase, args: readonly string[]): Promise<number> {
  const node = process.execPath;
  const child = spawn(node, [path.join(repositoryRoot, 'src/cli/main.ts'), ...args], {
    cwd: repositoryRoot,
    env: { ...process.env, ...database.env, HUDUMA_DEMO_DATA: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

export type PreparedData = Readonly<{ services: number; realServices: number; notes: string[] }>;

/**
 * Makes sure the database holds `target` services: the real catalogue first (once), then
 * synthetic ones from `huduma catalogue generate` (or, when asked or when that fails, the
 * bench's own in-database generator, which is faster at a million). Leaves it closed (PGlite
 * allows one process at a time).
 */
export async function prepareBenchData(
  database: BenchDatabase,
  target: number,
  catalogueFolder: string | undefined,
  generator: 'huduma' | 'bench' = 'huduma',
): Promise<PreparedData> {
  const notes: string[] = [];
  let handle = await database.open();
  await migrate(handle.db);
  let counts = await countServices(handle);
  if (counts.real === 0 && counts.all < target) {
    if (catalogueFolder !== undefined && existsSync(catalogueFolder)) {
      await handle.close();
      process.stderr.write(`importing the real catalogue from ${catalogueFolder}\n`);
      const code = await runCli(database, ['catalogue', 'import', catalogueFolder]);
      if (code !== 0) notes.push(`huduma catalogue import exited ${code}: synthetic data only`);
      handle = await database.open();
      counts = await countServices(handle);
    } else {
      notes.push('the real catalogue folder was not found: synthetic data only');
    }
  }
  if (counts.all < target && generator === 'huduma') {
    // The project's generator counts synthetic services: ask for the difference.
    await handle.close();
    const wanted = String(target - counts.real);
    process.stderr.write(`huduma catalogue generate --services ${wanted}\n`);
    const code = await runCli(database, ['catalogue', 'generate', '--services', wanted]);
    if (code !== 0) notes.push(`huduma catalogue generate exited ${code}: the bench's generator`);
    handle = await database.open();
    counts = await countServices(handle);
  }
  if (counts.all < target) {
    const progress = startProgress('adding synthetic services', target - counts.all);
    const db = handle.db as unknown as Kysely<unknown>;
    await addSyntheticServices(db, target - counts.all, progress);
    progress.done();
    counts = await countServices(handle);
    notes.push('synthetic services from bench/search/synthetic-services.ts');
  }
  if (counts.all > target) notes.push(`the database already held ${counts.all} services`);
  await handle.close();
  return { services: counts.all, realServices: counts.real, notes };
}
