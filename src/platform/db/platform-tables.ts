/**
 * Tables owned by the platform kernel. Each module declares its own tables and
 * narrows the handle with `db.withTables<ModuleTables>()`.
 */
import type { Generated } from 'kysely';

export type SchemaMigrationTable = {
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
};

export type PlatformTables = {
  schema_migration: SchemaMigrationTable;
};
