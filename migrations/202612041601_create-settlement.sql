-- Settlement to agencies (docs/settlement.md): each payee's bank details and schedule, batches
-- that fix the amounts from ledger entries up to a cut-off, their lines (one per payee), the
-- entries each line settles (an entry's line on a payee account is in at most one batch: the
-- primary key), two approvals by different people, and SLA alerts.
create table settlement_profile (
  payee text not null constraint settlement_profile_pkey primary key
    constraint settlement_profile_payee_check check (payee = 'treasury' or
      payee ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
  bank_name text not null constraint settlement_profile_bank_name_check check (length(bank_name) between 1 and 100),
  bank_code text not null constraint settlement_profile_bank_code_check check (bank_code ~ '^[0-9A-Z]{2,11}$'),
  branch text not null constraint settlement_profile_branch_check check (length(branch) between 1 and 100),
  account_number text not null constraint settlement_profile_account_number_check check (account_number ~ '^[0-9A-Z-]{5,34}$'),
  account_name text not null constraint settlement_profile_account_name_check check (length(account_name) between 1 and 140),
  schedule_days integer not null default 1 constraint settlement_profile_schedule_days_check check (schedule_days between 0 and 30),
  sla_days integer not null default 2 constraint settlement_profile_sla_days_check check (sla_days between 1 and 60),
  updated_at timestamptz not null
);
comment on table settlement_profile is 'Where and when a payee (an agency by id, or Treasury for the access fees) is settled: its bank account, schedule (T+N days) and SLA (days past the schedule before an alert).';

create table settlement_lock (
  currency text not null constraint settlement_lock_pkey primary key
);
comment on table settlement_lock is 'One row per currency, locked while a batch is prepared, so two preparations at once take turns.';

create table settlement_batch (
  id uuid not null constraint settlement_batch_pkey primary key,
  reference text not null constraint settlement_batch_reference_key unique,
  currency text not null constraint settlement_batch_currency_check check (currency in ('KES', 'USD')),
  cutoff timestamptz not null,
  schedule_key text constraint settlement_batch_schedule_key_key unique,
  prepared_by text not null,
  prepared_at timestamptz not null,
  state text not null constraint settlement_batch_state_check check (state in ('prepared', 'released', 'settled')),
  released_at timestamptz,
  settled_at timestamptz,
  settled_by text,
  bank_reference text
);
comment on table settlement_batch is 'A settlement batch: prepared (by a person or the schedule, prepared_by = system), released on its second approval, settled when the bank confirms (bank_reference).';
create index settlement_batch_prepared_idx on settlement_batch (prepared_at desc);

create table settlement_approval (
  batch_id uuid not null constraint settlement_approval_batch_fkey references settlement_batch (id),
  approved_by text not null,
  approved_at timestamptz not null,
  constraint settlement_approval_pkey primary key (batch_id, approved_by)
);

create table settlement_line (
  id uuid not null constraint settlement_line_pkey primary key,
  batch_id uuid not null constraint settlement_line_batch_fkey references settlement_batch (id),
  payee text not null,
  account_code text not null,
  amount_minor bigint not null constraint settlement_line_amount_minor_check check (amount_minor > 0),
  currency text not null constraint settlement_line_currency_check check (currency in ('KES', 'USD')),
  payee_name text not null,
  bank_name text not null,
  bank_code text not null,
  account_number text not null,
  account_name text not null,
  state text not null constraint settlement_line_state_check check (state in ('prepared', 'released', 'settled', 'returned')),
  returned_reason text,
  constraint settlement_line_payee_key unique (batch_id, payee)
);
comment on table settlement_line is 'One payee''s amount in a batch, with its bank details as they were at preparation (the bank file is fixed).';

create table settlement_entry (
  entry_id uuid not null constraint settlement_entry_entry_fkey references ledger_entry (id),
  account_code text not null,
  batch_id uuid not null constraint settlement_entry_batch_fkey references settlement_batch (id),
  line_id uuid not null constraint settlement_entry_line_fkey references settlement_line (id),
  amount_minor bigint not null,
  occurred_at timestamptz not null,
  constraint settlement_entry_pkey primary key (entry_id, account_code)
);
comment on table settlement_entry is 'The ledger entries a line settles, signed (a correction debiting the payable is negative). The key holds: an entry is never in two batches.';
create index settlement_entry_line_idx on settlement_entry (line_id);

create table settlement_alert (
  id uuid not null constraint settlement_alert_pkey primary key,
  payee text not null,
  reason text not null,
  raised_at timestamptz not null,
  closed_at timestamptz,
  closed_by text,
  closing_note text
);
comment on table settlement_alert is 'A payee''s settlement lag beyond its SLA; closed by a person with a note.';
create unique index settlement_alert_open_key on settlement_alert (payee) where closed_at is null;
