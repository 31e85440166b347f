-- The auditor's audit log browser (docs/auditors.md) filters by action, by actor and by time,
-- newest first, a page at a time past a sequence (keyset). These indexes let each filter walk
-- its own records backwards from the cursor instead of every record of the log.
create index audit_record_action_idx on audit_record (action, sequence);
comment on index audit_record_action_idx is 'Audit browser: the records of one action, by sequence.';
create index audit_record_actor_idx on audit_record (actor_id, sequence)
  where actor_id is not null;
comment on index audit_record_actor_idx is 'Audit browser: the records of one actor, by sequence.';
create index audit_record_occurred_at_idx on audit_record (occurred_at);
comment on index audit_record_occurred_at_idx is 'Audit browser: the records of a date range.';
