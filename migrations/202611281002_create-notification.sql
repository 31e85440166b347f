-- The notification delivery log: every SMS and e-mail the platform sends, rendered at enqueue
-- time, with its delivery status. Delivery itself is an outbox event (notification.deliver).
create table notification (
  id uuid primary key,
  channel text not null constraint notification_channel_check check (channel in ('sms', 'email')),
  recipient text not null,
  template text not null,
  language text not null constraint notification_language_check check (language in ('en', 'sw')),
  subject text,
  body text not null,
  account_id text,
  status text not null default 'queued' constraint notification_status_check
    check (status in ('queued', 'sent', 'failed', 'dead')),
  attempts integer not null default 0 constraint notification_attempts_check check (attempts >= 0),
  provider text,
  provider_message_id text,
  last_error text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  sent_at timestamptz,
  constraint notification_sent_at_check check ((status = 'sent') = (sent_at is not null))
);
comment on table notification is 'Delivery log of SMS and e-mail: what was sent to whom, in which language, and whether it arrived at the provider.';
comment on column notification.recipient is 'Phone number (E.164) or e-mail address: personal data, never logged.';
comment on column notification.body is 'The rendered text, as sent.';
comment on column notification.status is 'queued (not yet tried), sent (accepted by the provider), failed (will retry), dead (gave up).';
comment on column notification.provider is 'Which adapter delivered it: sms-http, smtp or dev-inbox.';
create index notification_created_at_idx on notification (created_at desc);
create index notification_account_id_idx on notification (account_id, created_at desc)
  where account_id is not null;
