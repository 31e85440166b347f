/** Row types of the refund tables (migrations/202612041700_create-refund.sql). */
import type { ColumnType } from 'kysely';
import type { Currency } from '#platform/money/index.ts';

export type RefundSourceKind = 'payer_credit' | 'suspense';
export type RefundReason = 'double_payment' | 'wrong_service' | 'suspense_unclaimed' | 'other';
/** card_refund: back to the card through the acquirer (docs/cards.md). */
export type RefundMethod = 'mpesa_b2c' | 'mpesa_reversal' | 'card_refund';
export type RefundStatus =
  | 'requested' | 'rejected' | 'approved' | 'paying' | 'paid' | 'failed' | 'cancelled';
export type RefundAttemptState =
  | 'queued' | 'sent' | 'unknown' | 'succeeded' | 'failed' | 'not_happened';

export type RefundTable = {
  id: string;
  source: RefundSourceKind;
  payer_account_id: string | null;
  payment_id: string | null;
  agency_id: string | null;
  amount_minor: bigint;
  currency: Currency;
  reason: RefundReason;
  note: string;
  method: RefundMethod;
  status: RefundStatus;
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string;
  provider_receipt: string | null;
  paid_at: Date | null;
  cancelled_by: string | null;
  cancelled_at: Date | null;
  /** A refund of a paid bill (wrong_service): the invoice withdrawn on approval. */
  invoice_id: ColumnType<string | null, string | null | undefined, never>;
};

export type RefundAttemptTable = {
  id: string;
  refund_id: string;
  number: number;
  method: RefundMethod;
  originator_conversation_id: string;
  conversation_id: string | null;
  state: RefundAttemptState;
  result_code: string | null;
  result_description: string | null;
  provider_receipt: string | null;
  raw_id: string | null;
  created_at: Date;
  finished_at: Date | null;
};

export type RefundTables = {
  refund: RefundTable;
  refund_attempt: RefundAttemptTable;
};
