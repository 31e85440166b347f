-- Receipts say more, in the payer's language: whom the money was for (and who paid, when
-- someone paid for another account), the service and agency in Swahili, the bill's lines
-- (service fee, access fee, penalties), and what happens next. All are snapshotted at issue
-- like the other facts, and none is part of the signed payload: receipts issued before keep
-- verifying, and those older receipts simply show the general lines (every column is null).
alter table receipt
  add column payer_name text
    constraint receipt_payer_name_check check (length(payer_name) between 1 and 300),
  add column paid_by_name text
    constraint receipt_paid_by_name_check check (length(paid_by_name) between 1 and 300),
  add column service_name_sw text
    constraint receipt_service_name_sw_check check (length(service_name_sw) between 1 and 500),
  add column agency_name_sw text
    constraint receipt_agency_name_sw_check check (length(agency_name_sw) between 1 and 300),
  add column bill_lines jsonb
    constraint receipt_bill_lines_check check (jsonb_typeof(bill_lines) = 'array'),
  add column next_step_en text
    constraint receipt_next_step_en_check check (length(next_step_en) between 1 and 1000),
  add column next_step_sw text
    constraint receipt_next_step_sw_check check (length(next_step_sw) between 1 and 1000);
comment on column receipt.payer_name is 'The name of the account the bill is for (a dependant or a business when someone acts for them), at issue. Null on receipts issued before 2026-12-04.';
comment on column receipt.paid_by_name is 'The name of the account holder who asked for the M-Pesa prompt, when not the payer themself (acting for a dependant or a business); else null.';
comment on column receipt.service_name_sw is 'The service''s Swahili name from the catalogue at issue; null when the catalogue has none (show service_name).';
comment on column receipt.agency_name_sw is 'The agency''s Swahili name from the catalogue at issue; null when the catalogue has none (show agency_name, which is signed).';
comment on column receipt.bill_lines is 'The bill''s lines at issue, as [{"kind": "service_fee"|"access_fee"|"penalty", "amountMinor": "<integer>", "currency": "KES"|"USD"}]: the split of the bill this payment is towards.';
comment on column receipt.next_step_en is 'What the payer does next (English), from the service''s catalogue entry at issue; null: the general line.';
comment on column receipt.next_step_sw is 'What the payer does next (Swahili), from the service''s catalogue entry at issue; null: the general line.';
