-- The USSD channel (docs/ussd.md). Phone numbers are never stored: each table keys on
-- phone_key, an HMAC of the number under the channel's phone key (HUDUMA_USSD_PHONE_KEY).
-- A session: where the caller is in the menus (state), how many of the gateway's answers have
-- been applied, and when it was last seen (an idle session ends with END and starts afresh).
create table ussd_session (
  session_id text not null constraint ussd_session_pkey primary key
    constraint ussd_session_id_check check (length(session_id) between 1 and 200),
  phone_key text not null,
  state jsonb not null,
  answers_applied integer not null constraint ussd_session_answers_check
    check (answers_applied >= 0),
  started_at timestamptz not null,
  last_seen_at timestamptz not null,
  ended_at timestamptz
);
create index ussd_session_last_seen_idx on ussd_session (last_seen_at);
comment on table ussd_session is
  'A USSD session in progress: menu state and the answers applied; swept a day after last seen.';

-- The language a phone chose (menu 7), remembered for its next sessions.
create table ussd_language_preference (
  phone_key text not null constraint ussd_language_preference_pkey primary key,
  language text not null constraint ussd_language_preference_language_check
    check (language in ('en', 'sw')),
  updated_at timestamptz not null
);
comment on table ussd_language_preference is 'The menu language each phone chose over USSD.';

-- The M-Pesa prompts a phone asked for over USSD ("my last payments" lists only these).
create table ussd_payment (
  id uuid not null constraint ussd_payment_pkey primary key,
  phone_key text not null,
  invoice_reference text not null,
  stk_push_id uuid not null,
  created_at timestamptz not null
);
create index ussd_payment_phone_idx on ussd_payment (phone_key, created_at desc);
comment on table ussd_payment is
  'The STK pushes started over USSD, by phone key: the phone''s own payment history.';

-- Lookups (bills, receipts, applications, documents) per phone per hour: a cap on guessing.
create table ussd_lookup_window (
  phone_key text not null,
  window_start timestamptz not null,
  lookups integer not null constraint ussd_lookup_window_lookups_check check (lookups >= 0),
  constraint ussd_lookup_window_pkey primary key (phone_key, window_start)
);
comment on table ussd_lookup_window is
  'How many lookups each phone made in each hour over USSD (rate limit); old windows swept.';
