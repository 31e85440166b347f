-- Card payment sessions (docs/cards.md): each time a payer chooses to pay an invoice by card we
-- ask the acquirer for a hosted payment session, keyed by an Idempotency-Key derived from the
-- invoice, the attempt and the amount, so pressing the button twice makes one session. What the
-- acquirer later says (status, its payment id, a failure code) is kept here for the return page;
-- the money itself is recorded by payments, once per acquirer payment id. No card number, ever.
create table card_session (
  id uuid not null constraint card_session_pkey primary key,
  provider text not null constraint card_session_provider_check
    check (provider ~ '^[a-z][a-z0-9-]{1,39}$'),
  session_id text not null constraint card_session_session_id_check
    check (session_id ~ '^[A-Za-z0-9_-]{4,100}$'),
  idempotency_key text not null constraint card_session_idempotency_key_check
    check (length(idempotency_key) between 1 and 100),
  invoice_id uuid not null,
  invoice_reference text not null,
  attempt integer not null constraint card_session_attempt_check check (attempt > 0),
  requested_by uuid not null,
  amount_minor bigint not null constraint card_session_amount_minor_check check (amount_minor > 0),
  currency text not null constraint card_session_currency_check check (currency in ('KES', 'USD')),
  hosted_url text not null constraint card_session_hosted_url_check check (length(hosted_url) <= 2000),
  status text not null constraint card_session_status_check
    check (status in ('open', 'succeeded', 'failed', 'expired')),
  failure_code text constraint card_session_failure_code_check
    check (failure_code ~ '^[a-z_]{1,64}$'),
  payment_reference text constraint card_session_payment_reference_check
    check (payment_reference ~ '^[A-Za-z0-9_-]{4,64}$'),
  expires_at timestamptz not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint card_session_session_key unique (provider, session_id),
  constraint card_session_idempotency_key unique (provider, idempotency_key)
);
comment on table card_session is 'A hosted card payment session at the acquirer, for one invoice. The payment it made is in payment (provider, provider_reference = payment_reference).';
create index card_session_invoice_idx on card_session (invoice_id, created_at);
