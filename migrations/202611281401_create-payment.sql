-- Payments: every provider callback stored verbatim first (payment_callback_raw), then one
-- payment per provider receipt (unique), an append-only event log per payment, allocations of
-- money to invoices, and STK pushes with their own event log (intent recorded before the call).
create table payment_callback_raw (
  id uuid not null constraint payment_callback_raw_pkey primary key,
  kind text not null constraint payment_callback_raw_kind_check check (kind in (
    'mpesa_c2b_confirmation', 'mpesa_stk_callback', 'mpesa_stk_query_response',
    'mpesa_transaction_status_result')),
  received_at timestamptz not null,
  source_address text,
  headers jsonb not null default '{}'
    constraint payment_callback_raw_headers_check check (jsonb_typeof(headers) = 'object'),
  body text not null constraint payment_callback_raw_body_check check (length(body) <= 65536)
);
comment on table payment_callback_raw is 'Every provider callback exactly as received, stored before it is processed or acknowledged. Append-only evidence.';
comment on column payment_callback_raw.headers is 'A fixed subset of the request headers (content type, length, user agent); never cookies or personal data.';
comment on column payment_callback_raw.body is 'The body verbatim. It may hold a masked or hashed MSISDN and payer names: read it only to reprocess or investigate.';
create index payment_callback_raw_received_idx on payment_callback_raw (received_at);

create table payment_callback_outcome (
  raw_id uuid not null constraint payment_callback_outcome_pkey primary key
    constraint payment_callback_outcome_raw_fkey references payment_callback_raw (id),
  outcome text not null constraint payment_callback_outcome_outcome_check check (outcome in (
    'payment_recorded', 'duplicate', 'stk_result_recorded', 'malformed', 'stored_only')),
  processed_at timestamptz not null
);
comment on table payment_callback_outcome is 'How a stored callback was processed, written in the processing transaction. A raw callback without an outcome is reprocessed by the sweep.';

create table payment (
  id uuid not null constraint payment_pkey primary key,
  provider text not null constraint payment_provider_check check (provider in ('mpesa')),
  provider_reference text
    constraint payment_provider_reference_check check (provider_reference ~ '^[A-Za-z0-9]{4,40}$'),
  checkout_request_id text
    constraint payment_checkout_request_id_check check (length(checkout_request_id) between 1 and 100),
  channel text not null constraint payment_channel_check check (channel in ('mpesa_c2b', 'mpesa_stk')),
  shortcode text not null,
  amount_minor bigint not null constraint payment_amount_minor_check check (amount_minor > 0),
  currency text not null constraint payment_currency_check check (currency in ('KES', 'USD')),
  account_reference text not null default ''
    constraint payment_account_reference_check check (length(account_reference) <= 100),
  invoice_id uuid constraint payment_invoice_fkey references invoice (id),
  payer_account_id uuid,
  disposition text not null constraint payment_disposition_check
    check (disposition in ('allocated', 'credited', 'suspense')),
  paid_at timestamptz not null,
  recorded_at timestamptz not null,
  constraint payment_provider_reference_key unique (provider, provider_reference),
  constraint payment_checkout_request_id_key unique (checkout_request_id),
  constraint payment_identified_check check (provider_reference is not null or checkout_request_id is not null),
  constraint payment_disposition_target_check check (
    (disposition = 'suspense') = (invoice_id is null) and
    (disposition = 'suspense' or payer_account_id is not null))
);
comment on table payment is 'Money received, once per provider receipt whatever the number of deliveries. Its money moved in the transaction that inserted it.';
comment on column payment.provider_reference is 'The M-Pesa receipt (TransID, MpesaReceiptNumber). Null only while an STK push confirmed by a status query has not yet told us its receipt.';
comment on column payment.account_reference is 'The account number as the payer typed it (C2B BillRefNumber) or as we sent it (STK AccountReference): the suspense register shows it.';
comment on column payment.disposition is 'Where the money went: allocated to its invoice, credited to the payer (invoice closed), or held in suspense (no invoice matches).';
comment on column payment.paid_at is 'When the provider says the money moved (TransTime, TransactionDate), Kenya time converted to UTC.';
create index payment_invoice_idx on payment (invoice_id) where invoice_id is not null;
create index payment_suspense_idx on payment (paid_at) where disposition = 'suspense';
-- A receipt-less STK confirmation and a C2B confirmation of the same payment find each other here.
create index payment_unmatched_stk_idx on payment (invoice_id, amount_minor) where provider_reference is null;

create table payment_event (
  id uuid not null constraint payment_event_pkey primary key,
  payment_id uuid not null constraint payment_event_payment_fkey references payment (id),
  kind text not null constraint payment_event_kind_check check (kind in (
    'CONFIRMED_BY_C2B_CONFIRMATION', 'CONFIRMED_BY_STK_CALLBACK', 'CONFIRMED_BY_STK_QUERY',
    'RECEIPT_NUMBER_LEARNT', 'CHECKOUT_REQUEST_LEARNT', 'DELIVERY_DISAGREED')),
  raw_id uuid constraint payment_event_raw_fkey references payment_callback_raw (id),
  amount_minor bigint not null,
  account_reference text not null default '',
  recorded_at timestamptz not null
);
comment on table payment_event is 'Every delivery that tells us of a payment, in the order recorded (UUIDv7 ids). The payment state is derived from this log, so duplicates and reordering converge.';
create index payment_event_payment_idx on payment_event (payment_id, id);

create table payment_allocation (
  id uuid not null constraint payment_allocation_pkey primary key,
  invoice_id uuid not null constraint payment_allocation_invoice_fkey references invoice (id),
  source text not null constraint payment_allocation_source_check check (source in ('payment', 'payer_credit')),
  payment_id uuid constraint payment_allocation_payment_fkey references payment (id),
  amount_minor bigint not null constraint payment_allocation_amount_minor_check check (amount_minor > 0),
  currency text not null constraint payment_allocation_currency_check check (currency in ('KES', 'USD')),
  allocated_at timestamptz not null,
  constraint payment_allocation_payment_key unique (payment_id),
  constraint payment_allocation_source_payment_check check ((source = 'payment') = (payment_id is not null))
);
comment on table payment_allocation is 'Money applied to an invoice: a payment (at most once) or the payer''s credit. Invoice status is derived from these rows.';
create index payment_allocation_invoice_idx on payment_allocation (invoice_id, allocated_at) include (amount_minor);

create table stk_push (
  id uuid not null constraint stk_push_pkey primary key,
  invoice_id uuid not null constraint stk_push_invoice_fkey references invoice (id),
  requested_by text not null,
  request_key text constraint stk_push_request_key_key unique
    constraint stk_push_request_key_check check (length(request_key) between 8 and 100),
  phone_number text not null constraint stk_push_phone_number_check check (phone_number ~ '^254[0-9]{9}$'),
  amount_minor bigint not null constraint stk_push_amount_minor_check check (amount_minor > 0),
  currency text not null constraint stk_push_currency_check check (currency = 'KES'),
  account_reference text not null,
  checkout_request_id text constraint stk_push_checkout_request_id_key unique,
  merchant_request_id text,
  created_at timestamptz not null
);
comment on table stk_push is 'An STK push (M-Pesa Express) we asked for, recorded before the call to Daraja. Its state is derived from stk_push_event.';
comment on column stk_push.phone_number is 'Personal data: the phone the prompt went to (2547XXXXXXXX). Never logged, never in events or audit detail.';
comment on column stk_push.request_key is 'The caller''s idempotency key: a repeated request returns the same push instead of prompting twice.';
create index stk_push_invoice_idx on stk_push (invoice_id, created_at desc);

create table stk_push_event (
  id uuid not null constraint stk_push_event_pkey primary key,
  stk_push_id uuid not null constraint stk_push_event_stk_push_fkey references stk_push (id),
  kind text not null constraint stk_push_event_kind_check check (kind in (
    'STK_PUSH_READY', 'STK_PUSH_SUBMITTED', 'STK_PUSH_SUBMISSION_FAILED',
    'STK_CALLBACK_RECEIVED', 'STK_QUERY_ANSWERED', 'STK_PAYMENT_MATCHED', 'STK_PUSH_EXPIRED')),
  result_code text,
  result_description text constraint stk_push_event_result_description_check check (length(result_description) <= 300),
  raw_id uuid constraint stk_push_event_raw_fkey references payment_callback_raw (id),
  recorded_at timestamptz not null
);
comment on table stk_push_event is 'What happened to an STK push, in order: READY, SUBMITTED, callbacks, query answers, expiry. The push state is derived from it.';
comment on column stk_push_event.result_code is 'Daraja ResultCode or errorCode (0 success; 1032 cancelled; 1037 and 500.001.1001 still pending).';
create index stk_push_event_push_idx on stk_push_event (stk_push_id, id);
