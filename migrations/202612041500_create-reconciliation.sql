-- Reconciliation: each import of the M-Pesa paybill statement (CSV) or of Pull Transactions is a
-- run; its lines are staged verbatim, classified set-based against payments and the ledger, and
-- what needs a person's eye becomes a finding. Statement lines and pulled transactions are also
-- stored as raw provider facts when they create a payment (a missing callback).
alter table payment_callback_raw drop constraint payment_callback_raw_kind_check;
alter table payment_callback_raw add constraint payment_callback_raw_kind_check check (kind in (
  'mpesa_c2b_confirmation', 'mpesa_stk_callback', 'mpesa_stk_query_response',
  'mpesa_transaction_status_result', 'mpesa_statement_line', 'mpesa_pull_transaction'));

alter table payment_event drop constraint payment_event_kind_check;
alter table payment_event add constraint payment_event_kind_check check (kind in (
  'CONFIRMED_BY_C2B_CONFIRMATION', 'CONFIRMED_BY_STK_CALLBACK', 'CONFIRMED_BY_STK_QUERY',
  'RECEIPT_NUMBER_LEARNT', 'CHECKOUT_REQUEST_LEARNT', 'DELIVERY_DISAGREED',
  'CONFIRMED_BY_STATEMENT'));

create table reconciliation_run (
  id uuid not null constraint reconciliation_run_pkey primary key,
  source text not null constraint reconciliation_run_source_check
    check (source in ('statement_csv', 'pull_api')),
  shortcode text not null constraint reconciliation_run_shortcode_check
    check (shortcode ~ '^[0-9]{5,7}$'),
  status text not null constraint reconciliation_run_status_check
    check (status in ('importing', 'completed', 'repeated', 'rejected')),
  content_sha256 text,
  repeat_of uuid constraint reconciliation_run_repeat_of_fkey references reconciliation_run (id),
  window_from timestamptz,
  window_to timestamptz,
  newest_first boolean not null default false,
  line_count integer not null default 0,
  finding_count integer not null default 0,
  rejection text constraint reconciliation_run_rejection_check check (length(rejection) <= 500),
  started_by text not null,
  started_at timestamptz not null,
  finished_at timestamptz
);
comment on table reconciliation_run is 'One import of the provider''s statement (CSV) or Pull Transactions for a window, and how it ended. A repeat of a completed import changes nothing and says so (repeat_of).';
comment on column reconciliation_run.content_sha256 is 'SHA-256 of the imported bytes (CSV) or of the pulled records: importing the same statement twice is recognised by it.';
comment on column reconciliation_run.rejection is 'Why the whole import was refused (e.g. a line that cannot be read, with its line number); nothing else was kept.';
comment on column reconciliation_run.started_by is 'Who started it: a staff member''s id, or system:<job>.';
create index reconciliation_run_started_idx on reconciliation_run (started_at desc);
create index reconciliation_run_sha_idx on reconciliation_run (shortcode, content_sha256)
  where status = 'completed';

-- run_id has no foreign key: lines are written only in their run's staging transaction, after
-- the run row, and a million-line import would pay a trigger per line for it.
create table reconciliation_line (
  run_id uuid not null,
  line_number integer not null,
  receipt text not null,
  completed_at timestamptz not null,
  paid_in_minor bigint not null default 0,
  withdrawn_minor bigint not null default 0,
  balance_minor bigint,
  transaction_status text not null,
  reason_type text not null,
  linked_receipt text not null default '',
  account_reference text not null default '',
  raw text,
  class text constraint reconciliation_line_class_check check (class in (
    'matched', 'missing_callback', 'mismatch', 'duplicate', 'sweep', 'charge',
    'refund_payout', 'unknown_withdrawal', 'not_completed')),
  payment_id uuid,
  ledger_minor bigint,
  note text,
  constraint reconciliation_line_pkey primary key (run_id, line_number)
);
comment on table reconciliation_line is 'A statement line (or pulled transaction) of a run as the provider reported it, and its class. Every line has exactly one class once the run is completed.';
comment on column reconciliation_line.raw is 'The line verbatim (CSV text or JSON record; as parsed, re-quoted, when imported by COPY), kept for lines that are not matched (a matched line''s payment holds the evidence). It holds the masked phone and payer name: read it only to investigate.';
comment on column reconciliation_line.ledger_minor is 'What the ledger posted to the collection account for this line (signed: in positive), for the balance proof.';
comment on column reconciliation_line.note is 'Why a line needs a look (what differs); never personal data.';
-- By receipt only the lines that need a look (findings, pages): an index of a million random
-- receipts of matched lines would be paid on every insert and is read by no query (duplicates
-- are found by grouping a run's lines, earlier imports by a hash join).
create index reconciliation_line_receipt_idx on reconciliation_line (receipt)
  where class is null or class <> 'matched';
-- Most lines are matched: only the others are indexed by class (pages, findings, applying).
create index reconciliation_line_class_idx on reconciliation_line (run_id, class, line_number)
  where class is null or class <> 'matched';

create table reconciliation_finding (
  id uuid not null constraint reconciliation_finding_pkey primary key,
  run_id uuid not null constraint reconciliation_finding_run_fkey references reconciliation_run (id),
  kind text not null constraint reconciliation_finding_kind_check check (kind in (
    'missing_callback', 'mismatch', 'duplicate', 'unknown_withdrawal', 'platform_only',
    'balance_difference')),
  line_number integer,
  payment_id uuid,
  receipt text,
  amount_minor bigint,
  detail text not null constraint reconciliation_finding_detail_check check (length(detail) <= 1000),
  raised_at timestamptz not null
);
comment on table reconciliation_finding is 'What a run found that a person must look at: a missing callback, a mismatch, a duplicate, an unknown withdrawal, a platform payment missing from the statement, a balance difference (with the lines around it).';
create index reconciliation_finding_run_idx on reconciliation_finding (run_id, kind, line_number);

-- Scratch space for PostgreSQL's COPY of a statement file (the fast path): rows of one run,
-- read into reconciliation_line in the run's staging transaction, then deleted. Unlogged: it
-- holds nothing that must survive a crash.
create unlogged table reconciliation_copy (
  run_id uuid not null default (current_setting('huduma.reconciliation_run')::uuid),
  n bigint generated always as identity,
  c1 text, c2 text, c3 text, c4 text, c5 text, c6 text, c7 text, c8 text, c9 text, c10 text,
  c11 text, c12 text, c13 text, c14 text, c15 text, c16 text, c17 text, c18 text, c19 text,
  c20 text
);
comment on table reconciliation_copy is 'Statement files as COPY reads them (columns in file order, n in file order), one run at a time, deleted once its lines are staged. Unlogged scratch space.';

grant select, insert, update, delete on reconciliation_run, reconciliation_line to huduma_app;
grant select, insert, delete on reconciliation_copy to huduma_app;
grant usage on sequence reconciliation_copy_n_seq to huduma_app;
grant select, insert on reconciliation_finding to huduma_app;
