/**
 * Plain SQL migrations, applied in file-name order, each in its own transaction together with
 * its row in schema_migration. Applying twice is a no-op; a failed migration rolls back whole.
 * An advisory lock makes concurrent starts of several app processes safe.
 * Applied migrations are frozen: a changed file is refused, not re-run.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './database.ts';

export const migrationsDirectoryDefault = fileURLToPath(
  new URL('../../../migrations/', import.meta.url),
);

/** Any stable 64-bit number: the key of the advisory lock taken while migrating. */
const migrationLockKey = 4_812_093_771n;
const migrationNamePattern = /^\d{12}_[a-z0-9-]+\.sql$/;

export type Migration = Readonly<{ name: string; sql: string; checksum: string }>;

export type MigrationReport = Readonly<{ applied: string[]; alreadyApplied: number }>;

export async function readMigrations(directory = migrationsDirectoryDefault): Promise<Migration[]> {
  const names = (await readdir(directory)).filter((name) => name.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const name of names) {
    if (!migrationNamePattern.test(name)) {
      throw new Error(`Migration file name "${name}" must look like YYYYMMDDHHMM_verb-object.sql`);
    }
    const text = await readFile(path.join(directory, name), 'utf8');
    migrations.push({ name, sql: text, checksum: sha256(text) });
  }
  return migrations;
}

export async function migrate(
  db: Database,
  options: Readonly<{
    directory?: string;
    onProgress?: (done: number, total: number, name: string) => void;
  }> = {},
): Promise<MigrationReport> {
  const migrations = await readMigrations(options.directory);
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${migrationLockKey})`.execute(trx);
    await sql`create table if not exists schema_migration (
      name text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`.execute(trx);
  });
  const applied: string[] = [];
  let alreadyApplied = 0;
  for (const [index, migration] of migrations.entries()) {
    const wasApplied = await applyOne(db, migration);
    if (wasApplied) applied.push(migration.name);
    else alreadyApplied += 1;
    options.onProgress?.(index + 1, migrations.length, migration.name);
  }
  return { applied, alreadyApplied };
}

/** Returns true when this call applied it, false when it had been applied before. */
async function applyOne(db: Database, migration: Migration): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${migrationLockKey})`.execute(trx);
    const existing = await trx.selectFrom('schema_migration')
      .select('checksum').where('name', '=', migration.name).executeTakeFirst();
    if (existing !== undefined) {
      if (existing.checksum !== migration.checksum) {
        throw new Error(
          `Migration ${migration.name} was changed after it was applied; ` +
          'migrations are frozen: write a new one instead',
        );
      }
      return false;
    }
    await sql.raw(migration.sql).execute(trx);
    await trx.insertInto('schema_migration')
      .values({ name: migration.name, checksum: migration.checksum }).execute();
    return true;
  });
}

/** Names of migrations in the folder not yet applied (for /readyz). */
export async function pendingMigrations(
  db: Database,
  directory = migrationsDirectoryDefault,
): Promise<string[]> {
  const migrations = await readMigrations(directory);
  const rows = await db.selectFrom('schema_migration').select('name').execute();
  const applied = new Set(rows.map((row) => row.name));
  return migrations.map((m) => m.name).filter((name) => !applied.has(name));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
