/**
 * Where webhook events come from: each source reads facts past its cursor through a read
 * function of the module that owns them (payments: allocations and refunds; settlement:
 * settled lines), and says which events each fact makes and for which agency.
 */
import type { Kysely } from 'kysely';
import {
  listAllocationsSince,
  listPaidRefundsSince,
  type AgencyAllocationEvent,
} from '#modules/payments/index.ts';
import { listSettledAgencyLinesSince } from '#modules/settlement/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import type { Money } from '#platform/money/index.ts';
import type { WebhookEventType } from './webhook-service.ts';

export type SourceCursor = Readonly<{ id: string; at: Date | null }>;

export type SourceFact = Readonly<{
  /** The fact's id in its source (the cursor moves to it). */
  id: string;
  at: Date | null;
  agencyId: string;
  events: readonly Readonly<{ type: WebhookEventType; data: Readonly<Record<string, unknown>> }>[];
}>;

export type WebhookSource = Readonly<{
  name: string;
  read: (db: Kysely<unknown>, cursor: SourceCursor, before: Date, limit: number) =>
    Promise<SourceFact[]>;
}>;

const moneyBody = (value: Money): Readonly<Record<string, string>> =>
  ({ amountMinor: value.amountMinor.toString(), currency: value.currency });

function allocationEvents(row: AgencyAllocationEvent): SourceFact['events'] {
  const invoice = { invoiceId: row.invoiceId, invoiceReference: row.invoiceReference };
  const received = { type: 'payment.received' as const,
    data: { ...invoice, allocationId: row.allocationId, receiptNumber: row.receiptNumber,
      amount: moneyBody(row.amount), paidSoFar: moneyBody(row.paidSoFar),
      invoiceTotal: moneyBody(row.invoiceTotal), receivedAt: row.allocatedAt.toISOString() } };
  if (!row.completesInvoice) return [received];
  return [received, { type: 'invoice.paid', data: { ...invoice,
    total: moneyBody(row.invoiceTotal), paidAt: row.allocatedAt.toISOString() } }];
}

const timeCursor = (cursor: SourceCursor): Readonly<{ at: Date; id: string }> | null =>
  cursor.at === null ? null : { at: cursor.at, id: cursor.id };

export const webhookSources: readonly WebhookSource[] = [
  { name: 'payment_allocation',
    read: async (db, cursor, before, limit) => {
      const rows = await listAllocationsSince(db, { afterId: cursor.id, before, limit });
      return rows.map((row) => ({ id: row.allocationId, at: null, agencyId: row.agencyId,
        events: allocationEvents(row) }));
    } },
  { name: 'refund_paid',
    read: async (db, cursor, before, limit) => {
      const rows = await listPaidRefundsSince(db, { after: timeCursor(cursor), before, limit });
      return rows.map((row) => ({ id: row.refundId, at: row.paidAt, agencyId: row.agencyId,
        events: [{ type: 'refund.paid' as const, data: { refundId: row.refundId,
          paymentId: row.paymentId, reason: row.reason, amount: moneyBody(row.amount),
          paidAt: row.paidAt.toISOString() } }] }));
    } },
  { name: 'settlement_line_settled',
    read: async (db, cursor, before, limit) => {
      const rows = await listSettledAgencyLinesSince(db, { after: timeCursor(cursor), before,
        limit });
      return rows.map((row) => ({ id: row.lineId, at: row.settledAt,
        agencyId: isUuid(row.agencyId) ? row.agencyId : '',
        events: isUuid(row.agencyId) ? [{ type: 'settlement.settled' as const, data: {
          batchId: row.batchId, batchReference: row.batchReference, lineId: row.lineId,
          amount: moneyBody(row.amount), bankReference: row.bankReference,
          settledAt: row.settledAt.toISOString() } }] : [] }));
    } },
];
