-- Documents issued to people: certificates, licences, permits and notices. A document
-- snapshots what it states when it is issued (so it reads the same forever) and carries the
-- signed payload of its QR code, made with the platform's Ed25519 key at issue. Revoking a
-- document appends a revocation: neither table is ever updated.
create table issued_document (
  id uuid not null constraint issued_document_pkey primary key,
  number text not null
    constraint issued_document_number_check check (number ~ '^HD-[0-9A-Z]{5}-[0-9A-Z]{5}$'),
  source_key text not null
    constraint issued_document_source_key_check check (length(source_key) between 1 and 200),
  service_id uuid not null,
  agency_id uuid not null,
  holder_account_id uuid not null,
  holder_name text not null
    constraint issued_document_holder_name_check check (length(holder_name) between 1 and 200),
  template text not null constraint issued_document_template_check
    check (template in ('certificate', 'licence', 'permit', 'notice')),
  service_name_en text not null
    constraint issued_document_service_name_en_check check (length(service_name_en) between 1 and 300),
  service_name_sw text not null
    constraint issued_document_service_name_sw_check check (length(service_name_sw) between 1 and 300),
  agency_name_en text not null
    constraint issued_document_agency_name_en_check check (length(agency_name_en) between 1 and 300),
  agency_name_sw text not null
    constraint issued_document_agency_name_sw_check check (length(agency_name_sw) between 1 and 300),
  facts jsonb not null constraint issued_document_facts_check check (jsonb_typeof(facts) = 'array'),
  issued_at timestamptz not null,
  expires_at timestamptz,
  payload text not null
    constraint issued_document_payload_check check (length(payload) between 1 and 1500),
  constraint issued_document_number_key unique (number),
  constraint issued_document_source_key_key unique (source_key),
  constraint issued_document_expiry_check check (expires_at is null or expires_at > issued_at)
);
comment on table issued_document is 'Documents issued to holders (certificates, licences, permits, notices): one per source (source_key, e.g. the application id), facts snapshotted at issue. Never updated; revocations are in document_revocation.';
comment on column issued_document.number is 'The document number printed and signed: HD-XXXXX-XXXXX, of an unambiguous alphabet.';
comment on column issued_document.source_key is 'What the document is issued for (the application id): issuing twice for one source returns the first document.';
comment on column issued_document.holder_name is 'The holder''s name as printed on the document and signed in its payload.';
comment on column issued_document.facts is 'Extra lines printed on the PDF, not signed: [{label: {en, sw}, value}].';
comment on column issued_document.payload is 'The signed QR payload (HD1.<body>.<signature>), signed at issue by the key current then.';
create index issued_document_holder_idx on issued_document (holder_account_id, issued_at);
create index issued_document_agency_idx on issued_document (agency_id, issued_at);

create table document_revocation (
  document_id uuid not null constraint document_revocation_pkey primary key
    constraint document_revocation_document_fkey references issued_document (id),
  reason text not null
    constraint document_revocation_reason_check check (length(reason) between 1 and 500),
  revoked_at timestamptz not null,
  revoked_by_kind text not null
    constraint document_revocation_revoked_by_kind_check check (length(revoked_by_kind) between 1 and 20),
  revoked_by_id text
);
comment on table document_revocation is 'A document''s revocation by its issuing agency: at most one per document (a second is refused). Never updated or deleted.';
comment on column document_revocation.reason is 'Why it was revoked, as staff wrote it; shown to staff and the holder, never on the public /verify page.';
comment on column document_revocation.revoked_by_id is 'The staff member (or system) that revoked it; the audit log holds the same.';

-- Append-only for the app, like receipts.
grant select, insert on issued_document, document_revocation to huduma_app;
revoke update, delete, truncate on issued_document, document_revocation from huduma_app;
