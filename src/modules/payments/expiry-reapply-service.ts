/**
 * Payments made after an invoice's expiry, delivered before an earlier payment made in time
 * (docs/decisions/0003-payments-across-expiry.md). When they arrived the invoice had lapsed
 * with nothing paid, so they became the payer's credit; once the in-time payment arrives the
 * invoice is part-paid and, had the deliveries come in order, those later payments would have
 * been allocated to it. This applies them now, oldest first, as the in-order delivery would
 * have: to an invoice still short, the payment's money moves from the payer's credit into its
 * deposits (an allocation of that payment, coverage when it completes the invoice, any excess
 * back to credit); to an invoice already covered, the allocation is recorded and the money
 * stays credit. The final invoice and every balance are then those of in-order delivery.
 *
 * Runs from the outbox (`payments.expiry-reapply`, enqueued by the ingest batch that revives
 * a lapsed invoice), in its own transaction under the invoice's lock. @idempotent: a payment
 * already allocated is skipped, and each credit use has a key of its own.
 */
import { sql } from 'kysely';
import { money } from '#platform/money/index.ts';
import type { OutboxHandler } from '#platform/outbox/index.ts';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import {
  accountCodes,
  balanceOfInTrx,
  creditUsed,
  postEntryInTrx,
} from '#modules/ledger/index.ts';
import { allocateInTrx } from './allocation-service.ts';
import { lockInvoiceInTrx, paymentsDb } from './invoice-repo.ts';
import type { PaymentsDeps } from './payments-deps.ts';

export const expiryReapplyTopic = 'payments.expiry-reapply';

type LatePayment = { id: string; amount_minor: bigint; paid_at: Date };

export type ReapplyReport = Readonly<{ applied: number; recorded: number; skipped: number }>;

export async function reapplyPaymentsAfterExpiry(
  deps: PaymentsDeps,
  invoiceId: string,
): Promise<ReapplyReport> {
  const now = deps.clock.now();
  return paymentsDb(deps.db).transaction().execute(async (trx) => {
    const invoice = await lockInvoiceInTrx(trx, { id: invoiceId });
    const report = { applied: 0, recorded: 0, skipped: 0 };
    if (invoice === undefined || invoice.allocatedMinor === 0n) return report;
    const late = await sql<LatePayment>`select p.id, p.amount_minor, p.paid_at from payment p
      where p.invoice_id = ${invoice.id} and p.disposition = 'credited'
        and p.currency = ${invoice.currency} and p.paid_at >= ${invoice.expiresAt}
        and not exists (select 1 from payment_allocation a where a.payment_id = p.id)
      order by p.paid_at, p.id`.execute(trx);
    let allocatedMinor = invoice.allocatedMinor;
    for (const payment of late.rows) {
      const amount = money(payment.amount_minor, invoice.currency);
      const base = { invoice, allocatedBeforeMinor: allocatedMinor, amount,
        source: 'payment' as const, paymentId: payment.id, occurredAt: payment.paid_at, now };
      if (allocatedMinor >= invoice.total.amountMinor) {
        // In order it would have found the invoice paid: recorded against it (overpaid), the
        // money kept as credit; unless the payer has spent that credit since.
        const credit = await balanceOfInTrx(trx, accountCodes.payerCredit(invoice.payerAccountId),
          invoice.currency);
        if (credit.amountMinor < payment.amount_minor) {
          report.skipped += 1;
          continue;
        }
        await allocateInTrx(trx, { ...base, depositsReceived: false });
        report.recorded += 1;
      } else {
        const moved = await postEntryInTrx(trx, creditUsed({
          payerId: invoice.payerAccountId, invoiceId: invoice.id, amount,
          allocationId: `payment-after-expiry:${payment.id}`, occurredAt: payment.paid_at,
        }));
        if (!moved.ok) {
          // The credit was spent meanwhile: the payment stays credit (logged, not retried).
          deps.logger.warn({ paymentId: payment.id, code: moved.error.code },
            'a payment made after expiry could not be applied: its credit is spent');
          report.skipped += 1;
          continue;
        }
        await allocateInTrx(trx, { ...base, depositsReceived: true });
        report.applied += 1;
      }
      allocatedMinor += payment.amount_minor;
      await recordAuditInTrx(trx, {
        action: 'PAYMENT_AFTER_EXPIRY_APPLIED_TO_INVOICE',
        actor: { kind: 'system', id: 'payments' },
        subject: { type: 'payment', id: payment.id },
        agencyId: invoice.agencyId,
        detail: { invoiceId: invoice.id, amountMinor: payment.amount_minor.toString(),
          currency: invoice.currency },
      }, now);
    }
    return report;
  });
}

export function expiryReapplyHandler(deps: PaymentsDeps): OutboxHandler {
  return async (event) => {
    const invoiceId = (event.payload as { invoiceId?: unknown }).invoiceId;
    if (typeof invoiceId !== 'string') throw new Error(`malformed ${event.topic} payload`);
    await reapplyPaymentsAfterExpiry(deps, invoiceId);
  };
}
