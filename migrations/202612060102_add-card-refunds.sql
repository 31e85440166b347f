-- Refunds of card payments (docs/cards.md): paid back through the card acquirer (a refund of
-- the card payment, POST /v1/refunds, its result by signed notification), in the payment's
-- currency (KES or USD). The attempt's originator_conversation_id is our Idempotency-Key and
-- merchantRefundReference at the acquirer; conversation_id the acquirer's refund id.
alter table refund drop constraint refund_currency_check;
alter table refund add constraint refund_currency_check check (currency in ('KES', 'USD'));
alter table refund drop constraint refund_method_check;
alter table refund add constraint refund_method_check
  check (method in ('mpesa_b2c', 'mpesa_reversal', 'card_refund'));
alter table refund_attempt drop constraint refund_attempt_method_check;
alter table refund_attempt add constraint refund_attempt_method_check
  check (method in ('mpesa_b2c', 'mpesa_reversal', 'card_refund'));
-- Only M-Pesa money leaves by M-Pesa, and only card money by the card acquirer.
alter table refund add constraint refund_card_target_check
  check (method <> 'card_refund' or payment_id is not null);
