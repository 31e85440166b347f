-- Staff appointed on the web enrol themselves: the appointer hands over a one-time link, and
-- only the new member of staff ever sees their password and authenticator secret. Until then
-- the row has no password; a secret may be pending (shown on the enrolment page, confirmed by
-- a first code).
alter table staff_member alter column password_hash drop not null;
alter table staff_member alter column totp_secret drop not null;
alter table staff_member add column enrolment_token_hash text
  constraint staff_member_enrolment_token_hash_key unique;
alter table staff_member add column enrolment_expires_at timestamptz;
alter table staff_member add constraint staff_member_enrolment_check check (
  (password_hash is null) = (enrolment_token_hash is not null) and
  (enrolment_token_hash is null) = (enrolment_expires_at is null) and
  (password_hash is null or totp_secret is not null));
comment on column staff_member.enrolment_token_hash is 'SHA-256 of the one-time enrolment link''s token, until the person has set their password and authenticator; null once enrolled.';
comment on column staff_member.totp_secret is 'Base32 TOTP secret; before enrolment completes, the pending secret shown on the enrolment page.';
