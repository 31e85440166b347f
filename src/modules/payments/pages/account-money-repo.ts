/**
 * The payer's bills and payments, for their account pages: one page of bills in a group (open,
 * paid, expired, cancelled: the group of the status deriveInvoiceStatus gives, computed here in
 * SQL so the database pages and counts it), the count in each group, and one page of the money
 * allocated to their bills with the payment it came from.
 */
import { sql, type Kysely } from 'kysely';
import { money, type Currency, type Money } from '#platform/money/index.ts';
import type { BillGroup } from './account-money-paths.ts';

export type BillRow = Readonly<{
  id: string;
  reference: string;
  serviceId: string;
  total: Money;
  allocated: Money;
  issuedAt: Date;
  expiresAt: Date;
  cancelledAt: Date | null;
  /** invoice.subject: what the bill pays for (an application), null for a fee on its own. */
  subject: string | null;
  /** When the paid bill was taken back for a refund (wrong service), if it was. */
  withdrawnAt: Date | null;
  /** Its application will not be served (invoice_release): the payer may ask for a refund. */
  released: boolean;
}>;

type RawBill = {
  id: string; reference: string; service_id: string; currency: Currency; total_minor: bigint;
  allocated_minor: bigint | string; issued_at: Date; expires_at: Date; cancelled_at: Date | null;
  subject: string | null; withdrawn_at: Date | null; released: boolean;
};

/**
 * The payer's bills with their group at `now`. The group follows deriveInvoiceStatus: money
 * allocated decides first (part paid is open, paid or more is paid; a paid bill withdrawn for a
 * refund goes with the cancelled), then cancellation, then expiry (account-money.test.ts checks
 * the two agree).
 */
function billsWithGroup(payerAccountId: string, now: Date) {
  return sql`with bill as (
      select i.id, i.reference, i.service_id, i.currency, i.total_minor, i.issued_at,
        i.expires_at, i.cancelled_at, i.subject,
        coalesce((select sum(a.amount_minor) from payment_allocation a
          where a.invoice_id = i.id and a.allocated_at <= ${now}), 0) as allocated_minor,
        (select w.withdrawn_at from invoice_withdrawal w where w.invoice_id = i.id)
          as withdrawn_at,
        exists (select 1 from invoice_release r where r.invoice_id = i.id) as released
      from invoice i where i.payer_account_id = ${payerAccountId}::uuid)
    select bill.*, case
        when withdrawn_at <= ${now} and allocated_minor >= total_minor then 'cancelled'
        when allocated_minor > 0 and allocated_minor < total_minor then 'open'
        when allocated_minor > 0 then 'paid'
        when cancelled_at is not null and cancelled_at <= ${now} then 'cancelled'
        when expires_at <= ${now} then 'expired'
        else 'open' end as bill_group
      from bill`;
}

function toBill(row: RawBill): BillRow {
  return {
    id: row.id, reference: row.reference, serviceId: row.service_id,
    total: money(row.total_minor, row.currency),
    allocated: money(BigInt(row.allocated_minor), row.currency),
    issuedAt: row.issued_at, expiresAt: row.expires_at, cancelledAt: row.cancelled_at,
    subject: row.subject, withdrawnAt: row.withdrawn_at, released: row.released,
  };
}

export async function listPayerBills<DB>(
  db: Kysely<DB>,
  input: Readonly<{ payerAccountId: string; group: BillGroup; now: Date; page: number;
    pageSize: number }>,
): Promise<BillRow[]> {
  const rows = await sql<RawBill>`select * from (${billsWithGroup(input.payerAccountId,
    input.now)}) grouped where bill_group = ${input.group}
    order by issued_at desc, id desc
    limit ${input.pageSize} offset ${(input.page - 1) * input.pageSize}`.execute(db);
  return rows.rows.map(toBill);
}

export async function countPayerBills<DB>(
  db: Kysely<DB>,
  payerAccountId: string,
  now: Date,
): Promise<Record<BillGroup, number>> {
  const rows = await sql<{ bill_group: BillGroup; n: number }>`select bill_group,
    count(*)::int as n from (${billsWithGroup(payerAccountId, now)}) grouped group by bill_group`
    .execute(db);
  const counts: Record<BillGroup, number> = { open: 0, paid: 0, expired: 0, cancelled: 0 };
  for (const row of rows.rows) counts[row.bill_group] = row.n;
  return counts;
}

/** The bill's subject (what it pays for), by id; null for a fee or no such bill. */
export async function findBillSubject<DB>(db: Kysely<DB>, invoiceId: string):
  Promise<string | null> {
  const rows = await sql<{ subject: string | null }>`select subject from invoice
    where id = ${invoiceId}::uuid`.execute(db);
  return rows.rows[0]?.subject ?? null;
}

export type PayerAllocationRow = Readonly<{
  /** Null for a payment kept whole as credit (to a bill already closed): no receipt. */
  allocationId: string | null;
  source: 'payment' | 'payer_credit';
  amount: Money;
  /** When the provider says the money moved, else when it was allocated (credit). */
  paidAt: Date;
  invoiceReference: string;
  serviceId: string;
  channel: string | null;
  /** The M-Pesa receipt number; null for credit, or an STK payment known only by query. */
  providerReference: string | null;
}>;

type RawAllocation = {
  id: string | null; source: 'payment' | 'payer_credit'; amount_minor: bigint; currency: Currency;
  paid_at: Date; reference: string; service_id: string; channel: string | null;
  provider_reference: string | null;
};

export async function listPayerAllocations<DB>(
  db: Kysely<DB>,
  input: Readonly<{ payerAccountId: string; page: number; pageSize: number }>,
): Promise<PayerAllocationRow[]> {
  const rows = await sql<RawAllocation & { sort_id: string }>`${payerMoney(input.payerAccountId)}
    order by paid_at desc, sort_id desc
    limit ${input.pageSize} offset ${(input.page - 1) * input.pageSize}`.execute(db);
  return rows.rows.map((row) => ({
    allocationId: row.id, source: row.source, amount: money(row.amount_minor, row.currency),
    paidAt: row.paid_at, invoiceReference: row.reference, serviceId: row.service_id,
    channel: row.source === 'payer_credit' ? 'payer_credit' : row.channel,
    providerReference: row.provider_reference,
  }));
}

export async function countPayerAllocations<DB>(db: Kysely<DB>, payerAccountId: string):
  Promise<number> {
  const rows = await sql<{ n: number }>`select count(*)::int as n
    from (${payerMoney(payerAccountId)}) money`.execute(db);
  return rows.rows[0]?.n ?? 0;
}

/**
 * The money paid for the payer: each allocation to their bills (from a payment or from their
 * credit), and each payment of theirs kept whole as credit (it reached a bill already closed),
 * which has no allocation and so no receipt.
 */
function payerMoney(payerAccountId: string) {
  return sql`select a.id, a.id as sort_id, a.source, a.amount_minor, a.currency,
      coalesce(p.paid_at, a.allocated_at) as paid_at, i.reference, i.service_id, p.channel,
      p.provider_reference
    from payment_allocation a join invoice i on i.id = a.invoice_id
    left join payment p on p.id = a.payment_id
    where i.payer_account_id = ${payerAccountId}::uuid
    union all
    select null, p.id, 'payment', p.amount_minor, p.currency, p.paid_at, i.reference,
      i.service_id, 'kept_as_credit', p.provider_reference
    from payment p join invoice i on i.id = p.invoice_id
    where p.payer_account_id = ${payerAccountId}::uuid and p.disposition = 'credited'
      and not exists (select 1 from payment_allocation a where a.payment_id = p.id)`;
}
