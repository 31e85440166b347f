-- What a citizen does after paying for a service (book biometrics, have fingerprints taken,
-- collect a document), in both languages, for receipts and payment messages. Null (the imported
-- catalogue, until agencies write it) means the general line.
alter table service
  add column next_step_en text
    constraint service_next_step_en_check check (length(next_step_en) between 1 and 1000),
  add column next_step_sw text
    constraint service_next_step_sw_check check (length(next_step_sw) between 1 and 1000);
comment on column service.next_step_en is 'What the payer does after paying (English), shown on receipts and in payment messages; null: the general line.';
comment on column service.next_step_sw is 'What the payer does after paying (Swahili); null: the English text, or the general line.';
