-- Card payments (docs/cards.md): a card acquirer's payment is a payment like any other, once per
-- acquirer payment reference (provider, provider_reference unique, as for M-Pesa receipts).
-- Its signed notifications and the answers to our session status queries are stored raw first.
alter table payment drop constraint payment_provider_check;
alter table payment add constraint payment_provider_check
  check (provider ~ '^[a-z][a-z0-9-]{1,39}$');
alter table payment drop constraint payment_provider_reference_check;
alter table payment add constraint payment_provider_reference_check check (
  (provider = 'mpesa' and provider_reference ~ '^[A-Za-z0-9]{4,40}$') or
  (provider <> 'mpesa' and provider_reference ~ '^[A-Za-z0-9_-]{4,64}$'));
alter table payment drop constraint payment_channel_check;
alter table payment add constraint payment_channel_check
  check (channel in ('mpesa_c2b', 'mpesa_stk', 'card'));
-- A card payment is always identified by the acquirer's payment reference.
alter table payment add constraint payment_card_identified_check
  check (channel <> 'card' or (provider <> 'mpesa' and provider_reference is not null));
comment on column payment.provider is 'mpesa, or the card acquirer (e.g. demo-acquirer).';
comment on column payment.provider_reference is 'The M-Pesa receipt (TransID, MpesaReceiptNumber) or the card acquirer''s payment id. Null only while an STK push confirmed by a status query has not yet told us its receipt.';
comment on column payment.shortcode is 'The M-Pesa paybill, or our merchant id at the card acquirer.';

alter table payment_callback_raw drop constraint payment_callback_raw_kind_check;
alter table payment_callback_raw add constraint payment_callback_raw_kind_check check (kind in (
  'mpesa_c2b_confirmation', 'mpesa_stk_callback', 'mpesa_stk_query_response',
  'mpesa_transaction_status_result', 'mpesa_statement_line', 'mpesa_pull_transaction',
  'mpesa_b2c_result', 'mpesa_reversal_result', 'mpesa_refund_timeout',
  'mpesa_refund_status_result', 'card_notification', 'card_session_query'));

alter table payment_event drop constraint payment_event_kind_check;
alter table payment_event add constraint payment_event_kind_check check (kind in (
  'CONFIRMED_BY_C2B_CONFIRMATION', 'CONFIRMED_BY_STK_CALLBACK', 'CONFIRMED_BY_STK_QUERY',
  'RECEIPT_NUMBER_LEARNT', 'CHECKOUT_REQUEST_LEARNT', 'DELIVERY_DISAGREED',
  'CONFIRMED_BY_STATEMENT', 'MATCHED_FROM_SUSPENSE', 'CONFIRMED_BY_CARD_NOTIFICATION',
  'CONFIRMED_BY_CARD_QUERY'));
