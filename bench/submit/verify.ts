/**
 * After the load, in the database: every application answered 303 is awaiting payment with
 * exactly one invoice for it, and audit records and outbox events were written for the
 * submits (counted); the rest are still drafts; checkApplications finds nothing.
 */
import { sql } from 'kysely';
import { checkApplications } from '#modules/applications/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';

export type Verification = Readonly<{
  /** Applications by status. */
  statuses: Record<string, number>;
  awaitingPayment: number;
  /** Applications awaiting payment with no invoice, or with more than one. */
  invoicesNotOne: number;
  invoices: number;
  /** Audit records of the submitted applications and their invoices, since the load began. */
  auditRecords: number;
  /** Submitted applications with no audit record of their own since the load began. */
  submittedWithoutAudit: number;
  /** Outbox events written since the load began, by topic. */
  outboxByTopic: Record<string, number>;
  checkedByCheckApplications: number;
  findings: readonly string[];
}>;

const count = (value: unknown) => Number(value ?? 0);

export async function verifySubmits(handle: DatabaseHandle, loadStartedAt: Date):
  Promise<Verification> {
  const db = handle.db;
  const statusRows = await sql<{ status: string; n: bigint }>`select status, count(*) as n
    from application_state group by status order by status`.execute(db);
  const statuses = Object.fromEntries(statusRows.rows.map((row) => [row.status, count(row.n)]));
  const invoiceRows = await sql<{ not_one: bigint; invoices: bigint }>`
    select count(*) filter (where n <> 1) as not_one, coalesce(sum(n), 0) as invoices
    from (select s.application_id, (select count(*) from invoice i
      where i.subject = 'application:' || s.application_id::text) as n
      from application_state s where s.status = 'awaiting-payment') as per_application`
    .execute(db);
  const auditRows = await sql<{ records: bigint; without: bigint }>`
    with submitted as (select application_id::text as id, invoice_id::text as invoice_id
      from application_state where status = 'awaiting-payment')
    select (select count(*) from audit_record a where a.occurred_at >= ${loadStartedAt}
        and a.subject_id in (select id from submitted union all select invoice_id
          from submitted)) as records,
      (select count(*) from submitted s where not exists (select 1 from audit_record a
        where a.subject_id = s.id and a.occurred_at >= ${loadStartedAt})) as without`
    .execute(db);
  const outboxRows = await sql<{ topic: string; n: bigint }>`select topic, count(*) as n
    from outbox_event where created_at >= ${loadStartedAt} group by topic order by topic`
    .execute(db);
  const report = await checkApplications(db);
  return {
    statuses,
    awaitingPayment: statuses['awaiting-payment'] ?? 0,
    invoicesNotOne: count(invoiceRows.rows[0]?.not_one),
    invoices: count(invoiceRows.rows[0]?.invoices),
    auditRecords: count(auditRows.rows[0]?.records),
    submittedWithoutAudit: count(auditRows.rows[0]?.without),
    outboxByTopic: Object.fromEntries(outboxRows.rows.map((row) => [row.topic, count(row.n)])),
    checkedByCheckApplications: report.applicationsChecked,
    findings: report.findings.map((finding) => `${finding.applicationId}: ${finding.detail}`),
  };
}
