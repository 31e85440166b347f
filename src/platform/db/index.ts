export {
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
