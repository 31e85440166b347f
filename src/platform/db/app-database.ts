/**
 * Opens the database the way the app uses it: migrations applied as the owner of the tables,
 * then every query run as the app role, which cannot change the audit log or the ledger.
 */
import { sql } from 'kysely';
import {
  appRole,
  openEmbeddedDatabase,
  openPostgresDatabase,
  type DatabaseHandle,
} from './database.ts';
import { migrate, type MigrationReport } from './migrations.ts';

export type AppDatabaseOptions = Readonly<{
  /** PostgreSQL the app connects to; undefined: the embedded database in dataDirectory. */
  databaseUrl: string | undefined;
  /** PostgreSQL login that owns the tables and migrates; undefined: databaseUrl's. */
  migrationDatabaseUrl?: string | undefined;
  dataDirectory: string | undefined;
  /**
   * Refuse a PostgreSQL login that could leave the app role (a superuser, or a member of the
   * tables' owner): the production setting, where the role must be a wall, not a habit.
   */
  requireConfinedLogin?: boolean;
  onProgress?: (done: number, total: number, name: string) => void;
}>;

export async function openAppDatabase(
  options: AppDatabaseOptions,
): Promise<{ database: DatabaseHandle; migrations: MigrationReport }> {
  const migrateOptions = options.onProgress === undefined ? {} : { onProgress: options.onProgress };
  if (options.databaseUrl === undefined) {
    // One connection in one process: the owner migrates, then the connection drops to the role.
    const database = await openEmbeddedDatabase(options.dataDirectory);
    try {
      const migrations = await migrate(database.db, migrateOptions);
      await sql`set role ${sql.id(appRole)}`.execute(database.db);
      return { database, migrations };
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  const owner = await openPostgresDatabase(options.migrationDatabaseUrl ?? options.databaseUrl, {
    poolSizeMax: 1,
  });
  let migrations: MigrationReport;
  try {
    migrations = await migrate(owner.db, migrateOptions);
  } finally {
    await owner.close();
  }
  const database = await openPostgresDatabase(options.databaseUrl, { role: appRole });
  try {
    if (options.requireConfinedLogin === true) await refuseUnconfinedLogin(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return { database, migrations };
}

export class UnconfinedLoginError extends Error {}

/** Throws when the login behind the app's connections can act as more than the app role. */
async function refuseUnconfinedLogin(database: DatabaseHandle): Promise<void> {
  const result = await sql<{ login: string; unconfined: boolean }>`
    select session_user as login,
      r.rolsuper or pg_has_role(session_user, c.relowner, 'MEMBER') as unconfined
    from pg_roles r, pg_class c
    where r.rolname = session_user and c.oid = 'audit_record'::regclass`.execute(database.db);
  const row = result.rows[0];
  if (row === undefined || row.unconfined) {
    throw new UnconfinedLoginError(
      `DATABASE_URL's login "${row?.login ?? '?'}" is a superuser or owns the tables, so it ` +
      `could leave the role ${appRole} and change the audit log; give the app a login that is ` +
      `only a member of ${appRole}, and set HUDUMA_MIGRATION_DATABASE_URL to the owner's`);
  }
}
