/**
 * Row types of the payments tables (migrations/202611281400_create-invoice.sql and
 * migrations/202611281401_create-payment.sql).
 */
import type { ColumnType } from 'kysely';
import type { Currency } from '#platform/money/index.ts';

export type InvoiceLineKind = 'service_fee' | 'access_fee' | 'penalty' | 'agency_bill';
export type PaymentChannel = 'mpesa_c2b' | 'mpesa_stk' | 'card';
export type PaymentDisposition = 'allocated' | 'credited' | 'suspense' | 'refunded';
export type AllocationSource = 'payment' | 'payer_credit';
export type CallbackKind =
  | 'mpesa_c2b_confirmation'
  | 'mpesa_stk_callback'
  | 'mpesa_stk_query_response'
  | 'mpesa_transaction_status_result'
  | 'mpesa_statement_line'
  | 'mpesa_pull_transaction'
  | 'mpesa_b2c_result'
  | 'mpesa_reversal_result'
  | 'mpesa_refund_timeout'
  | 'mpesa_refund_status_result'
  | 'card_notification'
  | 'card_session_query';
export type CallbackOutcome =
  | 'payment_recorded' | 'duplicate' | 'stk_result_recorded' | 'malformed' | 'stored_only'
  | 'quarantined' | 'refund_result_recorded';
export type PaymentAlertKind =
  | 'CALLBACK_QUARANTINED'
  | 'CONFIRMATION_OUT_OF_BOUNDS'
  | 'DELIVERY_DISAGREED'
  | 'RECEIPT_REUSED'
  | 'C2B_MAY_REPEAT_STK_PAYMENT';
export type PaymentEventKind =
  | 'CONFIRMED_BY_C2B_CONFIRMATION'
  | 'CONFIRMED_BY_STK_CALLBACK'
  | 'CONFIRMED_BY_STK_QUERY'
  | 'CONFIRMED_BY_STATEMENT'
  | 'RECEIPT_NUMBER_LEARNT'
  | 'CHECKOUT_REQUEST_LEARNT'
  | 'DELIVERY_DISAGREED'
  | 'MATCHED_FROM_SUSPENSE'
  | 'CONFIRMED_BY_CARD_NOTIFICATION'
  | 'CONFIRMED_BY_CARD_QUERY';
export type StkPushEventKind =
  | 'STK_PUSH_READY'
  | 'STK_PUSH_SUBMITTED'
  | 'STK_PUSH_SUBMISSION_FAILED'
  | 'STK_CALLBACK_RECEIVED'
  | 'STK_QUERY_ANSWERED'
  | 'STK_PAYMENT_MATCHED'
  | 'STK_PUSH_EXPIRED';

/** A jsonb column: read as parsed JSON, written as a JSON string. */
type JsonColumn = ColumnType<unknown, string, string>;

export type InvoiceTable = {
  id: string;
  reference: string;
  service_id: string;
  agency_id: string;
  payer_account_id: string;
  currency: Currency;
  total_minor: bigint;
  allows_part_payment: ColumnType<boolean, boolean | undefined, boolean>;
  issued_at: Date;
  expires_at: Date;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  subject: ColumnType<string | null, string | null | undefined, never>;
};

export type InvoiceLineTable = {
  invoice_id: string;
  line_number: number;
  kind: InvoiceLineKind;
  description: string;
  amount_minor: bigint;
  currency: Currency;
  fee_schedule_version_id: string | null;
  fee_schedule_version: number | null;
  access_fee_schedule_id: string | null;
  gazette_reference: string | null;
};

export type PaymentCallbackRawTable = {
  id: string;
  kind: CallbackKind;
  received_at: Date;
  source_address: string | null;
  headers: JsonColumn;
  body: string;
  /** Set only when the body is not UTF-8 text without NUL (migration 202612031100). */
  body_bytes: ColumnType<Uint8Array | null, Uint8Array | null | undefined, never>;
};

export type PaymentCallbackOutcomeTable = {
  raw_id: string;
  outcome: CallbackOutcome;
  processed_at: Date;
};

export type PaymentTable = {
  id: string;
  /** 'mpesa', or the card acquirer (migration 202612060100). */
  provider: string;
  provider_reference: string | null;
  checkout_request_id: string | null;
  channel: PaymentChannel;
  shortcode: string;
  amount_minor: bigint;
  currency: Currency;
  account_reference: ColumnType<string, string | undefined, string>;
  invoice_id: string | null;
  payer_account_id: string | null;
  disposition: PaymentDisposition;
  paid_at: Date;
  recorded_at: Date;
};

export type PaymentEventTable = {
  id: string;
  payment_id: string;
  kind: PaymentEventKind;
  raw_id: string | null;
  amount_minor: bigint;
  account_reference: ColumnType<string, string | undefined, string>;
  recorded_at: Date;
};

export type PaymentAllocationTable = {
  id: string;
  invoice_id: string;
  source: AllocationSource;
  payment_id: string | null;
  amount_minor: bigint;
  currency: Currency;
  allocated_at: Date;
};

export type StkPushTable = {
  id: string;
  invoice_id: string;
  requested_by: string;
  request_key: string | null;
  phone_number: string;
  amount_minor: bigint;
  currency: 'KES';
  account_reference: string;
  checkout_request_id: string | null;
  merchant_request_id: string | null;
  created_at: Date;
};

export type StkPushEventTable = {
  id: string;
  stk_push_id: string;
  kind: StkPushEventKind;
  result_code: string | null;
  result_description: string | null;
  raw_id: string | null;
  recorded_at: Date;
};

export type PaymentCallbackFailureTable = {
  id: string;
  raw_id: string;
  failed_at: Date;
  reason: string;
};

export type PaymentAlertTable = {
  id: string;
  kind: PaymentAlertKind;
  reason: string;
  raw_id: string | null;
  payment_id: string | null;
  raised_at: Date;
};

export type PaymentAlertClosureTable = {
  alert_id: string;
  closed_at: Date;
  closed_by: string;
  note: string;
};

export type PaymentsTables = {
  invoice: InvoiceTable;
  invoice_line: InvoiceLineTable;
  payment_callback_raw: PaymentCallbackRawTable;
  payment_callback_outcome: PaymentCallbackOutcomeTable;
  payment_callback_failure: PaymentCallbackFailureTable;
  payment_alert: PaymentAlertTable;
  payment_alert_closure: PaymentAlertClosureTable;
  payment: PaymentTable;
  payment_event: PaymentEventTable;
  payment_allocation: PaymentAllocationTable;
  stk_push: StkPushTable;
  stk_push_event: StkPushEventTable;
};
