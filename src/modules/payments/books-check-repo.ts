/**
 * The queries behind the payments half of `huduma ledger check`: each invoice's allocations
 * against its deposits and its covered entry, each payer's credit against what they overpaid,
 * suspense against the payments held there, and each payment against its receipt entry.
 * They read what is stored and return only what disagrees (invoices in keyset batches), so
 * memory stays flat however large the books are.
 */
import { sql, type Kysely } from 'kysely';
import type { Currency } from '#platform/money/index.ts';

/** Below every UUID, so the first batch starts at the beginning. */
const uuidBeforeAll = '00000000-0000-0000-0000-000000000000';

export async function countInvoices<DB>(db: Kysely<DB>): Promise<number> {
  const result = await sql<{ invoices: number }>`select count(*)::int as invoices from invoice`
    .execute(db);
  return result.rows[0]?.invoices ?? 0;
}

export type InvoiceBooksRow = Readonly<{
  id: string;
  reference: string;
  currency: Currency;
  totalMinor: bigint;
  cancelled: boolean;
  /** Sum of the invoice's allocations (payments and credit). */
  allocatedMinor: bigint;
  /** Balance of deposits:invoice:<id> (credits less debits). */
  depositsMinor: bigint;
  /** Entries keyed `invoice:<id>:covered` (at most one can exist). */
  coveredEntries: number;
  /** What the covered entry credited to the agency payables and access-fee revenue. */
  recognisedMinor: bigint;
  /** Withdrawn for a refund (invoice_withdrawal): its money went to the payer's credit. */
  withdrawn: boolean;
  /** INVOICE_COVERAGE_WITHDRAWN entries correcting its covered entry. */
  coverageWithdrawals: number;
}>;

/** The next batch of invoices after `afterId`, each with its allocations and books. */
export async function selectInvoiceBooksBatch<DB>(
  db: Kysely<DB>,
  afterId: string | undefined,
  batchSize: number,
): Promise<InvoiceBooksRow[]> {
  const result = await sql<{
    id: string; reference: string; currency: Currency; total_minor: string; cancelled: boolean;
    allocated: string; deposits: string; covered_entries: number; recognised: string;
    withdrawn: boolean; coverage_withdrawals: number;
  }>`
    with batch as (
      select id, reference, currency, total_minor, cancelled_at is not null as cancelled
      from invoice where id > ${afterId ?? uuidBeforeAll}::uuid order by id limit ${batchSize})
    select b.id, b.reference, b.currency, b.total_minor::text, b.cancelled,
      (select coalesce(sum(a.amount_minor), 0) from payment_allocation a
        where a.invoice_id = b.id)::text as allocated,
      (select coalesce(sum(case l.side when 'credit' then l.amount_minor
          else -l.amount_minor end), 0)
        from ledger_line l where l.account_code = 'deposits:invoice:' || b.id
          and l.currency = b.currency)::text as deposits,
      (select count(*)::int from ledger_entry e
        where e.idempotency_key = 'invoice:' || b.id || ':covered') as covered_entries,
      (select coalesce(sum(l.amount_minor), 0) from ledger_entry e
        join ledger_line l on l.entry_id = e.id
        where e.idempotency_key = 'invoice:' || b.id || ':covered' and l.side = 'credit'
          and (l.account_code like 'payable:agency:%' or l.account_code = 'revenue:access-fee')
      )::text as recognised,
      exists (select 1 from invoice_withdrawal w where w.invoice_id = b.id) as withdrawn,
      (select count(*)::int from ledger_entry c join ledger_entry e on e.id = c.corrects_entry_id
        where e.idempotency_key = 'invoice:' || b.id || ':covered'
          and c.code = 'INVOICE_COVERAGE_WITHDRAWN') as coverage_withdrawals
    from batch b order by b.id`.execute(db);
  return result.rows.map((row) => ({
    id: row.id,
    reference: row.reference,
    currency: row.currency,
    totalMinor: BigInt(row.total_minor),
    cancelled: row.cancelled,
    allocatedMinor: BigInt(row.allocated),
    depositsMinor: BigInt(row.deposits),
    coveredEntries: row.covered_entries,
    recognisedMinor: BigInt(row.recognised),
    withdrawn: row.withdrawn,
    coverageWithdrawals: row.coverage_withdrawals,
  }));
}

export type BalanceDisagreement = Readonly<{
  /** The payer (credit) or '' (suspense). */
  holder: string;
  currency: Currency;
  expectedMinor: bigint;
  actualMinor: bigint;
}>;

type DisagreementSelection = {
  holder: string; currency: Currency; expected: string; actual: string;
};

function toDisagreement(row: DisagreementSelection): BalanceDisagreement {
  return { holder: row.holder, currency: row.currency, expectedMinor: BigInt(row.expected),
    actualMinor: BigInt(row.actual) };
}

/** Refunds approved and not cancelled: their money left the credit or suspense. */
const refundsApprovedStatuses = sql`('approved', 'paying', 'paid', 'failed')`;

/**
 * Payers whose credit differs from what the payments say it should be: what they paid beyond
 * each invoice's total, plus payments credited to them that no invoice took, less the credit
 * they spent on invoices and the refunds of it approved (not cancelled). A withdrawn invoice
 * (refunded for the wrong service) gave its total back to the credit (what was paid beyond it
 * is in over_paid already).
 */
export async function selectCreditDisagreements<DB>(db: Kysely<DB>, limit: number):
  Promise<BalanceDisagreement[]> {
  const result = await sql<DisagreementSelection>`
    with over_paid as (
      select i.payer_account_id::text as holder, i.currency,
        sum(a.amount_minor) - i.total_minor as amount
      from invoice i join payment_allocation a on a.invoice_id = i.id
      group by i.id having sum(a.amount_minor) > i.total_minor),
    credited as (
      select p.payer_account_id::text as holder, p.currency, p.amount_minor as amount
      from payment p where p.disposition = 'credited' and p.payer_account_id is not null
        and not exists (select 1 from payment_allocation a where a.payment_id = p.id)),
    spent as (
      select i.payer_account_id::text as holder, a.currency, -a.amount_minor as amount
      from payment_allocation a join invoice i on i.id = a.invoice_id
      where a.source = 'payer_credit'),
    withdrawn as (
      select i.payer_account_id::text as holder, i.currency, i.total_minor as amount
      from invoice_withdrawal w join invoice i on i.id = w.invoice_id),
    refunded as (
      select r.payer_account_id::text as holder, r.currency, -r.amount_minor as amount
      from refund r where r.source = 'payer_credit' and r.status in ${refundsApprovedStatuses}),
    expected as (
      select holder, currency, sum(amount) as amount from (
        select * from over_paid union all select * from credited union all select * from spent
        union all select * from withdrawn union all select * from refunded
      ) movements group by holder, currency),
    actual as (
      select substr(account_code, length('credit:payer:') + 1) as holder, currency,
        sum(case side when 'credit' then amount_minor else -amount_minor end) as amount
      from ledger_line where account_code like 'credit:payer:%' group by account_code, currency)
    select coalesce(e.holder, a.holder) as holder, coalesce(e.currency, a.currency) as currency,
      coalesce(e.amount, 0)::text as expected, coalesce(a.amount, 0)::text as actual
    from expected e full join actual a on a.holder = e.holder and a.currency = e.currency
    where coalesce(e.amount, 0) <> coalesce(a.amount, 0)
    order by 1, 2 limit ${limit}`.execute(db);
  return result.rows.map(toDisagreement);
}

/**
 * Currencies whose suspense balance differs from the payments held in suspense. Receipts
 * the ledger took into suspense without a payment record (no `paymentId`: not the M-Pesa path)
 * are left out of both sides.
 */
export async function selectSuspenseDisagreements<DB>(db: Kysely<DB>):
  Promise<BalanceDisagreement[]> {
  const result = await sql<DisagreementSelection>`
    with expected as (
      select currency, sum(amount_minor) as amount from payment
      where disposition = 'suspense' group by currency),
    actual as (
      select l.currency,
        sum(case l.side when 'credit' then l.amount_minor else -l.amount_minor end) as amount
      from ledger_line l join ledger_entry e on e.id = l.entry_id
      where l.account_code = 'suspense'
        and not (e.code = 'RECEIPT_HELD_IN_SUSPENSE' and not e.reference ? 'paymentId')
      group by l.currency)
    select '' as holder, coalesce(e.currency, a.currency) as currency,
      coalesce(e.amount, 0)::text as expected, coalesce(a.amount, 0)::text as actual
    from expected e full join actual a on a.currency = e.currency
    where coalesce(e.amount, 0) <> coalesce(a.amount, 0) order by 2`.execute(db);
  return result.rows.map(toDisagreement);
}

export type ReceiptDisagreement = Readonly<{
  paymentId: string;
  receipt: string;
  /** What is wrong, in words. */
  problem: string;
}>;

/** The receipt entry code each payment disposition calls for (LEDGER posting rules). */
const entryCodeOfDisposition = sql`case p.disposition
  when 'allocated' then 'RECEIPT_ALLOCATED_TO_INVOICE'
  when 'credited' then 'RECEIPT_CREDITED_TO_PAYER'
  else 'RECEIPT_HELD_IN_SUSPENSE' end`;

/**
 * Payments whose receipt entry is missing, repeated, of another amount or currency, or of a
 * kind their disposition does not call for; and receipt entries naming a payment that is not
 * recorded.
 */
export async function selectReceiptDisagreements<DB>(db: Kysely<DB>, limit: number):
  Promise<ReceiptDisagreement[]> {
  const result = await sql<ReceiptDisagreement>`
    with receipt_entry as (
      select e.id, e.code, e.currency, (e.reference->>'paymentId') as payment_id,
        (select sum(l.amount_minor) from ledger_line l
          where l.entry_id = e.id and l.side = 'debit') as amount
      from ledger_entry e
      where e.code in ('RECEIPT_ALLOCATED_TO_INVOICE', 'RECEIPT_CREDITED_TO_PAYER',
        'RECEIPT_HELD_IN_SUSPENSE') and e.reference ? 'paymentId'),
    per_payment as (
      select p.id::text as payment_id,
        coalesce(p.provider_reference, p.checkout_request_id, '') as receipt,
        count(r.id) as entries,
        bool_and(r.amount = p.amount_minor and r.currency = p.currency) as amounts_agree,
        -- A card payment's money came into its acquirer's collection account (docs/cards.md).
        bool_and(p.channel <> 'card' or exists (select 1 from ledger_line l
          where l.entry_id = r.id and l.side = 'debit'
            and l.account_code = 'collection:card:' || p.provider)) as account_agrees,
        bool_and(r.code = ${entryCodeOfDisposition} or (p.disposition = 'allocated'
          and r.code = 'RECEIPT_HELD_IN_SUSPENSE' and exists (select 1 from payment_event v
            where v.payment_id = p.id and v.kind = 'MATCHED_FROM_SUSPENSE'))) as kinds_agree
      from payment p left join receipt_entry r on r.payment_id = p.id::text
      group by p.id)
    select payment_id as "paymentId", receipt, case
        when entries = 0 then 'no receipt entry'
        when entries > 1 then entries || ' receipt entries'
        when not amounts_agree then 'the receipt entry has another amount or currency'
        when not account_agrees then
          'the receipt entry debits another account than the card acquirer''s collection'
        else 'the receipt entry does not match the payment''s disposition' end as problem
      from per_payment
      where entries <> 1 or not amounts_agree or not kinds_agree or not account_agrees
    union all
    select r.payment_id, '', 'receipt entry ' || r.id || ' names a payment not recorded'
      from receipt_entry r
      where not exists (select 1 from payment p where p.id::text = r.payment_id)
    order by 1 limit ${limit}`.execute(db);
  return result.rows;
}

/**
 * Refunds against the ledger, per currency: refunds payable must equal the refunds approved
 * and neither paid nor cancelled; the REFUND_PAID_OUT entries must sum to the refunds paid.
 */
export async function selectRefundDisagreements<DB>(db: Kysely<DB>):
  Promise<Array<BalanceDisagreement & Readonly<{ rule: 'payable' | 'paid' }>>> {
  const result = await sql<DisagreementSelection & { rule: 'payable' | 'paid' }>`
    with owed as (
      select currency, sum(amount_minor) as amount from refund
      where status in ('approved', 'paying', 'failed') group by currency),
    payable as (
      select currency,
        sum(case side when 'credit' then amount_minor else -amount_minor end) as amount
      from ledger_line where account_code = 'refunds-payable' group by currency),
    paid as (
      select currency, sum(amount_minor) as amount from refund
      where status = 'paid' group by currency),
    paid_out as (
      select l.currency, sum(l.amount_minor) as amount
      from ledger_entry e join ledger_line l on l.entry_id = e.id
      where e.code = 'REFUND_PAID_OUT' and l.side = 'debit' group by l.currency)
    select 'payable' as rule, '' as holder, coalesce(o.currency, p.currency) as currency,
      coalesce(o.amount, 0)::text as expected, coalesce(p.amount, 0)::text as actual
    from owed o full join payable p on p.currency = o.currency
    where coalesce(o.amount, 0) <> coalesce(p.amount, 0)
    union all
    select 'paid', '', coalesce(d.currency, x.currency), coalesce(d.amount, 0)::text,
      coalesce(x.amount, 0)::text
    from paid d full join paid_out x on x.currency = d.currency
    where coalesce(d.amount, 0) <> coalesce(x.amount, 0)
    order by 1, 3`.execute(db);
  return result.rows.map((row) => ({ ...toDisagreement(row), rule: row.rule }));
}
