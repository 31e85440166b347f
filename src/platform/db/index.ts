export {
  openAppDatabase,
  UnconfinedLoginError,
  type AppDatabaseOptions,
} from './app-database.ts';
export {
  appClient,
  appRole,
  describePostgresUrl,
  openDatabase,
  openEmbeddedDatabase,
  openPostgresDatabase,
  type Database,
  type DatabaseHandle,
  type DatabaseKind,
} from './database.ts';
export { migrate, pendingMigrations, readMigrations, type MigrationReport } from './migrations.ts';
export type { PlatformTables } from './platform-tables.ts';
