-- Payment alerts (issue 9, items 3 to 5): what an M-Pesa delivery told us that someone must
-- look at. A callback that can never be processed is quarantined (an outcome, so the sweep
-- moves past it); a confirmation outside what only Safaricom should send is held in suspense
-- with a flag; two deliveries of one receipt that disagree are raised. Each raises an alert
-- that Treasury closes with a note; alerts and closures are never updated or deleted.

-- A body that is not UTF-8 text (NUL bytes, UTF-16) cannot be stored as text: its bytes are.
alter table payment_callback_raw add column body_bytes bytea
  constraint payment_callback_raw_body_bytes_check check (octet_length(body_bytes) <= 65536);
comment on column payment_callback_raw.body_bytes is 'The body as bytes, set only when it is not UTF-8 text without NUL (then body holds a readable form with U+FFFD for what could not be decoded). Null: body is exact.';

alter table payment_callback_outcome drop constraint payment_callback_outcome_outcome_check;
alter table payment_callback_outcome add constraint payment_callback_outcome_outcome_check
  check (outcome in ('payment_recorded', 'duplicate', 'stk_result_recorded', 'malformed',
    'stored_only', 'quarantined'));
comment on column payment_callback_outcome.outcome is 'payment_recorded, duplicate, stk_result_recorded, malformed (not understood), stored_only (nothing to do), quarantined (understood but never processable: an alert says why).';

create table payment_callback_failure (
  id uuid not null constraint payment_callback_failure_pkey primary key,
  raw_id uuid not null
    constraint payment_callback_failure_raw_fkey references payment_callback_raw (id),
  failed_at timestamptz not null,
  reason text not null
    constraint payment_callback_failure_reason_check check (length(reason) between 1 and 300)
);
comment on table payment_callback_failure is 'Each time the sweep failed to process a stored callback. After a few failures the callback is quarantined, so one bad callback never holds the sweep.';
comment on column payment_callback_failure.id is 'UUIDv7: failures of one callback sort in time order.';
comment on column payment_callback_failure.raw_id is 'The stored callback that failed.';
comment on column payment_callback_failure.failed_at is 'When the attempt failed.';
comment on column payment_callback_failure.reason is 'The error class and database error code or constraint, never the body or a value from it.';
create index payment_callback_failure_raw_idx on payment_callback_failure (raw_id);

create table payment_alert (
  id uuid not null constraint payment_alert_pkey primary key,
  kind text not null constraint payment_alert_kind_check check (kind in (
    'CALLBACK_QUARANTINED', 'CONFIRMATION_OUT_OF_BOUNDS', 'DELIVERY_DISAGREED',
    'RECEIPT_REUSED')),
  reason text not null
    constraint payment_alert_reason_check check (length(reason) between 1 and 300),
  raw_id uuid constraint payment_alert_raw_fkey references payment_callback_raw (id),
  payment_id uuid constraint payment_alert_payment_fkey references payment (id),
  raised_at timestamptz not null,
  constraint payment_alert_subject_check check (raw_id is not null or payment_id is not null),
  constraint payment_alert_kind_raw_key unique (kind, raw_id)
);
comment on table payment_alert is 'Something an M-Pesa delivery told us that a person must look at and close. Raised in the transaction that processed the delivery; never updated or deleted (closing is a payment_alert_closure row).';
comment on column payment_alert.id is 'UUIDv7: alerts sort in the order raised.';
comment on column payment_alert.kind is 'CALLBACK_QUARANTINED (stored, never processable), CONFIRMATION_OUT_OF_BOUNDS (held in suspense: not our paybill, time or amount out of bounds), DELIVERY_DISAGREED (same receipt, another amount), RECEIPT_REUSED (a receipt already recorded for another invoice).';
comment on column payment_alert.reason is 'What is wrong, in words and field names, with no personal data (no phone, name or ID number).';
comment on column payment_alert.raw_id is 'The stored callback the alert is about (unique per kind: a replay raises nothing new).';
comment on column payment_alert.payment_id is 'The payment it concerns, when one was recorded (held in suspense, or the payment a disagreeing delivery repeats).';
comment on column payment_alert.raised_at is 'When the delivery was processed and the alert raised.';
create index payment_alert_raised_idx on payment_alert (raised_at, id);

create table payment_alert_closure (
  alert_id uuid not null constraint payment_alert_closure_pkey primary key
    constraint payment_alert_closure_alert_fkey references payment_alert (id),
  closed_at timestamptz not null,
  closed_by text not null
    constraint payment_alert_closure_closed_by_check check (length(closed_by) between 1 and 100),
  note text not null
    constraint payment_alert_closure_note_check check (length(note) between 1 and 1000)
);
comment on table payment_alert_closure is 'The closing of an alert: who, when, and why (audited). An alert is closed at most once; an alert without a row here is open.';
comment on column payment_alert_closure.alert_id is 'The alert closed.';
comment on column payment_alert_closure.closed_at is 'When it was closed.';
comment on column payment_alert_closure.closed_by is 'The staff id of whoever closed it.';
comment on column payment_alert_closure.note is 'What they found and did, in their words.';

revoke update, delete, truncate on payment_callback_failure, payment_alert,
  payment_alert_closure from huduma_app;
