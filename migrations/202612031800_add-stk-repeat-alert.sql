-- A C2B confirmation for an invoice that already holds a payment of the same amount confirmed
-- only by an STK status query (which names no M-Pesa receipt) may be the same money told twice:
-- payments are one only by receipt or CheckoutRequestID, so both are recorded, and a person is
-- asked to look (C2B_MAY_REPEAT_STK_PAYMENT) rather than the platform guessing.
alter table payment_alert drop constraint payment_alert_kind_check;
alter table payment_alert add constraint payment_alert_kind_check check (kind in (
  'CALLBACK_QUARANTINED', 'CONFIRMATION_OUT_OF_BOUNDS', 'DELIVERY_DISAGREED',
  'RECEIPT_REUSED', 'C2B_MAY_REPEAT_STK_PAYMENT'));
comment on column payment_alert.kind is 'CALLBACK_QUARANTINED (stored, never processable), CONFIRMATION_OUT_OF_BOUNDS (held in suspense: not our paybill, time or amount out of bounds), DELIVERY_DISAGREED (same receipt, another amount), RECEIPT_REUSED (a receipt already recorded for another invoice), C2B_MAY_REPEAT_STK_PAYMENT (a paybill payment of the amount of an STK payment of the same invoice known without its receipt: maybe the same money twice).';
