-- Assisted service (docs/assisted.md): a cyber cafe or Huduma Centre clerk is a member of staff
-- with the role 'assisted-agent' (no agency, like treasury), listed in the agent register; a
-- citizen consents with a one-time code sent to their own phone; what the agent then does is
-- the citizen's (their invoice), linked here to the agent and the agent's fee, which is never
-- on the invoice nor in the ledger.
alter table staff_member drop constraint staff_member_role_check;
alter table staff_member add constraint staff_member_role_check check (role in (
  'agency-officer', 'agency-supervisor', 'agency-admin', 'treasury', 'finance-officer', 'auditor',
  'platform-admin', 'assisted-agent'));

create table assisted_agent (
  staff_id uuid primary key constraint assisted_agent_staff_fkey references staff_member (id),
  agent_number text not null constraint assisted_agent_number_key unique
    constraint assisted_agent_number_check check (agent_number ~ '^[A-Z0-9][A-Z0-9-]{2,19}$'),
  business_name text not null
    constraint assisted_agent_business_name_check check (length(business_name) between 1 and 120),
  kind text not null
    constraint assisted_agent_kind_check check (kind in ('cyber-cafe', 'huduma-centre')),
  location text not null
    constraint assisted_agent_location_check check (length(location) between 1 and 120),
  registered_by_staff_id uuid not null
    constraint assisted_agent_registered_by_fkey references staff_member (id),
  registered_at timestamptz not null
);
comment on table assisted_agent is 'The agent register: each assisted agent''s business or centre, its kind, location and public agent number. A staff member with the role assisted-agent serves no one until listed here.';

create table agent_fee_cap (
  id uuid primary key,
  service_id uuid constraint agent_fee_cap_service_fkey references service (id),
  cap_minor bigint not null constraint agent_fee_cap_amount_check check (cap_minor >= 0),
  currency text not null constraint agent_fee_cap_currency_check check (currency = 'KES'),
  effective_from date not null,
  set_by_staff_id uuid not null constraint agent_fee_cap_set_by_fkey references staff_member (id),
  created_at timestamptz not null,
  constraint agent_fee_cap_key unique nulls not distinct (service_id, effective_from)
);
comment on table agent_fee_cap is 'The published agent-fee table: the most an agent may charge, per service or (service_id null) for every service without a cap of its own, from a Kenyan date on. Append-only: a new cap is a new row.';
create index agent_fee_cap_service_idx on agent_fee_cap (service_id, effective_from);

create table assisted_consent (
  id uuid primary key,
  agent_staff_id uuid not null constraint assisted_consent_agent_fkey references staff_member (id),
  citizen_account_id uuid not null
    constraint assisted_consent_citizen_fkey references account (id),
  code_hash text not null,
  attempts integer not null default 0
    constraint assisted_consent_attempts_check check (attempts >= 0),
  created_at timestamptz not null,
  code_expires_at timestamptz not null,
  consented_at timestamptz,
  session_expires_at timestamptz,
  ended_at timestamptz,
  constraint assisted_consent_session_check check (
    (consented_at is null) = (session_expires_at is null))
);
comment on table assisted_consent is 'A code sent to a citizen''s phone for an agent, and once the citizen gives it to the agent, the assisted session it opens (time-limited, one citizen). The code is kept only as a hash.';
create index assisted_consent_citizen_idx on assisted_consent (citizen_account_id, created_at);
create index assisted_consent_agent_idx on assisted_consent (agent_staff_id, created_at);

create table assisted_transaction (
  id uuid primary key,
  consent_id uuid not null
    constraint assisted_transaction_consent_fkey references assisted_consent (id),
  request_key uuid not null constraint assisted_transaction_request_key unique,
  agent_staff_id uuid not null
    constraint assisted_transaction_agent_fkey references staff_member (id),
  citizen_account_id uuid not null
    constraint assisted_transaction_citizen_fkey references account (id),
  invoice_id uuid not null constraint assisted_transaction_invoice_key unique
    constraint assisted_transaction_invoice_fkey references invoice (id),
  service_id uuid not null constraint assisted_transaction_service_fkey references service (id),
  agency_id uuid not null constraint assisted_transaction_agency_fkey references agency (id),
  agent_fee_minor bigint not null
    constraint assisted_transaction_fee_check check (agent_fee_minor >= 0),
  agent_fee_cap_minor bigint not null,
  currency text not null constraint assisted_transaction_currency_check check (currency = 'KES'),
  created_at timestamptz not null,
  constraint assisted_transaction_cap_check check (agent_fee_minor <= agent_fee_cap_minor)
);
comment on table assisted_transaction is 'What an agent did in a citizen''s name: the citizen''s invoice, made through the agent, and the agent''s fee stated to the citizen (never on the invoice, never in the ledger). Append-only.';
create index assisted_transaction_citizen_idx on assisted_transaction (citizen_account_id, created_at);
create index assisted_transaction_agent_idx on assisted_transaction (agent_staff_id, created_at);
create index assisted_transaction_agency_idx on assisted_transaction (agency_id, created_at);

revoke update, delete, truncate on agent_fee_cap, assisted_transaction from huduma_app;
