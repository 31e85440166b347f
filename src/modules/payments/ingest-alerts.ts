/**
 * The alerts a batch of recorded payment notices raises, beside the rows it writes: money held
 * in suspense because its confirmation was out of bounds, a delivery of a known receipt with
 * another amount (DELIVERY_DISAGREED), a receipt already recorded for another invoice than
 * the one this delivery names (RECEIPT_REUSED), and a paybill payment that may repeat an STK
 * payment known only from a status query (C2B_MAY_REPEAT_STK_PAYMENT). Until now each was at
 * most a database row; an alert is logged, counted and listed for Treasury until someone
 * closes it.
 */
import { format } from '#platform/money/index.ts';
import { parseBillReference } from './bill-reference.ts';
import type { BatchWrites } from './batch-writes-repo.ts';
import type { PaymentsDb } from './invoice-repo.ts';
import type { AlertDraft } from './payment-alert-repo.ts';
import type { NoticeItem } from './receipt-plan.ts';

/** What the planner decided for one notice, as far as alerts care. */
export type NoticeOutcome = Readonly<{
  kind: 'payment_recorded' | 'duplicate';
  paymentId: string;
  invoiceId: string | null;
}>;

/** The invoice this delivery names: the STK push's, or the typed reference's. */
async function namedInvoices(
  db: PaymentsDb,
  items: readonly NoticeItem[],
  outcomes: readonly NoticeOutcome[],
): Promise<(string | null)[]> {
  const references = new Map<number, string>();
  for (const [index, item] of items.entries()) {
    if (outcomes[index]?.kind !== 'duplicate' || item.stkInvoiceId !== undefined) continue;
    const reference = parseBillReference(item.notice.accountReference);
    if (reference !== undefined) references.set(index, reference);
  }
  // Only repeats are looked up, and repeats are rare: no cost on the busy path.
  const found = references.size === 0 ? [] : await db.selectFrom('invoice')
    .select(['id', 'reference']).where('reference', 'in', [...new Set(references.values())])
    .execute();
  const byReference = new Map(found.map((row) => [row.reference, row.id]));
  return items.map((item, index) => item.stkInvoiceId ??
    byReference.get(references.get(index) ?? '') ?? null);
}

/**
 * The new C2B payments of the batch whose invoice already holds a payment of the same amount
 * confirmed only by an STK status query (no M-Pesa receipt): possibly the same money told
 * twice. Payments are one only by receipt or CheckoutRequestID, so both stand; a person looks.
 * Reads the partial index of receipt-less payments, only for the batch's new C2B payments.
 */
async function repeatsOfStkPayments(
  db: PaymentsDb,
  items: readonly NoticeItem[],
  outcomes: readonly NoticeOutcome[],
): Promise<Set<number>> {
  const candidates = items.flatMap((item, index) => {
    const invoiceId = outcomes[index]?.invoiceId ?? null;
    return outcomes[index]?.kind === 'payment_recorded' && invoiceId !== null &&
      item.notice.source === 'c2b_confirmation' ? [{ index, invoiceId, item }] : [];
  });
  if (candidates.length === 0) return new Set();
  const unreceipted = await db.selectFrom('payment').select(['invoice_id', 'amount_minor'])
    .where('provider_reference', 'is', null)
    .where('invoice_id', 'in', [...new Set(candidates.map((candidate) => candidate.invoiceId))])
    .execute();
  const keys = new Set(unreceipted.map((row) => `${row.invoice_id}:${row.amount_minor}`));
  return new Set(candidates.filter(({ invoiceId, item }) =>
    keys.has(`${invoiceId}:${item.notice.amount.amountMinor}`)).map(({ index }) => index));
}

/** One list of alerts per item, in order. */
export async function alertsOfNotices(
  db: PaymentsDb,
  items: readonly NoticeItem[],
  outcomes: readonly NoticeOutcome[],
  writes: BatchWrites,
): Promise<AlertDraft[][]> {
  const named = await namedInvoices(db, items, outcomes);
  const stkRepeats = await repeatsOfStkPayments(db, items, outcomes);
  const disagreed = new Set(writes.events.flatMap((event) =>
    event.kind === 'DELIVERY_DISAGREED' ? [`${event.paymentId}:${event.rawId ?? ''}`] : []));
  return items.map((item, index): AlertDraft[] => {
    const outcome = outcomes[index];
    if (outcome === undefined) return [];
    const rawId = item.notice.rawId;
    const about = { rawId, paymentId: outcome.paymentId };
    const alerts: AlertDraft[] = [];
    if (item.holdInSuspense !== undefined) {
      alerts.push({ kind: 'CONFIRMATION_OUT_OF_BOUNDS', ...about,
        reason: `held in suspense: ${item.holdInSuspense}` });
    }
    if (stkRepeats.has(index)) {
      alerts.push({ kind: 'C2B_MAY_REPEAT_STK_PAYMENT', ...about,
        reason: 'the invoice holds a payment of this amount confirmed by an STK status query ' +
          'without its M-Pesa receipt: both are recorded; check they are not the same money' });
    }
    if (outcome.kind !== 'duplicate') return alerts;
    if (disagreed.has(`${outcome.paymentId}:${rawId ?? ''}`)) {
      alerts.push({ kind: 'DELIVERY_DISAGREED', ...about,
        reason: `a delivery of this receipt states ${format(item.notice.amount, 'en')
        }, not the amount recorded` });
    }
    const invoiceId = named[index] ?? null;
    if (invoiceId !== null && invoiceId !== outcome.invoiceId) {
      alerts.push({ kind: 'RECEIPT_REUSED', ...about,
        reason: outcome.invoiceId === null
          ? 'a receipt held in suspense is delivered again naming an invoice'
          : 'a receipt recorded for one invoice is delivered again naming another' });
    }
    return alerts;
  });
}
