-- Signed webhooks to agencies (docs/agency-webhooks.md): an agency's endpoints with their
-- signing secret and subscribed events, the events found since a cursor per source, and one
-- delivery per (endpoint, event), retried with backoff until acknowledged.
create table agency_webhook_endpoint (
  id uuid not null constraint agency_webhook_endpoint_pkey primary key,
  agency_id uuid not null constraint agency_webhook_endpoint_agency_fkey references agency (id),
  url text not null,
  secret text not null,
  events text not null,
  state text not null constraint agency_webhook_endpoint_state_check
    check (state in ('active', 'disabled')),
  created_at timestamptz not null,
  created_by text not null,
  secret_rotated_at timestamptz,
  disabled_at timestamptz,
  lease_until timestamptz
);
comment on table agency_webhook_endpoint is 'Where an agency wants its events POSTed, signed with secret (HMAC-SHA256). events is a comma-separated list of event types. lease_until: a sender holds the endpoint (one delivery in flight per endpoint).';
create index agency_webhook_endpoint_agency_idx on agency_webhook_endpoint (agency_id, state);

create table agency_webhook_cursor (
  source text not null constraint agency_webhook_cursor_pkey primary key,
  last_id uuid not null,
  updated_at timestamptz not null
);
comment on table agency_webhook_cursor is 'How far the webhook job has read each source of events (a uuidv7 id).';

create table agency_webhook_event (
  id uuid not null constraint agency_webhook_event_pkey primary key,
  source_key text not null constraint agency_webhook_event_source_key unique,
  agency_id uuid not null constraint agency_webhook_event_agency_fkey references agency (id),
  type text not null,
  created_at timestamptz not null,
  body text not null
);
comment on table agency_webhook_event is 'An event for an agency, once per source fact (source_key); body is the exact JSON POSTed.';

create table agency_webhook_delivery (
  id uuid not null constraint agency_webhook_delivery_pkey primary key,
  endpoint_id uuid not null
    constraint agency_webhook_delivery_endpoint_fkey references agency_webhook_endpoint (id),
  event_id uuid not null
    constraint agency_webhook_delivery_event_fkey references agency_webhook_event (id),
  state text not null constraint agency_webhook_delivery_state_check
    check (state in ('pending', 'delivered', 'abandoned')),
  attempts integer not null default 0,
  created_at timestamptz not null,
  next_attempt_at timestamptz,
  last_attempt_at timestamptz,
  last_status_code integer,
  last_error text,
  delivered_at timestamptz,
  constraint agency_webhook_delivery_event_key unique (endpoint_id, event_id)
);
comment on table agency_webhook_delivery is 'One event to one endpoint: pending until a 2xx answer (delivered), retried with backoff; abandoned after three days. Replay sets a delivered one pending again.';
create index agency_webhook_delivery_due_idx on agency_webhook_delivery (endpoint_id, next_attempt_at)
  where state = 'pending';
