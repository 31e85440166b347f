-- Bill inquiry (issue 12): agencies that keep their own billing register a reference prefix;
-- C2B validation of a reference with that prefix asks the agency's bill-lookup endpoint, and a
-- confirmation of one makes (or finds) the platform invoice of that bill, so the money moves
-- through the ledger like any other payment (docs/bill-inquiry.md).
create table bill_inquiry_route (
  id uuid not null constraint bill_inquiry_route_pkey primary key,
  agency_id uuid not null constraint bill_inquiry_route_agency_fkey references agency (id)
    constraint bill_inquiry_route_agency_key unique,
  prefix text not null constraint bill_inquiry_route_prefix_key unique
    constraint bill_inquiry_route_prefix_check check (prefix ~ '^[0-9A-HJKMNP-TV-Z]{2,3}$'),
  service_id uuid not null constraint bill_inquiry_route_service_fkey references service (id),
  payer_account_id uuid not null constraint bill_inquiry_route_payer_account_key unique,
  lookup_url text not null
    constraint bill_inquiry_route_lookup_url_check check (length(lookup_url) between 8 and 2000),
  timeout_ms integer not null
    constraint bill_inquiry_route_timeout_ms_check check (timeout_ms between 100 and 5000),
  fallback text not null
    constraint bill_inquiry_route_fallback_check check (fallback in ('reject', 'accept')),
  allows_part_payment boolean not null,
  secret text not null,
  created_at timestamptz not null,
  created_by text not null,
  updated_at timestamptz not null,
  updated_by text not null
);
comment on table bill_inquiry_route is 'An agency that keeps its own billing: references of prefix + 8 symbols + check symbol (11 or 12 characters, never the 10 of a platform reference) are looked up at its endpoint.';
comment on column bill_inquiry_route.prefix is 'Two or three symbols of the bill reference alphabet; fixed once registered. A 2-symbol and a 3-symbol prefix never clash: the reference length says which applies.';
comment on column bill_inquiry_route.payer_account_id is 'The payer account of the route''s invoices: the agency''s customers have no platform account; overpayments are credited here.';
comment on column bill_inquiry_route.timeout_ms is 'How long a lookup may take before the fallback applies; well under the 8 s M-Pesa waits for validation.';
comment on column bill_inquiry_route.fallback is 'When the lookup times out or fails: reject the payment, or accept it as an unverified bill payment.';
comment on column bill_inquiry_route.secret is 'The HMAC-SHA256 key the lookup requests are signed with (shown to the agency once); kept usable because signing needs it.';

create table bill_inquiry_lookup (
  id uuid not null constraint bill_inquiry_lookup_pkey primary key,
  route_id uuid not null constraint bill_inquiry_lookup_route_fkey references bill_inquiry_route (id),
  reference text not null,
  outcome text not null constraint bill_inquiry_lookup_outcome_check check (outcome in
    ('found', 'not_found', 'timeout', 'unavailable', 'invalid_answer')),
  amount_due_minor bigint constraint bill_inquiry_lookup_amount_due_minor_check
    check (amount_due_minor is null or amount_due_minor >= 0),
  currency text constraint bill_inquiry_lookup_currency_check
    check (currency is null or currency in ('KES', 'USD')),
  decision text not null constraint bill_inquiry_lookup_decision_check
    check (decision in ('accepted', 'rejected', 'fallback_accepted', 'fallback_rejected')),
  looked_up_at timestamptz not null,
  constraint bill_inquiry_lookup_found_check
    check ((outcome = 'found') = (amount_due_minor is not null and currency is not null))
);
comment on table bill_inquiry_lookup is 'One bill lookup at C2B validation: what the agency answered (no payer details) and what we decided. A confirmation of the reference reads the amount due from the latest found lookup.';
create index bill_inquiry_lookup_reference_idx on bill_inquiry_lookup (reference, looked_up_at desc);
revoke update, delete, truncate on bill_inquiry_lookup from huduma_app;

-- The one line of a routed bill's invoice: the amount the agency's own billing says is due,
-- payable to the agency like a service fee, but priced by the agency, not a fee schedule.
alter table invoice_line drop constraint invoice_line_kind_check;
alter table invoice_line add constraint invoice_line_kind_check
  check (kind in ('service_fee', 'access_fee', 'penalty', 'agency_bill'));
comment on column invoice_line.kind is 'service_fee, penalty and agency_bill are payable to the agency; access_fee is revenue remitted to Treasury. agency_bill: the amount due on a bill the agency''s own billing issued (bill inquiry).';
