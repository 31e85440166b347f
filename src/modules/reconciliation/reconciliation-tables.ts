import type { Kysely } from 'kysely';

/** Any database handle or transaction: the repos write SQL naming their own tables. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKysely = Kysely<any>;

/** Row types of the reconciliation tables (migrations/202612041500_create-reconciliation.sql). */
export type RunSource = 'statement_csv' | 'pull_api';
export type RunStatus = 'importing' | 'completed' | 'repeated' | 'rejected';

export const lineClasses = [
  'matched', 'missing_callback', 'mismatch', 'duplicate', 'sweep', 'charge', 'refund_payout',
  'unknown_withdrawal', 'not_completed',
] as const;
export type LineClass = (typeof lineClasses)[number];

export const findingKinds = [
  'missing_callback', 'mismatch', 'duplicate', 'unknown_withdrawal', 'platform_only',
  'balance_difference',
] as const;
export type FindingKind = (typeof findingKinds)[number];

export type ReconciliationRunTable = {
  id: string;
  source: RunSource;
  shortcode: string;
  status: RunStatus;
  content_sha256: string | null;
  repeat_of: string | null;
  window_from: Date | null;
  window_to: Date | null;
  newest_first: boolean;
  line_count: number;
  line_amount_minor: bigint | null;
  finding_count: number;
  rejection: string | null;
  started_by: string;
  started_at: Date;
  finished_at: Date | null;
};

export type ReconciliationLineTable = {
  run_id: string;
  line_number: number;
  receipt: string;
  completed_at: Date;
  paid_in_minor: bigint;
  withdrawn_minor: bigint;
  balance_minor: bigint | null;
  transaction_status: string;
  reason_type: string;
  linked_receipt: string;
  account_reference: string;
  raw: string | null;
  class: LineClass | null;
  payment_id: string | null;
  ledger_minor: bigint | null;
  note: string | null;
};

export type ReconciliationFindingTable = {
  id: string;
  run_id: string;
  kind: FindingKind;
  line_number: number | null;
  payment_id: string | null;
  receipt: string | null;
  amount_minor: bigint | null;
  detail: string;
  raised_at: Date;
};

export type ReconciliationTables = {
  reconciliation_run: ReconciliationRunTable;
  reconciliation_line: ReconciliationLineTable;
  reconciliation_finding: ReconciliationFindingTable;
};
