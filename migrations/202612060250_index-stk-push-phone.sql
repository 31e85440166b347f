-- "My last payments" over USSD lists the paid STK prompts sent to the dialling phone
-- (payments' listPaymentsFromPhone): find a phone's prompts without reading every push.
create index stk_push_phone_idx on stk_push (phone_number, created_at desc);
