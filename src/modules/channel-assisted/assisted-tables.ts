/** Row types of the assisted-service tables (migrations/202612060300_*). */
import type { Kysely } from 'kysely';

export type AgentKind = 'cyber-cafe' | 'huduma-centre';
export const agentKinds: readonly AgentKind[] = ['cyber-cafe', 'huduma-centre'];

export type AssistedAgentTable = {
  staff_id: string;
  agent_number: string;
  business_name: string;
  kind: AgentKind;
  location: string;
  registered_by_staff_id: string;
  registered_at: Date;
};

export type AgentFeeCapTable = {
  id: string;
  /** Null: the flat cap for every service without one of its own. */
  service_id: string | null;
  cap_minor: bigint;
  currency: 'KES';
  /** A Kenyan calendar date, YYYY-MM-DD. */
  effective_from: string;
  set_by_staff_id: string;
  created_at: Date;
};

export type AssistedConsentTable = {
  id: string;
  agent_staff_id: string;
  citizen_account_id: string;
  code_hash: string;
  attempts: number;
  created_at: Date;
  code_expires_at: Date;
  consented_at: Date | null;
  session_expires_at: Date | null;
  ended_at: Date | null;
};

export type AssistedTransactionTable = {
  id: string;
  consent_id: string;
  /** The form's idempotency key: pressing the button twice makes one bill. */
  request_key: string;
  agent_staff_id: string;
  citizen_account_id: string;
  invoice_id: string;
  service_id: string;
  agency_id: string;
  agent_fee_minor: bigint;
  agent_fee_cap_minor: bigint;
  currency: 'KES';
  created_at: Date;
};

/** An application an agent made in a citizen's name (migrations/202612060350_*). */
export type AssistedApplicationTable = {
  id: string;
  consent_id: string;
  request_key: string;
  agent_staff_id: string;
  citizen_account_id: string;
  application_id: string;
  service_id: string;
  agency_id: string;
  agent_fee_minor: bigint;
  agent_fee_cap_minor: bigint;
  currency: 'KES';
  created_at: Date;
};

/** The account and staff columns this module reads (owned by identity). */
type AccountRead = {
  id: string;
  kind: string;
  document_type: string;
  document_number: string;
  first_name: string | null;
  last_name: string | null;
  business_name: string | null;
  phone: string | null;
  language: 'en' | 'sw';
};
type StaffRead = { id: string; email: string; role: string; status: string };
type InvoiceRead = { id: string; reference: string; currency: 'KES' | 'USD'; total_minor: bigint };
type ServiceRead = { id: string; slug: string; name_en: string; name_sw: string | null;
  agency_id: string; form_schema: unknown };

export type AssistedTables = {
  assisted_agent: AssistedAgentTable;
  agent_fee_cap: AgentFeeCapTable;
  assisted_consent: AssistedConsentTable;
  assisted_transaction: AssistedTransactionTable;
  assisted_application: AssistedApplicationTable;
  application: { id: string; reference: string };
  account: AccountRead;
  staff_member: StaffRead;
  invoice: InvoiceRead;
  service: ServiceRead;
};

export type AssistedDb = Kysely<AssistedTables>;

export function assistedDb<DB>(db: Kysely<DB>): AssistedDb {
  return db as unknown as AssistedDb;
}
