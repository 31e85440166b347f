-- The head of the audit chain: one row holding the newest record's sequence and hash. An append
-- locks and reads it in one statement (SELECT ... FOR UPDATE returns the row as the previous
-- appender committed it), then inserts its records and moves the head in one more: two round
-- trips for any number of records, where the advisory lock took three per record. The lock on
-- the row is held to commit, so the chain order is still the commit order. `huduma audit
-- verify` also checks that the chain ends where the head says, which shows newest records
-- removed behind the triggers' back.
create table audit_chain_head (
  singleton boolean not null default true constraint audit_chain_head_pkey primary key
    constraint audit_chain_head_singleton_check check (singleton),
  sequence bigint not null constraint audit_chain_head_sequence_check check (sequence >= 0),
  hash text not null constraint audit_chain_head_hash_check check (hash ~ '^[0-9a-f]{64}$')
);
comment on table audit_chain_head is 'One row: the sequence and hash of the newest audit_record (0 and 64 zeros before the first). Moved by every append in the same statement that inserts the records.';

insert into audit_chain_head (singleton, sequence, hash)
select true, coalesce(max(sequence), 0),
  coalesce((select hash from audit_record order by sequence desc limit 1), repeat('0', 64))
from audit_record;

create function audit_chain_head_refuse_delete() returns trigger language plpgsql as $$
begin
  raise exception 'audit_chain_head keeps its one row: % is refused', tg_op
    using errcode = 'insufficient_privilege';
end
$$;
create trigger audit_chain_head_refuse_delete before delete on audit_chain_head
  for each row execute function audit_chain_head_refuse_delete();
create trigger audit_chain_head_refuse_truncate before truncate on audit_chain_head
  for each statement execute function audit_chain_head_refuse_delete();
