-- Reporting's precomputed daily totals (docs/reporting.md, docs/decisions/0010). Reporting reads,
-- never writes, another module's rows: these four tables are its own, derived from the ledger.
--
-- Exact by construction: a statement-level AFTER INSERT trigger on ledger_line adds each
-- statement's aggregate, in the same transaction as the lines, as new rows of an append-only
-- delta table (no row is updated, so concurrent postings never wait on one another and cannot
-- deadlock on a counter). A fold (a periodic job, one at a time) moves the deltas into the
-- totals tables in one statement. Every query reads totals + deltas in one statement, so it
-- sees each committed line exactly once, before or after a fold.
--
-- Kenya keeps East Africa Time (UTC+3) all year: the day is the entry's occurred_at shifted by
-- three hours (no time-zone database needed, the same on PGlite and PostgreSQL).

create function reporting_kenya_day(instant timestamptz) returns date
language sql immutable parallel safe
return ((instant + interval '3 hours') at time zone 'UTC')::date;

-- Collections: money received through a channel (the debit of a collection account by a
-- receipt entry; a provider's reversal of a receipt counts negative), by the invoice's agency
-- and service (null for a receipt that named no invoice: suspense).
create table reporting_collection_delta (
  day date not null,
  agency_id uuid,
  service_id uuid,
  channel text not null,
  currency text not null
    constraint reporting_collection_delta_currency_check check (currency in ('KES', 'USD')),
  amount_minor bigint not null,
  receipt_count bigint not null
);
comment on table reporting_collection_delta is
  'Collections added by ledger statements not yet folded into reporting_collection_total.';

create table reporting_collection_total (
  day date not null,
  agency_id uuid,
  service_id uuid,
  channel text not null,
  currency text not null
    constraint reporting_collection_total_currency_check check (currency in ('KES', 'USD')),
  amount_minor bigint not null,
  receipt_count bigint not null,
  constraint reporting_collection_total_key
    unique nulls not distinct (day, agency_id, service_id, channel, currency)
);
comment on table reporting_collection_total is
  'Collections per Kenya day, agency, service, channel (collection account) and currency.';
comment on column reporting_collection_total.channel is
  'The collection account the money came into, e.g. collection:mpesa:222222.';
comment on column reporting_collection_total.receipt_count is
  'Receipts counted, less receipts reversed by the provider.';
create index reporting_collection_total_agency_day_idx
  on reporting_collection_total (agency_id, day);

-- Movements: debits and credits per Kenya day, entry code and account. Per-invoice and
-- per-payer accounts are summed under their kind (deposits:invoice, credit:payer); every other
-- account (an agency's payable, suspense, settlement-clearing, a paybill) keeps its code.
create table reporting_movement_delta (
  day date not null,
  entry_code text not null,
  account text not null,
  currency text not null
    constraint reporting_movement_delta_currency_check check (currency in ('KES', 'USD')),
  debit_minor bigint not null,
  credit_minor bigint not null,
  line_count bigint not null
);
comment on table reporting_movement_delta is
  'Ledger movements added by statements not yet folded into reporting_movement_total.';

create table reporting_movement_total (
  day date not null,
  entry_code text not null,
  account text not null,
  currency text not null
    constraint reporting_movement_total_currency_check check (currency in ('KES', 'USD')),
  debit_minor bigint not null,
  credit_minor bigint not null,
  line_count bigint not null,
  constraint reporting_movement_total_key unique (day, entry_code, account, currency)
);
comment on table reporting_movement_total is
  'Debits and credits per Kenya day, entry code, account (or kind, for per-invoice and per-payer accounts) and currency.';
create index reporting_movement_total_account_day_idx
  on reporting_movement_total (account, day);

create function reporting_account_of(account_code text) returns text
language sql immutable parallel safe
return case
  when account_code like 'deposits:invoice:%' then 'deposits:invoice'
  when account_code like 'credit:payer:%' then 'credit:payer'
  else account_code end;

create function reporting_add_ledger_lines() returns trigger
language plpgsql as $$
begin
  insert into reporting_collection_delta
    (day, agency_id, service_id, channel, currency, amount_minor, receipt_count)
  select reporting_kenya_day(e.occurred_at), i.agency_id, i.service_id, l.account_code,
    l.currency,
    sum(case when l.side = 'debit' then l.amount_minor else -l.amount_minor end),
    sum(case when l.side = 'debit' then 1 else -1 end)
  from new_lines l
  join ledger_entry e on e.id = l.entry_id
  left join ledger_entry c on c.id = e.corrects_entry_id
  left join invoice i on i.id = (case
    when coalesce(e.reference ->> 'invoiceId', c.reference ->> 'invoiceId')
      ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
    then coalesce(e.reference ->> 'invoiceId', c.reference ->> 'invoiceId')::uuid end)
  where l.account_code like 'collection:%' and l.account_code <> 'collection:treasury-bank'
    and (e.code in ('RECEIPT_ALLOCATED_TO_INVOICE', 'RECEIPT_CREDITED_TO_PAYER',
                    'RECEIPT_HELD_IN_SUSPENSE')
      or c.code in ('RECEIPT_ALLOCATED_TO_INVOICE', 'RECEIPT_CREDITED_TO_PAYER',
                    'RECEIPT_HELD_IN_SUSPENSE'))
  group by 1, 2, 3, 4, 5;

  insert into reporting_movement_delta
    (day, entry_code, account, currency, debit_minor, credit_minor, line_count)
  select reporting_kenya_day(e.occurred_at), e.code, reporting_account_of(l.account_code),
    l.currency,
    coalesce(sum(l.amount_minor) filter (where l.side = 'debit'), 0),
    coalesce(sum(l.amount_minor) filter (where l.side = 'credit'), 0),
    count(*)
  from new_lines l join ledger_entry e on e.id = l.entry_id
  group by 1, 2, 3, 4;
  return null;
end
$$;

create trigger reporting_add_ledger_lines after insert on ledger_line
  referencing new table as new_lines
  for each statement execute function reporting_add_ledger_lines();
-- Also when triggers are off for a bulk load or a replica (session_replication_role), so the
-- totals cannot silently miss lines.
alter table ledger_line enable always trigger reporting_add_ledger_lines;

-- Lines posted before this migration: folded once, here, so the totals start exact.
insert into reporting_collection_total
  (day, agency_id, service_id, channel, currency, amount_minor, receipt_count)
select reporting_kenya_day(e.occurred_at), i.agency_id, i.service_id, l.account_code, l.currency,
  sum(case when l.side = 'debit' then l.amount_minor else -l.amount_minor end),
  sum(case when l.side = 'debit' then 1 else -1 end)
from ledger_line l
join ledger_entry e on e.id = l.entry_id
left join ledger_entry c on c.id = e.corrects_entry_id
left join invoice i on i.id = (case
  when coalesce(e.reference ->> 'invoiceId', c.reference ->> 'invoiceId')
    ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
  then coalesce(e.reference ->> 'invoiceId', c.reference ->> 'invoiceId')::uuid end)
where l.account_code like 'collection:%' and l.account_code <> 'collection:treasury-bank'
  and (e.code in ('RECEIPT_ALLOCATED_TO_INVOICE', 'RECEIPT_CREDITED_TO_PAYER',
                  'RECEIPT_HELD_IN_SUSPENSE')
    or c.code in ('RECEIPT_ALLOCATED_TO_INVOICE', 'RECEIPT_CREDITED_TO_PAYER',
                  'RECEIPT_HELD_IN_SUSPENSE'))
group by 1, 2, 3, 4, 5;

insert into reporting_movement_total
  (day, entry_code, account, currency, debit_minor, credit_minor, line_count)
select reporting_kenya_day(e.occurred_at), e.code, reporting_account_of(l.account_code),
  l.currency,
  coalesce(sum(l.amount_minor) filter (where l.side = 'debit'), 0),
  coalesce(sum(l.amount_minor) filter (where l.side = 'credit'), 0),
  count(*)
from ledger_line l join ledger_entry e on e.id = l.entry_id
group by 1, 2, 3, 4;
