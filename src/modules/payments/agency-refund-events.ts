/**
 * Refunds paid out, for the agencies module's webhooks: refunds of an agency's payments
 * (agency known) whose money went out, in (paid time, id) order after a cursor. Read-only.
 */
import { sql, type Kysely } from 'kysely';
import { money, type Money } from '#platform/money/index.ts';

export type AgencyRefundEvent = Readonly<{
  refundId: string;
  agencyId: string;
  paymentId: string | null;
  reason: string;
  amount: Money;
  paidAt: Date;
}>;

type RefundRow = { id: string; agency_id: string; payment_id: string | null; reason: string;
  amount_minor: string; currency: 'KES'; paid_at: Date };

/**
 * Paid refunds with (paid_at, id) after the cursor (null: from the start), paid before
 * `before`, oldest first, at most `limit`.
 */
export async function listPaidRefundsSince<DB>(db: Kysely<DB>, query: Readonly<{
  after: Readonly<{ at: Date; id: string }> | null; before: Date; limit: number;
}>): Promise<AgencyRefundEvent[]> {
  const after = query.after === null ? sql`true`
    : sql`(r.paid_at, r.id) > (${query.after.at}, ${query.after.id}::uuid)`;
  const { rows } = await sql<RefundRow>`select r.id, r.agency_id, r.payment_id, r.reason,
      r.amount_minor::text as amount_minor, r.currency, r.paid_at
    from refund r
    where r.status = 'paid' and r.agency_id is not null and r.paid_at is not null
      and r.paid_at < ${query.before} and ${after}
    order by r.paid_at, r.id limit ${query.limit}`.execute(db);
  return rows.map((row) => ({ refundId: row.id, agencyId: row.agency_id,
    paymentId: row.payment_id, reason: row.reason,
    amount: money(BigInt(row.amount_minor), row.currency), paidAt: new Date(row.paid_at) }));
}
