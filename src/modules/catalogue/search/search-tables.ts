/** Row types search reads (migrations/202611280900_create-catalogue-version.sql). */
import type { CatalogueTables } from '../catalogue-tables.ts';

export type CatalogueVersionTable = {
  id: boolean;
  version: bigint;
  changed_at: Date;
};

export type SearchTables = CatalogueTables & { catalogue_version: CatalogueVersionTable };
