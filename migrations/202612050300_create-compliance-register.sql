-- The compliance register (docs/compliance.md): what each agency still collects outside the
-- platform (legacy paybills and their closure dates, revenue declared month by month), the
-- exemptions the compliance desk grants (maker-checker), comply-or-explain notices with their
-- history, and the alerts a daily job raises for expired exemptions and missed deadlines.
create table compliance_legacy_paybill (
  id uuid not null constraint compliance_legacy_paybill_pkey primary key,
  agency_id uuid not null constraint compliance_legacy_paybill_agency_fkey references agency (id),
  paybill_number text not null
    constraint compliance_legacy_paybill_number_check check (paybill_number ~ '^[0-9]{5,7}$'),
  account_name text not null
    constraint compliance_legacy_paybill_name_check check (length(account_name) between 1 and 200),
  closure_due_on date not null,
  closed_on date,
  declared_by text not null,
  declared_at timestamptz not null,
  constraint compliance_legacy_paybill_number_key unique (agency_id, paybill_number)
);
comment on table compliance_legacy_paybill is 'A collection account (paybill) an agency still runs outside the platform, as the agency declared it, with the date it undertakes to close it by (closure_due_on) and the date it did (closed_on).';
comment on column compliance_legacy_paybill.declared_by is 'The staff id of who declared it (never shown publicly).';

create table compliance_exemption (
  id uuid not null constraint compliance_exemption_pkey primary key,
  agency_id uuid not null constraint compliance_exemption_agency_fkey references agency (id),
  service_id uuid constraint compliance_exemption_service_fkey references service (id),
  reason text not null
    constraint compliance_exemption_reason_check check (length(reason) between 1 and 2000),
  migration_plan text not null
    constraint compliance_exemption_plan_check check (length(migration_plan) between 1 and 2000),
  expires_on date not null,
  recorded_by text not null,
  recorded_at timestamptz not null,
  approved_by text,
  approved_at timestamptz,
  constraint compliance_exemption_approved_check check ((approved_by is null) = (approved_at is null)),
  constraint compliance_exemption_two_people_check check (approved_by is null or approved_by <> recorded_by)
);
comment on table compliance_exemption is 'Leave for an agency (service_id null) or one of its services to collect outside the platform until expires_on, with the reason and the plan to move onto the platform. Recorded by one person of the compliance desk and in force only once a different person approves it.';
create index compliance_exemption_agency_idx on compliance_exemption (agency_id);

create table compliance_outside_revenue (
  agency_id uuid not null constraint compliance_outside_revenue_agency_fkey references agency (id),
  month date not null constraint compliance_outside_revenue_month_check check (extract(day from month) = 1),
  currency text not null constraint compliance_outside_revenue_currency_check check (currency in ('KES', 'USD')),
  amount_minor bigint not null constraint compliance_outside_revenue_amount_check check (amount_minor >= 0),
  declared_by text not null,
  declared_at timestamptz not null,
  constraint compliance_outside_revenue_pkey primary key (agency_id, month, currency)
);
comment on table compliance_outside_revenue is 'Revenue an agency declares it collected outside the platform in a month (minor units). A new declaration for the same month and currency replaces the figure; the audit log keeps the earlier one.';

create table compliance_notice (
  id uuid not null constraint compliance_notice_pkey primary key,
  agency_id uuid not null constraint compliance_notice_agency_fkey references agency (id),
  subject text not null constraint compliance_notice_subject_check check (length(subject) between 1 and 200),
  body text not null constraint compliance_notice_body_check check (length(body) between 1 and 5000),
  deadline_on date not null,
  state text not null constraint compliance_notice_state_check check (state in ('issued', 'answered', 'closed')),
  issued_by text not null,
  issued_at timestamptz not null,
  updated_at timestamptz not null
);
comment on table compliance_notice is 'A comply-or-explain notice to an agency. state is the projection of its events (compliance_notice_event); an issued notice past deadline_on is overdue.';
create index compliance_notice_agency_idx on compliance_notice (agency_id, state);

create table compliance_notice_event (
  id uuid not null constraint compliance_notice_event_pkey primary key,
  seq bigint generated always as identity,
  notice_id uuid not null constraint compliance_notice_event_notice_fkey references compliance_notice (id),
  kind text not null constraint compliance_notice_event_kind_check check (kind in ('issued', 'answered', 'closed', 'reopened')),
  actor_id text not null,
  occurred_at timestamptz not null,
  text text not null default '' constraint compliance_notice_event_text_check check (length(text) <= 5000),
  deadline_on date
);
comment on table compliance_notice_event is 'The history of a notice, append-only: issued (with its deadline), answered (the agency''s text), closed (accepted, with a note) or reopened (with a new deadline). seq orders them (several may share a time).';
create index compliance_notice_event_notice_idx on compliance_notice_event (notice_id, seq);
revoke update, delete, truncate on compliance_notice_event from huduma_app;

create table compliance_alert (
  id uuid not null constraint compliance_alert_pkey primary key,
  agency_id uuid not null constraint compliance_alert_agency_fkey references agency (id),
  kind text not null constraint compliance_alert_kind_check
    check (kind in ('exemption_expired', 'paybill_past_closure', 'notice_overdue')),
  subject_id uuid not null,
  due_on date not null,
  raised_at timestamptz not null,
  resolved_at timestamptz,
  constraint compliance_alert_subject_key unique (subject_id, kind)
);
comment on table compliance_alert is 'An expired exemption or a missed deadline (a paybill open past its closure date, a notice unanswered past its deadline), raised once per subject and kind by the daily check, which also marks it resolved_at once the paybill is closed or the notice answered (an expired exemption stays expired).';
create index compliance_alert_agency_idx on compliance_alert (agency_id, raised_at);
