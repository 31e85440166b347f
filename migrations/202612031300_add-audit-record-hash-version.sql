-- The audit hash now covers the time as stored, to the microsecond. Records written before keep
-- version 1 (the time to the millisecond, as JavaScript's Date held it) and verify under that
-- rule; new records are version 2 (modules/audit/audit-chain.ts). The constant default fills
-- existing rows without rewriting them, so the append-only triggers are not involved.
alter table audit_record add column hash_version smallint not null default 1
  constraint audit_record_hash_version_check check (hash_version in (1, 2));
comment on column audit_record.hash_version is 'Which canonical form the hash covers: 1, the time to the millisecond (records written before 2026-12-03); 2, the time as stored, to the microsecond, and the version itself.';
