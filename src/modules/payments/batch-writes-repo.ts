/**
 * The rows a batch of callbacks leaves behind, written in ONE statement (data-modifying CTEs
 * over jsonb record sets): allocations, payment events and the callbacks' outcomes. Round
 * trips, not rows, are what a busy ingest pays for.
 */
import { sql, type Kysely } from 'kysely';
import type { NewAllocation } from './invoice-repo.ts';
import type { NewPaymentEvent, OutcomeRow } from './payment-repo.ts';

export type BatchWrites = Readonly<{
  allocations: readonly NewAllocation[];
  events: readonly NewPaymentEvent[];
}>;

export const noWrites: BatchWrites = { allocations: [], events: [] };

export function joinWrites(parts: readonly BatchWrites[]): BatchWrites {
  return {
    allocations: parts.flatMap((part) => part.allocations),
    events: parts.flatMap((part) => part.events),
  };
}

export async function writeBatchInTrx<DB>(
  trx: Kysely<DB>,
  writes: BatchWrites,
  outcomes: readonly OutcomeRow[],
): Promise<void> {
  if (writes.allocations.length + writes.events.length + outcomes.length === 0) return;
  const allocations = JSON.stringify(writes.allocations.map((row) => ({
    id: row.id, invoice_id: row.invoiceId, source: row.source, payment_id: row.paymentId,
    amount_minor: row.amount.amountMinor.toString(), currency: row.amount.currency,
    allocated_at: row.allocatedAt.toISOString(),
  })));
  const events = JSON.stringify(writes.events.map((row) => ({
    id: row.id, payment_id: row.paymentId, kind: row.kind, raw_id: row.rawId,
    amount_minor: row.amount.amountMinor.toString(), account_reference: row.accountReference,
    recorded_at: row.recordedAt.toISOString(),
  })));
  const outcomeRows = JSON.stringify(outcomes.map((row) => ({
    raw_id: row.rawId, outcome: row.outcome, processed_at: row.processedAt.toISOString(),
  })));
  await sql`
    with new_allocation as (
      insert into payment_allocation (id, invoice_id, source, payment_id, amount_minor, currency,
        allocated_at)
      select id, invoice_id, source, payment_id, amount_minor::int8, currency, allocated_at
      from jsonb_to_recordset(${allocations}::jsonb) as r (id uuid, invoice_id uuid,
        source text, payment_id uuid, amount_minor text, currency text,
        allocated_at timestamptz)),
    new_event as (
      insert into payment_event (id, payment_id, kind, raw_id, amount_minor, account_reference,
        recorded_at)
      select id, payment_id, kind, raw_id, amount_minor::int8, account_reference, recorded_at
      from jsonb_to_recordset(${events}::jsonb) as r (id uuid, payment_id uuid, kind text,
        raw_id uuid, amount_minor text, account_reference text, recorded_at timestamptz))
    insert into payment_callback_outcome (raw_id, outcome, processed_at)
    select raw_id, outcome, processed_at
    from jsonb_to_recordset(${outcomeRows}::jsonb) as r (raw_id uuid, outcome text,
      processed_at timestamptz)
    on conflict (raw_id) do nothing`.execute(trx);
}
