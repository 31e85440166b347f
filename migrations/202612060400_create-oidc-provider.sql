-- Sign in with Huduma (issue 13): the OpenID Provider's relying parties (clients), registered by
-- a platform administrator per agency, and the provider's own short-lived records (sessions,
-- interactions, codes, tokens, grants), each with its expiry.
create table oidc_client (
  client_id text not null constraint oidc_client_pkey primary key
    constraint oidc_client_id_check check (client_id ~ '^hc_[a-z0-9]{20}$'),
  agency_id uuid not null constraint oidc_client_agency_fkey references agency (id),
  name text not null constraint oidc_client_name_check check (length(name) between 1 and 80),
  redirect_uris text[] not null
    constraint oidc_client_redirect_uris_check check (cardinality(redirect_uris) between 1 and 10),
  post_logout_redirect_uris text[] not null
    constraint oidc_client_post_logout_check check (cardinality(post_logout_redirect_uris) <= 10),
  scopes text[] not null,
  secret_sealed text not null,
  created_by text not null,
  created_at timestamptz not null,
  secret_rotated_at timestamptz,
  revoked_at timestamptz,
  revoked_by text
);
comment on table oidc_client is 'A relying party of Sign in with Huduma: one system of one agency. The secret is sealed (AES-256-GCM under HUDUMA_SECRETS_KEY), not hashed: the provider library needs it whole to check client_secret_basic and client_secret_jwt.';
comment on column oidc_client.revoked_at is 'Set once: the client is refused from then on, and its tokens with it.';
create index oidc_client_agency_idx on oidc_client (agency_id, created_at desc);

create table oidc_record (
  model text not null,
  id text not null,
  payload jsonb not null,
  grant_id text,
  uid text,
  expires_at timestamptz,
  consumed_at timestamptz,
  constraint oidc_record_pkey primary key (model, id)
);
comment on table oidc_record is 'The provider library''s records (Session, Interaction, AuthorizationCode, AccessToken, RefreshToken, Grant, ...), as its adapter interface stores them; expired rows are purged by a periodic job.';
create index oidc_record_grant_idx on oidc_record (grant_id) where grant_id is not null;
create index oidc_record_uid_idx on oidc_record (uid) where uid is not null;
create index oidc_record_expires_idx on oidc_record (expires_at) where expires_at is not null;
