-- The audit log: append-only and hash-chained. Each record's hash covers the previous record's
-- hash and its own fields, so changing, removing or reordering a record breaks the chain, which
-- `huduma audit verify` reports. Appends are serialised by an advisory lock held to commit.
create table audit_record (
  sequence bigint not null constraint audit_record_pkey primary key
    constraint audit_record_sequence_check check (sequence >= 1),
  occurred_at timestamptz not null,
  action text not null constraint audit_record_action_check check (action ~ '^[A-Z][A-Z0-9_]*$'),
  actor_kind text not null constraint audit_record_actor_kind_check
    check (actor_kind in ('account', 'staff', 'system', 'api-client')),
  actor_id text,
  actor_role text,
  on_behalf_of_kind text constraint audit_record_on_behalf_of_kind_check
    check (on_behalf_of_kind in ('account', 'business')),
  on_behalf_of_id text,
  subject_type text not null,
  subject_id text,
  agency_id text,
  personal_data_read boolean not null default false,
  detail jsonb not null,
  source_address text,
  previous_hash text not null constraint audit_record_previous_hash_check
    check (previous_hash ~ '^[0-9a-f]{64}$'),
  hash text not null constraint audit_record_hash_key unique
    constraint audit_record_hash_check check (hash ~ '^[0-9a-f]{64}$'),
  constraint audit_record_on_behalf_of_check
    check ((on_behalf_of_kind is null) = (on_behalf_of_id is null))
);
comment on table audit_record is 'Append-only, hash-chained audit log: sign-ins, role changes, state changes, privileged reads of personal data.';
comment on column audit_record.sequence is 'Position in the chain, from 1, without gaps; the commit order of the appends.';
comment on column audit_record.personal_data_read is 'True for a privileged read of someone''s personal data (who looked at my data).';
comment on column audit_record.detail is 'Facts about the event (ids, amounts, statuses); never personal data.';
comment on column audit_record.source_address is 'Client address of the request; stored here, never logged.';
comment on column audit_record.previous_hash is 'The hash of the record before (64 zeros for the first).';
comment on column audit_record.hash is 'sha256(previous_hash + canonical serialisation of this record''s fields), hex.';
create index audit_record_subject_idx on audit_record (subject_type, subject_id, sequence);
create index audit_record_agency_idx on audit_record (agency_id, sequence) where agency_id is not null;

create function audit_record_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit_record is append-only: % is refused', tg_op
    using errcode = 'insufficient_privilege';
end
$$;
comment on function audit_record_refuse_change() is 'Refuses UPDATE, DELETE and TRUNCATE on audit_record, whoever asks.';

create trigger audit_record_refuse_update_delete before update or delete on audit_record
  for each row execute function audit_record_refuse_change();
create trigger audit_record_refuse_truncate before truncate on audit_record
  for each statement execute function audit_record_refuse_change();

-- Defence in depth where roles are separate: the app role is granted select and insert only.
revoke update, delete, truncate on audit_record from public;
