-- Invoices: what a payer owes for a service, in lines (service fee from the fee version in force,
-- the gazetted access fee, penalties), with a short self-checking bill reference that the payer
-- types as the paybill account number. Status is not stored: it is derived from allocations.
create table invoice (
  id uuid not null constraint invoice_pkey primary key,
  reference text not null constraint invoice_reference_key unique
    constraint invoice_reference_check check (reference ~ '^[0-9A-HJKMNP-TV-Z]{6,12}$'),
  service_id uuid not null constraint invoice_service_fkey references service (id),
  agency_id uuid not null constraint invoice_agency_fkey references agency (id),
  payer_account_id uuid not null,
  currency text not null constraint invoice_currency_check check (currency in ('KES', 'USD')),
  total_minor bigint not null constraint invoice_total_minor_check check (total_minor > 0),
  allows_part_payment boolean not null default true,
  issued_at timestamptz not null,
  expires_at timestamptz not null,
  cancelled_at timestamptz,
  cancelled_by text,
  constraint invoice_expiry_check check (expires_at > issued_at),
  constraint invoice_cancellation_check check ((cancelled_at is null) = (cancelled_by is null))
);
comment on table invoice is 'An invoice for one service: lines, currency, payer and expiry. Its status is derived from its allocations, never stored.';
comment on column invoice.reference is 'The bill reference: at most 12 symbols of 0-9 A-Z without I L O U, ending in a Damm check symbol over GF(32).';
comment on column invoice.agency_id is 'The agency the service lines are payable to (snapshot at issue).';
comment on column invoice.payer_account_id is 'The account of the person or business who owes it (identity); credits for overpayment go to this account.';
comment on column invoice.total_minor is 'The sum of the lines, in minor units (kept here so C2B validation is one indexed read).';
comment on column invoice.allows_part_payment is 'Whether a payment below the balance due is accepted at C2B validation.';
comment on column invoice.cancelled_by is 'Who cancelled it: an account id, or "system".';
create index invoice_payer_idx on invoice (payer_account_id, issued_at desc);

create table invoice_line (
  invoice_id uuid not null constraint invoice_line_invoice_fkey references invoice (id),
  line_number smallint not null constraint invoice_line_line_number_check check (line_number between 1 and 32),
  kind text not null constraint invoice_line_kind_check check (kind in ('service_fee', 'access_fee', 'penalty')),
  description text not null constraint invoice_line_description_check check (length(description) between 1 and 200),
  amount_minor bigint not null constraint invoice_line_amount_minor_check check (amount_minor > 0),
  currency text not null constraint invoice_line_currency_check check (currency in ('KES', 'USD')),
  fee_schedule_version_id uuid constraint invoice_line_fee_schedule_version_fkey references fee_schedule_version (id),
  fee_schedule_version integer,
  access_fee_schedule_id uuid constraint invoice_line_access_fee_schedule_fkey references access_fee_schedule (id),
  gazette_reference text,
  constraint invoice_line_pkey primary key (invoice_id, line_number),
  constraint invoice_line_service_fee_version_check
    check (kind <> 'service_fee' or (fee_schedule_version_id is not null and fee_schedule_version is not null))
);
comment on table invoice_line is 'One line of an invoice. A service fee line snapshots the fee schedule version it was priced from; an access fee line, the gazetted schedule.';
comment on column invoice_line.gazette_reference is 'The gazette notice the amount comes from (fee schedule or access-fee tiers), when known.';
comment on column invoice_line.kind is 'service_fee and penalty are payable to the agency; access_fee is revenue remitted to Treasury.';
