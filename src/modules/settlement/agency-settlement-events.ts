/**
 * Settlement lines of agencies settled, for the agencies module's webhooks: each agency's line
 * of a batch the bank confirmed, in (settled time, id) order after a cursor. Read-only.
 */
import { sql, type Kysely } from 'kysely';
import { money, type Currency, type Money } from '#platform/money/index.ts';

export type AgencySettlementEvent = Readonly<{
  lineId: string;
  batchId: string;
  batchReference: string;
  agencyId: string;
  amount: Money;
  settledAt: Date;
  bankReference: string | null;
}>;

type LineRow = { id: string; batch_id: string; reference: string; payee: string;
  amount_minor: string; currency: Currency; settled_at: Date; bank_reference: string | null };

/**
 * Settled agency lines with (batch settled_at, line id) after the cursor (null: from the
 * start), settled before `before`, oldest first, at most `limit`. Treasury's line is not an
 * agency's and is left out.
 */
export async function listSettledAgencyLinesSince<DB>(db: Kysely<DB>, query: Readonly<{
  after: Readonly<{ at: Date; id: string }> | null; before: Date; limit: number;
}>): Promise<AgencySettlementEvent[]> {
  const after = query.after === null ? sql`true`
    : sql`(b.settled_at, l.id) > (${query.after.at}, ${query.after.id}::uuid)`;
  const { rows } = await sql<LineRow>`select l.id, l.batch_id, b.reference, l.payee,
      l.amount_minor::text as amount_minor, l.currency, b.settled_at, b.bank_reference
    from settlement_line l join settlement_batch b on b.id = l.batch_id
    where l.state = 'settled' and b.settled_at is not null and l.payee <> 'treasury'
      and b.settled_at < ${query.before} and ${after}
    order by b.settled_at, l.id limit ${query.limit}`.execute(db);
  return rows.map((row) => ({ lineId: row.id, batchId: row.batch_id,
    batchReference: row.reference, agencyId: row.payee,
    amount: money(BigInt(row.amount_minor), row.currency), settledAt: new Date(row.settled_at),
    bankReference: row.bank_reference }));
}
