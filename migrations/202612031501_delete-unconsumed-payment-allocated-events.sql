-- payment.allocated events had no consumer: they were never claimed and only piled up. Payments
-- no longer enqueues them (docs/decisions/0005-no-event-without-a-consumer.md). What each one
-- said (allocation, invoice, payment, amount) is in payment_allocation, so nothing is lost.
delete from outbox_event where topic = 'payment.allocated' and delivered_at is null and not dead;
