-- Sign in with Huduma (issue 13): client secrets are kept as SHA-256 only, like agency API keys
-- (a 256-bit random secret needs no slow hash), instead of sealed. The provider is handed the
-- secret a client presents, once its hash matches (docs/decisions/0015-openid-provider.md).
-- A client registered before this migration has no usable secret until it is given a new one.
alter table oidc_client add column secret_hash text
  constraint oidc_client_secret_hash_check check (secret_hash ~ '^[0-9a-f]{64}$');
alter table oidc_client drop column secret_sealed;
comment on table oidc_client is 'A relying party of Sign in with Huduma: one system of one agency. The secret is never stored: only its SHA-256 in hex (null: none usable, give it a new one).';
