/** Row types of the agency integration tables (migrations/202612041900_*). */
import type { Kysely } from 'kysely';

export type AgencyApiKeyTable = {
  id: string;
  agency_id: string;
  prefix: string;
  secret_hash: string;
  name: string;
  created_by: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  revoked_by: string | null;
};

export type AgencyInvoiceTable = {
  agency_id: string;
  agency_reference: string;
  request_hash: string;
  invoice_id: string;
  created_at: Date;
};

export type AgencyIntegrationTables = {
  agency_api_key: AgencyApiKeyTable;
  agency_invoice: AgencyInvoiceTable;
};

export type AgencyIntegrationDb = Kysely<AgencyIntegrationTables>;

export function integrationDb<DB>(db: Kysely<DB>): AgencyIntegrationDb {
  return db as unknown as AgencyIntegrationDb;
}
