-- The transactional outbox: work to do after a change, written in the same transaction as the
-- change, so the work is never lost and never done for a change that rolled back. Workers claim
-- due events with FOR UPDATE SKIP LOCKED, so several processes can drain it together.
create table outbox_event (
  id uuid primary key,
  topic text not null constraint outbox_event_topic_check
    check (topic ~ '^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$'),
  payload jsonb not null,
  created_at timestamptz not null,
  available_at timestamptz not null,
  attempts integer not null default 0 constraint outbox_event_attempts_check check (attempts >= 0),
  last_error text,
  delivered_at timestamptz,
  dead boolean not null default false,
  constraint outbox_event_delivered_or_dead_check check (not (dead and delivered_at is not null))
);
comment on table outbox_event is 'Transactional outbox: one row per piece of work to do after a committed change; drained by workers.';
comment on column outbox_event.topic is 'What kind of work, dotted lower-case (payment.allocated, notification.deliver); one handler per topic.';
comment on column outbox_event.available_at is 'When a worker may next claim the event: creation, then the end of a claim lease or a retry back-off.';
comment on column outbox_event.attempts is 'How many times a worker has claimed the event.';
comment on column outbox_event.last_error is 'The error of the last failed attempt, for operators; never logged.';
comment on column outbox_event.dead is 'True when the event failed its last allowed attempt (dead letter); an operator decides what next.';
-- Workers look only at pending events; delivered and dead rows drop out of the index.
create index outbox_event_pending_idx on outbox_event (available_at)
  where delivered_at is null and not dead;
