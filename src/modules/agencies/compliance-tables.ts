/**
 * Row types of the compliance register
 * (migrations/202612050300_create-compliance-register.sql). Dates (`date` columns) are read
 * as 'YYYY-MM-DD' text by the repository (`::text`), never as a Date, so no time zone shifts
 * them.
 */
import type { ColumnType, Generated, Kysely } from 'kysely';
import type { Currency } from '#platform/money/index.ts';

/** A `date` column: written as 'YYYY-MM-DD'; read through `::text` casts. */
type DateColumn = ColumnType<string, string, string>;

export type ComplianceLegacyPaybillTable = {
  id: string;
  agency_id: string;
  paybill_number: string;
  account_name: string;
  closure_due_on: DateColumn;
  closed_on: ColumnType<string | null, string | null | undefined, string | null>;
  declared_by: string;
  declared_at: Date;
};

export type ComplianceExemptionTable = {
  id: string;
  agency_id: string;
  service_id: string | null;
  reason: string;
  migration_plan: string;
  expires_on: DateColumn;
  recorded_by: string;
  recorded_at: Date;
  approved_by: string | null;
  approved_at: Date | null;
};

export type ComplianceOutsideRevenueTable = {
  agency_id: string;
  month: DateColumn;
  currency: Currency;
  amount_minor: bigint;
  declared_by: string;
  declared_at: Date;
};

export type NoticeState = 'issued' | 'answered' | 'closed';
export type NoticeEventKind = 'issued' | 'answered' | 'closed' | 'reopened';

export type ComplianceNoticeTable = {
  id: string;
  agency_id: string;
  subject: string;
  body: string;
  deadline_on: DateColumn;
  state: NoticeState;
  issued_by: string;
  issued_at: Date;
  updated_at: Date;
};

export type ComplianceNoticeEventTable = {
  id: string;
  /** Generated: the order of events (several may share a time). */
  seq: Generated<bigint>;
  notice_id: string;
  kind: NoticeEventKind;
  actor_id: string;
  occurred_at: Date;
  text: string;
  deadline_on: ColumnType<string | null, string | null | undefined, string | null>;
};

export type ComplianceAlertKind = 'exemption_expired' | 'paybill_past_closure' |
  'notice_overdue';

export type ComplianceAlertTable = {
  id: string;
  agency_id: string;
  kind: ComplianceAlertKind;
  subject_id: string;
  due_on: DateColumn;
  raised_at: Date;
  resolved_at: Date | null;
};

/** The catalogue tables the register reads (agencies may read its own agency's catalogue). */
type CatalogueReadTables = {
  agency: { id: string; slug: string; name_en: string; name_sw: string | null };
  service: { id: string; agency_id: string; slug: string; name_en: string;
    name_sw: string | null; onboarding_status: string };
  /** Staff names, to say on the register who declared, recorded or approved (staff only). */
  staff_member: { id: string; display_name: string; email: string; role: string;
    agency_id: string | null; status: string };
};

export type ComplianceTables = CatalogueReadTables & {
  compliance_legacy_paybill: ComplianceLegacyPaybillTable;
  compliance_exemption: ComplianceExemptionTable;
  compliance_outside_revenue: ComplianceOutsideRevenueTable;
  compliance_notice: ComplianceNoticeTable;
  compliance_notice_event: ComplianceNoticeEventTable;
  compliance_alert: ComplianceAlertTable;
};

export type ComplianceDb = Kysely<ComplianceTables>;

export function complianceDb<DB>(db: Kysely<DB>): ComplianceDb {
  return db as unknown as ComplianceDb;
}
