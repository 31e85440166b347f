/** Row types of the Sign in with Huduma tables (migrations/202612060400_*). */
import type { Kysely } from 'kysely';

export type OidcClientTable = {
  client_id: string;
  agency_id: string;
  name: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  scopes: string[];
  /** SHA-256 of the secret, hex; null: no usable secret (give it a new one). */
  secret_hash: string | null;
  created_by: string;
  created_at: Date;
  secret_rotated_at: Date | null;
  revoked_at: Date | null;
  revoked_by: string | null;
};

export type OidcRecordTable = {
  model: string;
  id: string;
  payload: unknown;
  grant_id: string | null;
  uid: string | null;
  expires_at: Date | null;
  consumed_at: Date | null;
};

export type FederationTables = {
  oidc_client: OidcClientTable;
  oidc_record: OidcRecordTable;
};

export type FederationDb = Kysely<FederationTables>;

export function federationDb<DB>(db: Kysely<DB>): FederationDb {
  return db as unknown as FederationDb;
}
