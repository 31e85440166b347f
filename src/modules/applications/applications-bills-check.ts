/**
 * The bills of applications, checked from the invoices' side (run by `huduma ledger check` with
 * checkApplications): every invoice issued for an application (subject 'application:<id>') is
 * named by that application's log (its 'invoice' or 'reissue' action), and no application has
 * more than one bill paid in full (a second payment for the same application is money to give
 * back, never a second fee). Reads payments' tables, writes nothing.
 */
import { sql, type Kysely } from 'kysely';

export type BillFinding = Readonly<{ applicationId: string; detail: string }>;

const subjectPrefix = 'application:';

type Row = Readonly<{ application_id: string; invoice_id: string }>;
type PaidRow = Readonly<{ application_id: string; paid_bills: string | number | bigint }>;

/** Invoices that say they are for an application whose log never issued them. */
async function unnamedBills<DB>(db: Kysely<DB>, limit: number): Promise<Row[]> {
  const result = await sql<Row>`
    select substr(i.subject, ${subjectPrefix.length + 1}) as application_id,
      i.id::text as invoice_id
    from invoice i
    where i.subject like ${`${subjectPrefix}%`}
      and not exists (
        select 1 from application_action a
        where a.application_id::text = substr(i.subject, ${subjectPrefix.length + 1})
          and a.kind in ('invoice', 'reissue')
          and a.detail ->> 'invoiceId' = i.id::text)
    order by i.id limit ${limit}`.execute(db);
  return result.rows;
}

/**
 * Applications with more than one bill whose allocations cover its total and that was not
 * withdrawn (given back by a refund for the wrong service, docs/refunds.md).
 */
async function twicePaid<DB>(db: Kysely<DB>, limit: number): Promise<PaidRow[]> {
  const result = await sql<PaidRow>`
    select substr(i.subject, ${subjectPrefix.length + 1}) as application_id,
      count(*) as paid_bills
    from invoice i
    where i.subject like ${`${subjectPrefix}%`}
      and (select coalesce(sum(p.amount_minor), 0) from payment_allocation p
        where p.invoice_id = i.id) >= i.total_minor
      and not exists (select 1 from invoice_withdrawal w where w.invoice_id = i.id)
    group by i.subject having count(*) > 1
    order by 1 limit ${limit}`.execute(db);
  return result.rows;
}

export async function checkApplicationBills<DB>(db: Kysely<DB>, limit: number):
  Promise<BillFinding[]> {
  const findings: BillFinding[] = [];
  for (const row of await unnamedBills(db, limit)) {
    findings.push({ applicationId: row.application_id,
      detail: `invoice ${row.invoice_id} names the application but its log does not` });
  }
  for (const row of await twicePaid(db, limit)) {
    findings.push({ applicationId: row.application_id,
      detail: `${String(row.paid_bills)} bills paid in full (at most one may be)` });
  }
  return findings.slice(0, limit);
}
