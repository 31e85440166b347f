-- Agency integration (issue 12): API keys an agency's own systems call the integration API with,
-- and the invoices those systems created, keyed by the agency's own reference (idempotency).
create table agency_api_key (
  id uuid not null constraint agency_api_key_pkey primary key,
  agency_id uuid not null constraint agency_api_key_agency_fkey references agency (id),
  prefix text not null constraint agency_api_key_prefix_key unique
    constraint agency_api_key_prefix_check check (prefix ~ '^[a-z0-9]{12}$'),
  secret_hash text not null constraint agency_api_key_secret_hash_check check (secret_hash ~ '^[0-9a-f]{64}$'),
  name text not null constraint agency_api_key_name_check check (length(name) between 1 and 80),
  created_by text not null,
  created_at timestamptz not null,
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by text
);
comment on table agency_api_key is 'An API key of one agency. The secret is never stored: only its SHA-256 in hex (a 256-bit random secret needs no slow hash). The public prefix finds the row.';
comment on column agency_api_key.revoked_at is 'From this time on the key is refused (may be in the future: a rotation overlap).';
create index agency_api_key_agency_idx on agency_api_key (agency_id, created_at desc);

create table agency_invoice (
  agency_id uuid not null constraint agency_invoice_agency_fkey references agency (id),
  agency_reference text not null
    constraint agency_invoice_agency_reference_check check (agency_reference ~ '^[A-Za-z0-9._:-]{1,64}$'),
  request_hash text not null,
  invoice_id uuid not null constraint agency_invoice_invoice_fkey references invoice (id)
    constraint agency_invoice_invoice_key unique,
  created_at timestamptz not null,
  constraint agency_invoice_pkey primary key (agency_id, agency_reference)
);
comment on table agency_invoice is 'An invoice an agency system created through the integration API, under the agency''s own reference: the same reference again returns the same invoice.';
comment on column agency_invoice.request_hash is 'SHA-256 of the canonical request (service, payer): the same reference with another request is refused.';
