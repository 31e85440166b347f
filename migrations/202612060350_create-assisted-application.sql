-- Applications an agent fills and submits in a citizen's name in an assisted session: the
-- application is the citizen's (applications owns it); this row records that it was made
-- through the agent, and the agent fee stated for it (never on the invoice, never in the ledger).
create table assisted_application (
  id uuid primary key,
  consent_id uuid not null
    constraint assisted_application_consent_fkey references assisted_consent (id),
  request_key uuid not null constraint assisted_application_request_key unique,
  agent_staff_id uuid not null
    constraint assisted_application_agent_fkey references staff_member (id),
  citizen_account_id uuid not null
    constraint assisted_application_citizen_fkey references account (id),
  application_id uuid not null constraint assisted_application_application_key unique
    constraint assisted_application_application_fkey references application (id),
  service_id uuid not null constraint assisted_application_service_fkey references service (id),
  agency_id uuid not null constraint assisted_application_agency_fkey references agency (id),
  agent_fee_minor bigint not null
    constraint assisted_application_fee_check check (agent_fee_minor >= 0),
  agent_fee_cap_minor bigint not null,
  currency text not null constraint assisted_application_currency_check check (currency = 'KES'),
  created_at timestamptz not null,
  constraint assisted_application_cap_check check (agent_fee_minor <= agent_fee_cap_minor)
);
comment on table assisted_application is 'Applications an agent made in a citizen''s name (the application is the citizen''s), with the agent fee stated. Append-only.';
create index assisted_application_citizen_idx on assisted_application (citizen_account_id, created_at);
create index assisted_application_agency_idx on assisted_application (agency_id, created_at);
revoke update, delete, truncate on assisted_application from huduma_app;
