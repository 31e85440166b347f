-- Workers claim the due events of the topics they consume, oldest first. With an index on
-- available_at alone a claim walked past every pending event of every other topic (events no
-- worker claims piled up and slowed every claim); (topic, available_at) goes straight to them.
create index outbox_event_topic_due_idx on outbox_event (topic, available_at)
  where delivered_at is null and not dead;
comment on index outbox_event_topic_due_idx is 'Claims: the due events of one topic, oldest first; pending events only.';
drop index outbox_event_pending_idx;

-- Retention deletes delivered events older than its period, oldest first, in batches.
create index outbox_event_delivered_idx on outbox_event (delivered_at)
  where delivered_at is not null;
comment on index outbox_event_delivered_idx is 'Retention: delivered events, oldest first.';
