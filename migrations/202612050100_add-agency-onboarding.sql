-- Agency onboarding (docs/onboarding.md): agencies and services made on the platform (origin
-- 'onboarded'), a service's 'sandbox' status (neither shown nor payable to the public until it
-- goes live; docs/decisions/0008-service-sandbox-status.md), an agency's contacts, and fee
-- changes that wait for a second person before they become a fee_schedule_version.
alter table agency drop constraint agency_origin_check;
alter table agency add constraint agency_origin_check
  check (origin in ('demo', 'ecitizen', 'synthetic', 'onboarded'));
alter table service drop constraint service_origin_check;
alter table service add constraint service_origin_check
  check (origin in ('demo', 'ecitizen', 'synthetic', 'onboarded'));
alter table service drop constraint service_onboarding_status_check;
alter table service add constraint service_onboarding_status_check
  check (onboarding_status in ('live', 'in_progress', 'not_started', 'exempt', 'sandbox'));
comment on column service.onboarding_status is 'live, in_progress (being onboarded, payable), not_started, exempt (own billing system), or sandbox (made on the platform, not yet shown nor payable to the public).';

create table agency_contact (
  id uuid not null constraint agency_contact_pkey primary key,
  agency_id uuid not null constraint agency_contact_agency_fkey references agency (id),
  name text not null constraint agency_contact_name_check check (length(name) between 1 and 120),
  email text not null constraint agency_contact_email_check check (length(email) between 3 and 254),
  phone text not null constraint agency_contact_phone_check check (phone ~ '^\+254[17][0-9]{8}$'),
  created_at timestamptz not null
);
comment on table agency_contact is 'Whom the platform calls or writes to about an agency (personal data: never logged nor audited).';
create index agency_contact_agency_idx on agency_contact (agency_id);

create table fee_change_request (
  id uuid not null constraint fee_change_request_pkey primary key,
  service_id uuid not null constraint fee_change_request_service_fkey references service (id),
  agency_id uuid not null constraint fee_change_request_agency_fkey references agency (id),
  amount_minor bigint not null constraint fee_change_request_amount_check check (amount_minor >= 0),
  currency text not null constraint fee_change_request_currency_check check (currency in ('KES', 'USD')),
  effective_from date not null,
  gazette_reference text not null
    constraint fee_change_request_gazette_check check (length(gazette_reference) between 1 and 200),
  status text not null
    constraint fee_change_request_status_check check (status in ('pending', 'approved', 'rejected')),
  proposed_by_staff_id uuid not null
    constraint fee_change_request_proposed_by_fkey references staff_member (id),
  proposed_at timestamptz not null,
  decided_by_staff_id uuid constraint fee_change_request_decided_by_fkey references staff_member (id),
  decided_at timestamptz,
  rejection_reason text constraint fee_change_request_reason_check check (length(rejection_reason) <= 500),
  fee_schedule_version_id uuid
    constraint fee_change_request_version_fkey references fee_schedule_version (id),
  constraint fee_change_request_two_people_check
    check (decided_by_staff_id is null or decided_by_staff_id <> proposed_by_staff_id),
  constraint fee_change_request_decision_check
    check ((status = 'pending') = (decided_by_staff_id is null and decided_at is null)),
  constraint fee_change_request_version_check
    check ((status = 'approved') = (fee_schedule_version_id is not null))
);
comment on table fee_change_request is 'A proposed fee for a service (maker), pending until a second, different person approves it (then fee_schedule_version_id is the version it wrote) or rejects it.';
create index fee_change_request_agency_idx on fee_change_request (agency_id, status, proposed_at);
create unique index fee_change_request_one_pending_idx on fee_change_request (service_id)
  where status = 'pending';
