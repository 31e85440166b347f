-- Every STK push now has its intent checked through the outbox (payments.stk-query, attempt 0)
-- about 5 minutes after it is recorded: a push whose call to Daraja has no recorded answer (the
-- process stopped between the two) is closed as "submission unknown" instead of staying ready
-- for ever. Pushes recorded before this check existed, and still without an answer, get theirs
-- now, due in 5 minutes so that a call in flight while this migration runs can still finish.
insert into outbox_event (id, topic, payload, created_at, available_at)
select gen_random_uuid(), 'payments.stk-query',
  jsonb_build_object('stkPushId', p.id, 'attempt', 0, 'final', false),
  now(), now() + interval '5 minutes'
from stk_push p
where p.checkout_request_id is null
  and not exists (select 1 from stk_push_event e
    where e.stk_push_id = p.id and e.kind <> 'STK_PUSH_READY');
