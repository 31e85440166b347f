-- Applications (issue 10): a person applies for a service by filling its form; the agency
-- reviews and decides. What happened is an append-only action log; the status is derived from
-- it through one transition table (src/modules/applications/application-status.ts).
-- application_state is a projection of the log kept in the same transaction as each action,
-- for work queues and lists; `huduma ledger check` re-derives it from the log.

create table application (
  id uuid not null constraint application_pkey primary key,
  reference text not null constraint application_reference_key unique
    constraint application_reference_check check (reference ~ '^A-[0-9A-HJKMNP-TV-Z]{8}$'),
  service_id uuid not null constraint application_service_fkey references service (id),
  agency_id uuid not null constraint application_agency_fkey references agency (id),
  applicant_account_id uuid not null
    constraint application_applicant_fkey references account (id),
  started_by_account_id uuid not null
    constraint application_started_by_fkey references account (id),
  form jsonb not null,
  created_at timestamptz not null
);
comment on table application is 'One application for one service, by (or for) one account. Never updated: what happens to it is in application_action.';
comment on column application.reference is 'The reference the applicant and the agency quote: A- and 8 symbols of 0-9 A-Z without I L O U.';
comment on column application.agency_id is 'The agency that decides it (the service''s agency when it was started).';
comment on column application.applicant_account_id is 'Whom the application is for: the person, or the dependant or business they act for.';
comment on column application.started_by_account_id is 'Who started it (the applicant, or their guardian or director).';
comment on column application.form is 'The form definition the application was started on (a snapshot: a later change to the service''s form does not change this application).';
create index application_applicant_idx on application (applicant_account_id, created_at desc);

create table application_answers (
  application_id uuid not null constraint application_answers_application_fkey references application (id),
  version integer not null constraint application_answers_version_check check (version >= 1),
  answers jsonb not null,
  saved_at timestamptz not null,
  saved_by_account_id uuid not null constraint application_answers_saved_by_fkey references account (id),
  constraint application_answers_pkey primary key (application_id, version)
);
comment on table application_answers is 'Every saved version of the answers (a draft saved page by page, changes after a return). The newest version is the one in force; older ones are kept so a decision can be traced to what was answered.';

create table application_action (
  id uuid not null constraint application_action_pkey primary key,
  application_id uuid not null constraint application_action_application_fkey references application (id),
  seq integer not null constraint application_action_seq_check check (seq >= 1),
  client_action_id uuid not null,
  kind text not null constraint application_action_kind_check check (kind in (
    'start', 'request-confirmation', 'confirm', 'submit', 'invoice', 'pay', 'start-review',
    'return', 'resubmit', 'approve', 'reject', 'issue', 'cancel', 'assign', 'escalate')),
  actor_kind text not null constraint application_action_actor_kind_check
    check (actor_kind in ('account', 'staff', 'system')),
  actor_id text,
  comment text constraint application_action_comment_check check (length(comment) between 1 and 2000),
  detail jsonb,
  at timestamptz not null,
  constraint application_action_seq_key unique (application_id, seq),
  constraint application_action_client_key unique (application_id, client_action_id)
);
comment on table application_action is 'The append-only log of an application: each action, by whom, in order. Its status is derived from this log alone.';
comment on column application_action.seq is 'The order of actions within the application (1, 2, ...): two actions racing for the same place collide here, and the loser re-reads.';
comment on column application_action.client_action_id is 'The id the client generated for this action (a form''s hidden field): a double click or a retried request acts once.';
comment on column application_action.comment is 'What the person acting wrote for the applicant to see: the changes asked for, the reason for a refusal.';
comment on column application_action.detail is 'Facts of the action: the answers version submitted, the invoice, the document issued, the officer assigned. Never personal data.';
create unique index application_action_start_key on application_action (client_action_id)
  where kind = 'start';
comment on index application_action_start_key is 'A start pressed twice (the same client action id) makes one application.';

create table application_state (
  application_id uuid not null constraint application_state_pkey primary key
    constraint application_state_application_fkey references application (id),
  status text not null,
  last_seq integer not null,
  answers_version integer not null,
  service_id uuid not null,
  agency_id uuid not null,
  applicant_account_id uuid not null,
  second_party_account_id uuid,
  invoice_id uuid,
  document_id uuid,
  assigned_staff_id uuid,
  submitted_at timestamptz,
  paid_at timestamptz,
  sla_due_at timestamptz,
  escalated_at timestamptz,
  updated_at timestamptz not null
);
comment on table application_state is 'A projection of application_action for lists and work queues, written in the transaction of each action. `huduma ledger check` re-derives it from the log and reports any difference.';
comment on column application_state.sla_due_at is 'When the agency should have decided: payment time plus the service''s SLA days.';
comment on column application_state.escalated_at is 'When a breach of the SLA was escalated to the agency''s supervisors.';
create index application_state_queue_idx on application_state (agency_id, status, sla_due_at);
create index application_state_applicant_idx on application_state (applicant_account_id, updated_at desc);
create index application_state_second_party_idx on application_state (second_party_account_id)
  where second_party_account_id is not null;
create index application_state_invoice_idx on application_state (invoice_id) where invoice_id is not null;

create table application_rating (
  application_id uuid not null constraint application_rating_pkey primary key
    constraint application_rating_application_fkey references application (id),
  rating smallint not null constraint application_rating_rating_check check (rating between 1 and 5),
  comment text constraint application_rating_comment_check check (length(comment) between 1 and 1000),
  service_id uuid not null,
  agency_id uuid not null,
  rated_at timestamptz not null
);
comment on table application_rating is 'The applicant''s rating (1-5) and comment after the document was issued; one per application.';
create index application_rating_service_idx on application_rating (service_id);
create index application_rating_agency_idx on application_rating (agency_id);

revoke update, delete, truncate on application, application_answers, application_action,
  application_rating from huduma_app;
revoke delete, truncate on application_state from huduma_app;
