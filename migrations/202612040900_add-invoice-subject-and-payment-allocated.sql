-- An invoice can be issued FOR something: an application (issue 10). Payments does not know
-- what the subject is (an opaque text such as 'application:<uuid>'); it only tells whoever
-- owns the subject that money was allocated to its invoice. Fee-only invoices have no subject
-- and so no event (decision 0005: no event without a consumer).
alter table invoice add column subject text
  constraint invoice_subject_check check (subject ~ '^[a-z][a-z-]*:[0-9a-f-]{36}$');
comment on column invoice.subject is 'What the invoice pays for, when it is more than a fee: an opaque "<kind>:<uuid>" such as application:<id>. Null for a fee paid on its own.';
create index invoice_subject_idx on invoice (subject) where subject is not null;

-- Every allocation to an invoice with a subject enqueues payment.allocated in the allocating
-- transaction, so the subject's owner hears of it exactly when the money is in, even across a
-- restart. The consumer (applications) reads the invoice's state itself; the event says which.
create function enqueue_payment_allocated() returns trigger
language plpgsql as $$
declare
  invoice_subject text;
begin
  select subject into invoice_subject from invoice where id = new.invoice_id;
  if invoice_subject is not null then
    insert into outbox_event (id, topic, payload, created_at, available_at)
    values (gen_random_uuid(), 'payment.allocated',
      jsonb_build_object('allocationId', new.id, 'invoiceId', new.invoice_id,
        'subject', invoice_subject), now(), now());
  end if;
  return null;
end;
$$;
comment on function enqueue_payment_allocated() is 'Enqueues payment.allocated for each new allocation to an invoice that has a subject, in the allocating transaction.';

create trigger payment_allocation_allocated_trigger
  after insert on payment_allocation
  for each row execute function enqueue_payment_allocated();
comment on trigger payment_allocation_allocated_trigger on payment_allocation is 'Tells the owner of an invoice''s subject (an application) that money was allocated to it.';
