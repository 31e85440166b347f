-- Identity: public accounts (checked against the population register), who may act for whom,
-- staff with their role and agency, sessions, one-time-code challenges, and the counters
-- behind the sign-in rate limits. Secrets are stored only as hashes.

create table account (
  id uuid primary key,
  kind text not null
    constraint account_kind_check check (kind in ('citizen', 'resident', 'foreigner', 'business')),
  document_type text not null
    constraint account_document_type_check check (document_type in
      ('national_id', 'alien_id', 'passport', 'birth_certificate', 'business_registration')),
  document_number text not null,
  first_name text,
  middle_name text,
  last_name text,
  birth_date date,
  business_name text,
  password_hash text,
  phone text,
  email text,
  code_channel text not null default 'sms'
    constraint account_code_channel_check check (code_channel in ('sms', 'email')),
  language text not null default 'en'
    constraint account_language_check check (language in ('en', 'sw')),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint account_document_key unique (document_type, document_number),
  constraint account_business_name_check check ((kind = 'business') = (business_name is not null)),
  constraint account_person_name_check check (kind = 'business' or
    (first_name is not null and last_name is not null and birth_date is not null)),
  constraint account_sign_in_contact_check check (password_hash is null or
    (code_channel = 'sms' and phone is not null) or (code_channel = 'email' and email is not null))
);
comment on table account is 'A public account: a person (citizen, resident, foreigner; a child as a dependant) or a business. Names and birth date are copied from the population register at registration and are read-only. An account without password_hash cannot sign in (a child, a business): others act for it.';
comment on column account.document_number is 'Upper-case, without spaces or dashes. One account per document: an ID already registered cannot register again.';
comment on column account.password_hash is 'scrypt in PHC string form, parameters included.';

create table account_representative (
  represented_account_id uuid not null constraint account_representative_represented_fkey references account (id),
  representative_account_id uuid not null constraint account_representative_representative_fkey references account (id),
  relationship text not null
    constraint account_representative_relationship_check check (relationship in ('guardian', 'director')),
  confirmed_at timestamptz not null,
  constraint account_representative_pkey primary key (represented_account_id, representative_account_id),
  constraint account_representative_not_self_check check (represented_account_id <> representative_account_id)
);
comment on table account_representative is 'Who may act for whom: a parent or guardian for a child, a director for a business, as the population register last confirmed it (confirmed_at).';
create index account_representative_representative_idx on account_representative (representative_account_id);

create table staff_member (
  id uuid primary key,
  email text not null constraint staff_member_email_key unique,
  display_name text not null,
  role text not null constraint staff_member_role_check check (role in ('agency-officer',
    'agency-supervisor', 'agency-admin', 'treasury', 'auditor', 'platform-admin')),
  agency_id uuid constraint staff_member_agency_fkey references agency (id),
  password_hash text not null,
  totp_secret text not null,
  totp_last_step bigint,
  status text not null default 'active'
    constraint staff_member_status_check check (status in ('active', 'deactivated')),
  created_by_staff_id uuid constraint staff_member_created_by_fkey references staff_member (id),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint staff_member_agency_check check (
    (role in ('agency-officer', 'agency-supervisor', 'agency-admin')) = (agency_id is not null))
);
comment on table staff_member is 'A member of staff: one role, scoped to one agency for agency roles. Signs in with password and TOTP.';
comment on column staff_member.email is 'Lower-case; the sign-in name.';
comment on column staff_member.totp_last_step is 'The 30-second step of the last TOTP code accepted, so a code is never accepted twice.';
create index staff_member_agency_idx on staff_member (agency_id);

create table session (
  id uuid primary key,
  token_hash text not null constraint session_token_hash_key unique,
  account_id uuid constraint session_account_fkey references account (id),
  staff_id uuid constraint session_staff_fkey references staff_member (id),
  on_behalf_of_account_id uuid constraint session_on_behalf_of_fkey references account (id),
  device_label text not null default '',
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null,
  ended_at timestamptz,
  end_reason text constraint session_end_reason_check check (end_reason in
    ('signed-out', 'ended-by-holder', 'password-reset', 'role-changed', 'deactivated')),
  constraint session_principal_check check ((account_id is null) <> (staff_id is null)),
  constraint session_on_behalf_of_check check (on_behalf_of_account_id is null or account_id is not null),
  constraint session_end_check check ((ended_at is null) = (end_reason is null))
);
comment on table session is 'A signed-in browser. The cookie holds a random token; only its SHA-256 is stored. Valid while not ended, before expires_at (absolute timeout) and while last_seen_at is recent (idle timeout).';
comment on column session.on_behalf_of_account_id is 'The dependant or business the account holder currently acts for (null: for themselves).';
create index session_account_idx on session (account_id) where ended_at is null;
create index session_staff_idx on session (staff_id) where ended_at is null;

create table verification_challenge (
  id uuid primary key,
  token_hash text not null constraint verification_challenge_token_hash_key unique,
  purpose text not null constraint verification_challenge_purpose_check
    check (purpose in ('sign-in', 'password-reset', 'contact-change')),
  account_id uuid constraint verification_challenge_account_fkey references account (id),
  code_hash text not null,
  channel text not null constraint verification_challenge_channel_check check (channel in ('sms', 'email')),
  destination text not null,
  attempts integer not null default 0 constraint verification_challenge_attempts_check check (attempts >= 0),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  consumed_at timestamptz,
  locked_at timestamptz,
  constraint verification_challenge_account_check check (account_id is not null or purpose = 'password-reset')
);
comment on table verification_challenge is 'A one-time code sent to a phone or e-mail: expires, single use, locked after too many wrong tries. The code is stored as an HMAC keyed by the browser''s challenge token. A password-reset challenge for an unknown document has no account (a decoy that behaves the same and never succeeds).';
comment on column verification_challenge.destination is 'Where the code was sent; for a contact change, the new phone or e-mail being verified.';
create index verification_challenge_account_idx on verification_challenge (account_id, created_at);

create table rate_limit_counter (
  bucket text not null,
  window_started_at timestamptz not null,
  hits integer not null constraint rate_limit_counter_hits_check check (hits > 0),
  constraint rate_limit_counter_pkey primary key (bucket, window_started_at)
);
comment on table rate_limit_counter is 'Hits per bucket (an action and an account, or a hashed source address) per fixed window, shared by every app process.';

create table identity_secret (
  name text primary key,
  secret text not null,
  created_at timestamptz not null
);
comment on table identity_secret is 'Random keys made once, shared by every app process: the CSRF token key and the key that hashes source addresses for rate limits.';
