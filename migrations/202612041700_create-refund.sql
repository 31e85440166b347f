-- Refunds (maker-checker): money a payer holds as credit, or a receipt held in suspense, paid
-- back through M-Pesa (B2C to the payer's registered phone, or a reversal of the receipt).
-- A refund is requested by one person and approved by another; only the approval moves money
-- (credit or suspense to refunds payable). Each send to M-Pesa is an attempt; at most one is in
-- flight per refund (a unique index), and its asynchronous Result is stored raw first.
create table refund (
  id uuid not null constraint refund_pkey primary key,
  source text not null constraint refund_source_check check (source in ('payer_credit', 'suspense')),
  payer_account_id uuid,
  payment_id uuid constraint refund_payment_fkey references payment (id),
  agency_id uuid,
  amount_minor bigint not null constraint refund_amount_check check (amount_minor > 0),
  currency text not null constraint refund_currency_check check (currency in ('KES')),
  reason text not null constraint refund_reason_check
    check (reason in ('double_payment', 'wrong_service', 'suspense_unclaimed', 'other')),
  note text not null default '' constraint refund_note_check check (length(note) <= 1000),
  method text not null constraint refund_method_check check (method in ('mpesa_b2c', 'mpesa_reversal')),
  status text not null constraint refund_status_check check (status in (
    'requested', 'rejected', 'approved', 'paying', 'paid', 'failed', 'cancelled')),
  requested_by text not null,
  requested_at timestamptz not null,
  decided_by text,
  decided_at timestamptz,
  decision_note text not null default ''
    constraint refund_decision_note_check check (length(decision_note) <= 1000),
  provider_receipt text,
  paid_at timestamptz,
  cancelled_by text,
  cancelled_at timestamptz,
  constraint refund_source_target_check check (
    (source = 'payer_credit' and payer_account_id is not null) or
    (source = 'suspense' and payment_id is not null)),
  constraint refund_reversal_target_check check (method <> 'mpesa_reversal' or payment_id is not null),
  constraint refund_two_people_check check (decided_by is null or decided_by <> requested_by),
  constraint refund_decided_check check ((decided_by is null) = (decided_at is null))
);
comment on table refund is 'A refund of a payer''s credit or of a suspense receipt. requested_by (the maker) and decided_by (the checker) differ. Approval posts REFUND_APPROVED; a successful attempt REFUND_PAID_OUT; a cancellation after approval REFUND_CANCELLED.';
comment on column refund.requested_by is 'account:<id> for a citizen, staff:<id> for an officer.';
comment on column refund.agency_id is 'The agency whose payment this is (its invoice''s agency), for agency-scoped officers; null when no agency can be named.';
create index refund_status_idx on refund (status, requested_at);
create index refund_payer_idx on refund (payer_account_id, requested_at) where payer_account_id is not null;
-- One live refund per suspense receipt (a receipt cannot be refunded twice).
create unique index refund_suspense_payment_key on refund (payment_id)
  where source = 'suspense' and status not in ('rejected', 'cancelled');

create table refund_attempt (
  id uuid not null constraint refund_attempt_pkey primary key,
  refund_id uuid not null constraint refund_attempt_refund_fkey references refund (id),
  number integer not null constraint refund_attempt_number_check check (number > 0),
  method text not null constraint refund_attempt_method_check
    check (method in ('mpesa_b2c', 'mpesa_reversal')),
  originator_conversation_id text not null,
  conversation_id text,
  state text not null constraint refund_attempt_state_check check (state in (
    'queued', 'sent', 'unknown', 'succeeded', 'failed', 'not_happened')),
  result_code text,
  result_description text constraint refund_attempt_result_description_check
    check (length(result_description) <= 1000),
  provider_receipt text,
  raw_id uuid constraint refund_attempt_raw_fkey references payment_callback_raw (id),
  created_at timestamptz not null,
  finished_at timestamptz,
  constraint refund_attempt_number_key unique (refund_id, number),
  constraint refund_attempt_conversation_key unique (originator_conversation_id)
);
comment on table refund_attempt is 'One request to M-Pesa for a refund. queued (the outbox will send it), sent, unknown (queue timeout: a status query decides), then succeeded, failed or not_happened.';
-- Never two attempts of one refund in flight: a retry needs the last one settled.
create unique index refund_attempt_in_flight_key on refund_attempt (refund_id)
  where state in ('queued', 'sent', 'unknown');
create index refund_attempt_unknown_idx on refund_attempt (created_at) where state = 'unknown';

-- A suspense receipt refunded leaves suspense; it names no invoice, like one in suspense.
alter table payment drop constraint payment_disposition_check;
alter table payment add constraint payment_disposition_check
  check (disposition in ('allocated', 'credited', 'suspense', 'refunded'));
alter table payment drop constraint payment_disposition_target_check;
alter table payment add constraint payment_disposition_target_check check (
  (disposition in ('suspense', 'refunded')) = (invoice_id is null) and
  (disposition in ('suspense', 'refunded') or payer_account_id is not null));

-- Refund Results (B2C, reversal), queue timeouts and status answers, stored raw first.
alter table payment_callback_raw drop constraint payment_callback_raw_kind_check;
alter table payment_callback_raw add constraint payment_callback_raw_kind_check check (kind in (
  'mpesa_c2b_confirmation', 'mpesa_stk_callback', 'mpesa_stk_query_response',
  'mpesa_transaction_status_result', 'mpesa_statement_line', 'mpesa_pull_transaction',
  'mpesa_b2c_result', 'mpesa_reversal_result', 'mpesa_refund_timeout',
  'mpesa_refund_status_result'));
alter table payment_callback_outcome drop constraint payment_callback_outcome_outcome_check;
alter table payment_callback_outcome add constraint payment_callback_outcome_outcome_check
  check (outcome in ('payment_recorded', 'duplicate', 'stk_result_recorded', 'malformed',
    'stored_only', 'quarantined', 'refund_result_recorded'));
