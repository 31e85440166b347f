-- The revenue ledger: a double-entry, append-only journal in minor units (see LEDGER rules in
-- docs/architecture.md). Accounts are created on first use; entries and their lines are
-- immutable; every entry balances, which the database itself checks at commit.
--
-- An account is (code, currency): KES and USD are separate ledgers, so 'suspense' or an
-- agency's payable exist once per currency, and a line's currency is its account's currency by
-- construction (the composite foreign key), not by a check that could be forgotten.

create table ledger_account (
  code text not null
    constraint ledger_account_code_check
    check (code ~ '^[a-z][a-z0-9-]*(:[a-z0-9-]+)*$' and length(code) <= 120),
  currency text not null
    constraint ledger_account_currency_check check (currency in ('KES', 'USD')),
  kind text not null,
  type text not null
    constraint ledger_account_type_check
    check (type in ('asset', 'liability', 'equity', 'income', 'expense')),
  normal_side text not null
    constraint ledger_account_normal_side_check check (normal_side in ('debit', 'credit')),
  created_at timestamptz not null default now(),
  constraint ledger_account_pkey primary key (code, currency),
  constraint ledger_account_type_side_check
    check ((type in ('asset', 'expense')) = (normal_side = 'debit'))
);
comment on table ledger_account is
  'A ledger account in one currency, created on first use. Its balance is derived from its lines.';
comment on column ledger_account.code is
  'What the account holds, e.g. collection:mpesa:222222, deposits:invoice:<uuid>, suspense.';
comment on column ledger_account.kind is
  'The code without its id (e.g. deposits:invoice): the posting rules and reports group by it.';
comment on column ledger_account.normal_side is
  'The side that increases the account: debit for assets and expenses, credit otherwise.';

create table ledger_entry (
  id uuid not null constraint ledger_entry_pkey primary key,
  code text not null
    constraint ledger_entry_code_check check (code ~ '^[A-Z][A-Z0-9_]*$' and length(code) <= 64),
  currency text not null
    constraint ledger_entry_currency_check check (currency in ('KES', 'USD')),
  idempotency_key text not null
    constraint ledger_entry_idempotency_key_key unique
    constraint ledger_entry_idempotency_key_check check (length(idempotency_key) between 1 and 200),
  corrects_entry_id uuid
    constraint ledger_entry_corrects_entry_fkey references ledger_entry (id),
  reference jsonb not null default '{}'
    constraint ledger_entry_reference_check check (jsonb_typeof(reference) = 'object'),
  occurred_at timestamptz not null,
  recorded_at timestamptz not null default now()
);
comment on table ledger_entry is
  'A journal entry: what happened (code, past tense), once (idempotency_key), in one currency.';
comment on column ledger_entry.idempotency_key is
  'Names the event, e.g. mpesa:<receipt>:receipt; a replay of the event posts nothing new.';
comment on column ledger_entry.corrects_entry_id is
  'The entry this one reverses. An entry is corrected at most once.';
comment on column ledger_entry.reference is
  'Links to what caused the entry (invoice id, payment id, provider receipt). Never personal data.';
comment on column ledger_entry.occurred_at is 'When the event happened (e.g. the receipt time).';
comment on column ledger_entry.recorded_at is 'When the entry was committed to the ledger.';
create unique index ledger_entry_corrects_entry_id_key on ledger_entry (corrects_entry_id)
  where corrects_entry_id is not null;

create table ledger_line (
  entry_id uuid not null constraint ledger_line_entry_fkey references ledger_entry (id),
  line_number smallint not null
    constraint ledger_line_line_number_check check (line_number between 1 and 64),
  account_code text not null,
  currency text not null,
  side text not null constraint ledger_line_side_check check (side in ('debit', 'credit')),
  amount_minor bigint not null constraint ledger_line_amount_minor_check check (amount_minor > 0),
  constraint ledger_line_pkey primary key (entry_id, line_number),
  constraint ledger_line_account_fkey foreign key (account_code, currency)
    references ledger_account (code, currency)
);
comment on table ledger_line is
  'One debit or credit of an entry: a positive amount in minor units on one account.';
-- Balances and account statements: the lines of one account in entry order (entry ids are
-- UUIDv7, so time-ordered); side and amount are included so a balance is an index-only scan.
create index ledger_line_account_entry_idx on ledger_line (account_code, currency, entry_id)
  include (side, amount_minor);

-- Every entry has at least two lines, all in its currency, and its debits equal its credits.
-- Checked at commit (deferred), after the entry and all its lines are written.
create function ledger_check_entry(checked_entry_id uuid) returns void
language plpgsql as $$
declare
  entry_currency text;
  line_count bigint;
  debit_total numeric;
  credit_total numeric;
  foreign_line_count bigint;
begin
  select currency into entry_currency from ledger_entry where id = checked_entry_id;
  if not found then
    return;
  end if;
  select count(*),
         coalesce(sum(amount_minor) filter (where side = 'debit'), 0),
         coalesce(sum(amount_minor) filter (where side = 'credit'), 0),
         count(*) filter (where currency <> entry_currency)
    into line_count, debit_total, credit_total, foreign_line_count
    from ledger_line where entry_id = checked_entry_id;
  if line_count < 2 then
    raise exception 'ledger entry % has % line(s); an entry needs at least two',
      checked_entry_id, line_count
      using errcode = 'check_violation', constraint = 'ledger_entry_must_have_two_lines';
  end if;
  if foreign_line_count > 0 then
    raise exception 'ledger entry % has % line(s) not in its currency %',
      checked_entry_id, foreign_line_count, entry_currency
      using errcode = 'check_violation', constraint = 'ledger_lines_must_share_currency';
  end if;
  if debit_total <> credit_total then
    raise exception 'ledger entry % does not balance: debits %, credits %',
      checked_entry_id, debit_total, credit_total
      using errcode = 'check_violation', constraint = 'ledger_entry_must_balance';
  end if;
end
$$;

create function ledger_entry_check_trigger() returns trigger
language plpgsql as $$
begin
  perform ledger_check_entry(new.id);
  return null;
end
$$;

create function ledger_line_check_trigger() returns trigger
language plpgsql as $$
begin
  perform ledger_check_entry(new.entry_id);
  return null;
end
$$;

-- Both tables: an entry inserted without lines, and a line added to an old entry, are caught.
create constraint trigger ledger_entry_must_balance
  after insert on ledger_entry deferrable initially deferred
  for each row execute function ledger_entry_check_trigger();
create constraint trigger ledger_line_must_balance
  after insert on ledger_line deferrable initially deferred
  for each row execute function ledger_line_check_trigger();

-- Append-only: a mistake is corrected by a new entry, never by changing or removing one.
create function ledger_refuse_change() returns trigger
language plpgsql as $$
begin
  raise exception 'the ledger is append-only: % on % is refused; post a correcting entry instead',
    tg_op, tg_table_name
    using errcode = 'restrict_violation';
end
$$;

create trigger ledger_account_append_only before update or delete on ledger_account
  for each row execute function ledger_refuse_change();
create trigger ledger_account_no_truncate before truncate on ledger_account
  for each statement execute function ledger_refuse_change();
create trigger ledger_entry_append_only before update or delete on ledger_entry
  for each row execute function ledger_refuse_change();
create trigger ledger_entry_no_truncate before truncate on ledger_entry
  for each statement execute function ledger_refuse_change();
create trigger ledger_line_append_only before update or delete on ledger_line
  for each row execute function ledger_refuse_change();
create trigger ledger_line_no_truncate before truncate on ledger_line
  for each statement execute function ledger_refuse_change();
