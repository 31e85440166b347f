-- One ussd_payment row per STK push: a gateway retrying the request that asked for the prompt
-- gets the same push back (its request key), and must not list it twice in "my last payments".
alter table ussd_payment
  add constraint ussd_payment_stk_push_key unique (stk_push_id);
