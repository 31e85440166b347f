-- Suspense resolution (maker-checker): an officer proposes that a receipt held in suspense pays
-- an invoice (the payer mistyped the reference); a second, different person approves or rejects.
-- Only an approval moves money, in the deciding transaction. One open proposal per payment, and
-- at most one approved match per payment, held by unique indexes.
create table suspense_match (
  id uuid not null constraint suspense_match_pkey primary key,
  payment_id uuid not null constraint suspense_match_payment_fkey references payment (id),
  invoice_id uuid not null constraint suspense_match_invoice_fkey references invoice (id),
  proposed_by text not null,
  proposed_at timestamptz not null,
  proposal_note text not null default ''
    constraint suspense_match_proposal_note_check check (length(proposal_note) <= 1000),
  decision text constraint suspense_match_decision_check check (decision in ('approved', 'rejected')),
  decided_by text,
  decided_at timestamptz,
  decision_note text not null default ''
    constraint suspense_match_decision_note_check check (length(decision_note) <= 1000),
  constraint suspense_match_decided_check check (
    (decision is null) = (decided_by is null) and (decision is null) = (decided_at is null)),
  constraint suspense_match_two_people_check check (decided_by is null or decided_by <> proposed_by)
);
comment on table suspense_match is 'A proposed match of a suspense receipt to an invoice, and the second person''s decision. Approval moves the money (suspense to the invoice deposits, then the coverage rule).';
comment on column suspense_match.proposed_by is 'The staff id of the maker; decided_by (the checker) must differ.';
create unique index suspense_match_open_key on suspense_match (payment_id) where decision is null;
create unique index suspense_match_approved_key on suspense_match (payment_id)
  where decision = 'approved';
create index suspense_match_proposed_idx on suspense_match (proposed_at) where decision is null;

-- A payment matched from suspense records it in its event log. Lists every kind so far, the
-- reconciliation's CONFIRMED_BY_STATEMENT included.
alter table payment_event drop constraint payment_event_kind_check;
alter table payment_event add constraint payment_event_kind_check check (kind in (
  'CONFIRMED_BY_C2B_CONFIRMATION', 'CONFIRMED_BY_STK_CALLBACK', 'CONFIRMED_BY_STK_QUERY',
  'RECEIPT_NUMBER_LEARNT', 'CHECKOUT_REQUEST_LEARNT', 'DELIVERY_DISAGREED',
  'CONFIRMED_BY_STATEMENT', 'MATCHED_FROM_SUSPENSE'));
