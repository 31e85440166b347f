-- Pesaflow-compatible checkout (issue 13, docs/pesaflow.md): the legacy gateway's clients of
-- each agency, the checkouts they made (each an ordinary invoice), and the payment
-- notifications (IPN) sent to them, one per allocation, retried until acknowledged.
create table pesaflow_client (
  id uuid not null constraint pesaflow_client_pkey primary key,
  agency_id uuid not null constraint pesaflow_client_agency_fkey references agency (id),
  api_client_id text not null constraint pesaflow_client_api_client_id_key unique
    constraint pesaflow_client_api_client_id_check check (api_client_id ~ '^[0-9]{1,12}$'),
  api_key text not null constraint pesaflow_client_api_key_check check (api_key like 'v1.%' and length(api_key) <= 400),
  secret text not null constraint pesaflow_client_secret_check check (secret like 'v1.%' and length(secret) <= 400),
  name text not null constraint pesaflow_client_name_check check (length(name) between 1 and 80),
  hash_encoding text not null
    constraint pesaflow_client_hash_encoding_check check (hash_encoding in ('hex-base64', 'raw-base64')),
  ipn_recipe text not null
    constraint pesaflow_client_ipn_recipe_check check (ipn_recipe in ('invoice-amount', 'ref-invoice-amount-date')),
  payer_account_id uuid not null,
  created_by text not null,
  created_at timestamptz not null,
  disabled_at timestamptz,
  disabled_by text
);
comment on table pesaflow_client is 'A client of the Pesaflow-compatible checkout (one agency system). api_key and secret cannot be hashed (the protocol''s HMAC needs them in clear on both sides): they are sealed (AES-256-GCM under HUDUMA_SECRETS_KEY, the client''s id and the part as associated data), as staff authenticator secrets are.';
comment on column pesaflow_client.hash_encoding is 'How secureHash is encoded: hex-base64 (base64 of the lowercase hex digest, the official PHP sample) or raw-base64 (base64 of the raw digest).';
comment on column pesaflow_client.ipn_recipe is 'What the IPN signature signs: invoice-amount (invoice_number + amount_paid + secret) or ref-invoice-amount-date (client_invoice_ref + invoice_number + amount_paid + payment_date + secret).';
comment on column pesaflow_client.payer_account_id is 'The payer account of the client''s invoices (an overpayment is credited to it).';
create index pesaflow_client_agency_idx on pesaflow_client (agency_id, created_at desc);

create table pesaflow_checkout (
  id uuid not null constraint pesaflow_checkout_pkey primary key,
  client_id uuid not null constraint pesaflow_checkout_client_fkey references pesaflow_client (id),
  bill_ref_number text not null
    constraint pesaflow_checkout_bill_ref_number_check check (length(bill_ref_number) between 1 and 64),
  request_hash text not null,
  invoice_id uuid not null constraint pesaflow_checkout_invoice_fkey references invoice (id)
    constraint pesaflow_checkout_invoice_key unique,
  request_id text not null constraint pesaflow_checkout_request_id_key unique,
  bill_desc text not null,
  client_name text not null,
  notification_url text not null,
  callback_success text not null,
  callback_failure text,
  callback_timeout text,
  created_at timestamptz not null,
  constraint pesaflow_checkout_client_bill_ref_key unique (client_id, bill_ref_number)
);
comment on table pesaflow_checkout is 'A checkout a Pesaflow client made: an ordinary invoice under the client''s billRefNumber (the same billRefNumber returns the same invoice). request_id names its hosted checkout page.';
comment on column pesaflow_checkout.request_hash is 'SHA-256 of the canonical request (service, amount, currency): the same billRefNumber with another request is refused.';

create table pesaflow_ipn (
  id uuid not null constraint pesaflow_ipn_pkey primary key,
  checkout_id uuid not null constraint pesaflow_ipn_checkout_fkey references pesaflow_checkout (id),
  allocation_id uuid not null constraint pesaflow_ipn_allocation_key unique,
  body text not null,
  state text not null constraint pesaflow_ipn_state_check check (state in ('pending', 'delivered', 'abandoned')),
  attempts integer not null default 0,
  created_at timestamptz not null,
  next_attempt_at timestamptz not null,
  last_attempt_at timestamptz,
  last_status_code integer,
  last_error text,
  delivered_at timestamptz
);
comment on table pesaflow_ipn is 'One payment notification per allocation to a Pesaflow checkout''s invoice, POSTed to its notificationURL until a 2xx answer (backoff, abandoned after three days).';
create index pesaflow_ipn_due_idx on pesaflow_ipn (next_attempt_at) where state = 'pending';

create table pesaflow_ipn_cursor (
  name text not null constraint pesaflow_ipn_cursor_pkey primary key,
  after_id uuid not null,
  moved_at timestamptz
);
comment on table pesaflow_ipn_cursor is 'How far the IPN collector has read payments'' allocations (by id).';
insert into pesaflow_ipn_cursor (name, after_id) values ('allocations', '00000000-0000-0000-0000-000000000000');
