/** Row types of the audit log (migrations/202611281001_create-audit-record.sql). */
import type { ColumnType, Kysely } from 'kysely';

/** A jsonb column: read as parsed JSON, written as a JSON string. */
type JsonColumn = ColumnType<unknown, string, string>;

export type AuditRecordTable = {
  /** migrations/202612031300: which canonical form `hash` covers (audit-chain.ts). */
  hash_version: number;
  sequence: bigint;
  occurred_at: Date;
  action: string;
  actor_kind: 'account' | 'staff' | 'system' | 'api-client';
  actor_id: string | null;
  actor_role: string | null;
  on_behalf_of_kind: 'account' | 'business' | null;
  on_behalf_of_id: string | null;
  subject_type: string;
  subject_id: string | null;
  agency_id: string | null;
  personal_data_read: boolean;
  detail: JsonColumn;
  source_address: string | null;
  previous_hash: string;
  hash: string;
};

/** migrations/202611281600_create-audit-chain-head.sql: one row, the newest record. */
export type AuditChainHeadTable = {
  singleton: boolean;
  sequence: bigint;
  hash: string;
};

export type AuditTables = {
  audit_record: AuditRecordTable;
  audit_chain_head: AuditChainHeadTable;
};

/**
 * Any handle, a Kysely instance or a transaction, whatever tables its caller declared. `any`
 * because Kysely is invariant in its tables; the functions taking it narrow it at once.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKysely = Kysely<any>;

/** Any handle (Kysely instance or transaction) seen with the audit table. */
export function withAuditTables(db: AnyKysely): Kysely<AuditTables> {
  return db;
}
