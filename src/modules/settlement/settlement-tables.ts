/** Row types of the settlement tables (migrations/202612041601_create-settlement.sql). */
import type { Currency } from '#platform/money/index.ts';

export type BatchState = 'prepared' | 'released' | 'settled' | 'cancelled';
export type LineState = 'prepared' | 'released' | 'settled' | 'returned' | 'cancelled';

export type SettlementProfileTable = {
  payee: string;
  bank_name: string;
  bank_code: string;
  branch: string;
  account_number: string;
  account_name: string;
  schedule_days: number;
  sla_days: number;
  updated_at: Date;
};

export type SettlementBatchTable = {
  id: string;
  reference: string;
  currency: Currency;
  cutoff: Date;
  schedule_key: string | null;
  prepared_by: string;
  prepared_at: Date;
  state: BatchState;
  released_at: Date | null;
  settled_at: Date | null;
  settled_by: string | null;
  bank_reference: string | null;
  cancelled_at: Date | null;
  cancelled_by: string | null;
};

export type SettlementApprovalTable = { batch_id: string; approved_by: string; approved_at: Date };

export type SettlementLineTable = {
  id: string;
  batch_id: string;
  payee: string;
  account_code: string;
  amount_minor: bigint;
  currency: Currency;
  payee_name: string;
  bank_name: string;
  bank_code: string;
  account_number: string;
  account_name: string;
  state: LineState;
  returned_reason: string | null;
};

export type SettlementEntryTable = {
  entry_id: string;
  account_code: string;
  batch_id: string;
  line_id: string;
  amount_minor: bigint;
  occurred_at: Date;
};

export type SettlementAlertTable = {
  id: string;
  payee: string;
  reason: string;
  raised_at: Date;
  closed_at: Date | null;
  closed_by: string | null;
  closing_note: string | null;
};

/** The lag measure as the last SLA check took it (migration 202612050700). */
export type SettlementLagSnapshotTable = {
  payee: string;
  settled_entries: number;
  median_hours: number | null;
  max_hours: number | null;
  oldest_unsettled_at: Date | null;
  schedule_days: number;
  sla_days: number;
  breached: boolean;
  has_profile: boolean;
  measured_at: Date;
};

export type SettlementTables = {
  settlement_profile: SettlementProfileTable;
  settlement_lock: { currency: string };
  settlement_batch: SettlementBatchTable;
  settlement_approval: SettlementApprovalTable;
  settlement_line: SettlementLineTable;
  settlement_entry: SettlementEntryTable;
  settlement_alert: SettlementAlertTable;
  settlement_lag_snapshot: SettlementLagSnapshotTable;
};
