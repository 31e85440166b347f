/** Row types of the Pesaflow-compatible checkout's tables (migrations/202612060500_*). */
import type { Kysely } from 'kysely';
import type { HashEncoding, IpnRecipe } from './pesaflow-hash.ts';

export type PesaflowClientTable = {
  id: string;
  agency_id: string;
  api_client_id: string;
  api_key: string;
  secret: string;
  name: string;
  hash_encoding: HashEncoding;
  ipn_recipe: IpnRecipe;
  payer_account_id: string;
  created_by: string;
  created_at: Date;
  disabled_at: Date | null;
  disabled_by: string | null;
};

export type PesaflowCheckoutTable = {
  id: string;
  client_id: string;
  bill_ref_number: string;
  request_hash: string;
  invoice_id: string;
  request_id: string;
  bill_desc: string;
  client_name: string;
  notification_url: string;
  callback_success: string;
  callback_failure: string | null;
  callback_timeout: string | null;
  created_at: Date;
};

export type PesaflowIpnState = 'pending' | 'delivered' | 'abandoned';

export type PesaflowIpnTable = {
  id: string;
  checkout_id: string;
  allocation_id: string;
  body: string;
  state: PesaflowIpnState;
  attempts: number;
  created_at: Date;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
};

export type PesaflowIpnCursorTable = { name: string; after_id: string; moved_at: Date | null };

export type PesaflowTables = {
  pesaflow_client: PesaflowClientTable;
  pesaflow_checkout: PesaflowCheckoutTable;
  pesaflow_ipn: PesaflowIpnTable;
  pesaflow_ipn_cursor: PesaflowIpnCursorTable;
};

export type PesaflowDb = Kysely<PesaflowTables>;

export function pesaflowDb<DB>(db: Kysely<DB>): PesaflowDb {
  return db as unknown as PesaflowDb;
}
