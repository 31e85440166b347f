-- A receipt is issued when money is allocated, not when someone first looks for it: every row
-- inserted into payment_allocation, by whichever path (a batch of M-Pesa confirmations, credit,
-- a suspense match), enqueues a payments.receipt-issue outbox event in the same transaction, so
-- the event exists exactly when the allocation commits. Its consumer (payments,
-- allocation-receipt-service.ts) issues the receipt through documents, idempotently (one
-- receipt per allocation, by source key), stating the provider's time of payment.
create function enqueue_allocation_receipt() returns trigger
language plpgsql as $$
begin
  insert into outbox_event (id, topic, payload, created_at, available_at)
  values (gen_random_uuid(), 'payments.receipt-issue',
    jsonb_build_object('allocationId', new.id), now(), now());
  return null;
end;
$$;
comment on function enqueue_allocation_receipt() is 'Enqueues payments.receipt-issue for each new allocation, in the allocating transaction.';

create trigger payment_allocation_receipt_trigger
  after insert on payment_allocation
  for each row execute function enqueue_allocation_receipt();
comment on trigger payment_allocation_receipt_trigger on payment_allocation is 'One receipt per allocation, issued through the outbox when the allocation commits.';

-- Allocations made before this migration that have no receipt yet get theirs the same way.
insert into outbox_event (id, topic, payload, created_at, available_at)
select gen_random_uuid(), 'payments.receipt-issue', jsonb_build_object('allocationId', a.id),
  now(), now()
from payment_allocation a
where not exists (select 1 from receipt r where r.source_key = 'payments:allocation:' || a.id);
