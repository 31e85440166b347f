-- Refunds of a bill paid for the wrong service (docs/refunds.md). The owner of an invoice's
-- subject (applications) RELEASES a paid bill when its subject will never be served (the
-- application was cancelled or rejected); a released bill, or one with no subject, may then be
-- refunded. Approving that refund WITHDRAWS the invoice: its recognition for the agency is
-- corrected, its deposits move to the payer's credit, and the refund is paid from that credit.
create table invoice_release (
  invoice_id uuid not null constraint invoice_release_pkey primary key
    constraint invoice_release_invoice_fkey references invoice (id),
  reason text not null constraint invoice_release_reason_check
    check (reason in ('application-cancelled', 'application-rejected',
      'application-paid-by-another-bill')),
  released_by text not null,
  released_at timestamptz not null
);
comment on table invoice_release is 'A paid invoice whose subject will not be served: its money may be refunded (one row per invoice, the first release wins).';
comment on column invoice_release.released_by is 'account:<id>, staff:<id> or system.';

create table invoice_withdrawal (
  invoice_id uuid not null constraint invoice_withdrawal_pkey primary key
    constraint invoice_withdrawal_invoice_fkey references invoice (id),
  refund_id uuid not null constraint invoice_withdrawal_refund_fkey references refund (id),
  amount_minor bigint not null constraint invoice_withdrawal_amount_check check (amount_minor > 0),
  currency text not null constraint invoice_withdrawal_currency_check check (currency in ('KES')),
  withdrawn_at timestamptz not null
);
comment on table invoice_withdrawal is 'A paid invoice taken back for a refund: its INVOICE_COVERED entry corrected (INVOICE_COVERAGE_WITHDRAWN) and its deposits moved to the payer''s credit (INVOICE_WITHDRAWN_TO_CREDIT), in the refund''s approving transaction. amount_minor is what moved to the credit (the invoice''s allocations).';
create unique index invoice_withdrawal_refund_key on invoice_withdrawal (refund_id);

-- A refund for the wrong service names the paid invoice it takes back.
alter table refund add column invoice_id uuid constraint refund_invoice_fkey references invoice (id);
comment on column refund.invoice_id is 'For a refund of a paid bill (reason wrong_service): the invoice withdrawn on approval.';
-- One live refund per invoice.
create unique index refund_invoice_key on refund (invoice_id)
  where invoice_id is not null and status not in ('rejected', 'cancelled');
