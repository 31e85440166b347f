-- Documents: receipts issued for money applied to an invoice. A receipt snapshots what it
-- states (so it reads the same forever) and is signed when shown, with the platform's
-- Ed25519 key: the signed payload in its QR code can be checked offline or at /verify.
create table receipt (
  id uuid not null constraint receipt_pkey primary key,
  number text not null constraint receipt_number_check check (number ~ '^HR[0-9A-Z]{10}$'),
  source_key text not null constraint receipt_source_key_check check (length(source_key) between 1 and 200),
  invoice_id uuid not null,
  invoice_reference text not null
    constraint receipt_invoice_reference_check check (length(invoice_reference) between 1 and 12),
  payer_account_id uuid not null,
  agency_id uuid not null,
  agency_name text not null constraint receipt_agency_name_check check (length(agency_name) between 1 and 300),
  service_name text not null constraint receipt_service_name_check check (length(service_name) between 1 and 500),
  amount_minor bigint not null constraint receipt_amount_minor_check check (amount_minor > 0),
  currency text not null constraint receipt_currency_check check (currency in ('KES', 'USD')),
  channel text not null constraint receipt_channel_check check (length(channel) between 1 and 40),
  provider_reference text
    constraint receipt_provider_reference_check check (length(provider_reference) between 1 and 40),
  paid_at timestamptz not null,
  issued_at timestamptz not null,
  constraint receipt_number_key unique (number),
  constraint receipt_source_key_key unique (source_key)
);
comment on table receipt is 'Receipts issued to payers: one per allocation of money to an invoice (source_key), facts snapshotted at issue. Never updated.';
comment on column receipt.number is 'The receipt number printed and signed: HR and ten characters of an unambiguous alphabet.';
comment on column receipt.source_key is 'What the receipt is for (e.g. payments:allocation:<uuid>): issuing twice for one source returns the first receipt.';
comment on column receipt.provider_reference is 'The M-Pesa receipt number (or other provider reference), when the money came through a provider.';
create index receipt_invoice_idx on receipt (invoice_id);
create index receipt_payer_idx on receipt (payer_account_id, issued_at);
