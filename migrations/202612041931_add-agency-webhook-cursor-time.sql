-- Sources of webhook events whose facts happen after their row is made (a refund paid, a
-- settlement line settled) are read in (time, id) order: the cursor keeps the time too.
alter table agency_webhook_cursor add column last_at timestamptz;
comment on column agency_webhook_cursor.last_at is 'For sources read in (time, id) order: the time of the last fact read (null for sources read by uuidv7 id alone).';
