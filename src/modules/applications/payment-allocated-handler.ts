/**
 * The consumer of payment.allocated: when money reaches an application's invoice and the
 * invoice is paid, the application moves to paid. The event is written in the allocating
 * transaction, so this runs even if the platform restarted in between; the client action id is
 * the invoice's id, so a repeated event, or a second allocation (an overpayment), acts once.
 */
import {
  cancelInvoice,
  invoiceViewById,
  readPaymentAllocatedEvent,
  releaseInvoiceInTrx,
} from '#modules/payments/index.ts';
import { ok } from '#platform/errors/index.ts';
import { OutboxPermanentFailure, type OutboxHandler } from '#platform/outbox/index.ts';
import { actInTrx } from './action-engine.ts';
import { applicationNotice } from './application-facts.ts';
import {
  applicationsDb,
  findApplication,
  lockStateInTrx,
  readState,
} from './application-repo.ts';
import { paidPatch } from './application-rules-repo.ts';
import type { ApplicationsDeps } from './application-service.ts';

const subjectPrefix = 'application:';

export function paymentAllocatedHandler(deps: ApplicationsDeps): OutboxHandler {
  return async (event) => {
    const allocated = readPaymentAllocatedEvent(event.payload);
    if (allocated === undefined) {
      throw new OutboxPermanentFailure(`malformed ${event.topic} payload`);
    }
    // Another kind of subject is another module's: not ours to act on.
    if (!allocated.subject.startsWith(subjectPrefix)) return;
    const applicationId = allocated.subject.slice(subjectPrefix.length);
    await markPaidIfPaid(deps, applicationId, allocated.invoiceId);
  };
}

/** @idempotent: acts once per invoice, and only when the invoice is paid in full. */
export async function markPaidIfPaid(deps: ApplicationsDeps, applicationId: string,
  invoiceId: string): Promise<void> {
  const db = applicationsDb(deps.db);
  const application = await findApplication(db, applicationId);
  if (application === undefined) {
    throw new OutboxPermanentFailure(`no application ${applicationId}`);
  }
  const now = deps.clock.now();
  const invoice = await invoiceViewById(deps, invoiceId, now);
  if (invoice === undefined || (invoice.status !== 'paid' && invoice.status !== 'overpaid')) {
    return;
  }
  const state = await readState(db, applicationId);
  const notice = await applicationNotice(deps, application);
  const patch = await paidPatch(deps, application, now);
  // Any bill of the application counts (the event names the application): an expired bill
  // paid in time but confirmed after a new one was issued pays it too.
  const acted = await db.transaction().execute(async (trx) => actInTrx(trx, {
    applicationId, clientActionId: invoiceId, kind: 'pay',
    actor: { kind: 'system', id: null }, now,
  }, async () => ok({ patch: { ...patch, invoice_id: invoiceId }, detail: { invoiceId } }),
  notice));
  const newer = state?.invoiceId;
  if (acted.ok && !acted.value.repeated && newer !== undefined && newer !== null &&
    newer !== invoiceId) {
    await cancelNewerBill(deps, newer, now);
  }
  if (!acted.ok) {
    // Paid after the applicant cancelled (a bill paid in time, confirmed after it expired) or
    // after a rejection: the application stays as it is; its bill is released, so the payer
    // can have it refunded (docs/refunds.md). Money for a cancelled bill never gets here.
    await releaseIfClosed(deps, applicationId, invoiceId, now);
    deps.logger.warn({ applicationId, code: acted.error.code },
      'payment for an application that can no longer be paid');
  }
}

/**
 * Releases, under the state's lock, a paid bill the application will never be served for: it
 * was cancelled or rejected, or it was already paid by another of its bills (a second bill
 * paid in full is money to give back, never a second fee).
 */
async function releaseIfClosed(deps: ApplicationsDeps, applicationId: string,
  invoiceId: string, now: Date): Promise<void> {
  await applicationsDb(deps.db).transaction().execute(async (trx) => {
    const state = await lockStateInTrx(trx, applicationId);
    if (state === undefined) return;
    const reason = state.status === 'cancelled' ? 'application-cancelled'
      : state.status === 'rejected' ? 'application-rejected'
        : state.invoiceId !== null && state.invoiceId !== invoiceId &&
          !['draft', 'submitted', 'awaiting-payment'].includes(state.status)
          ? 'application-paid-by-another-bill' : undefined;
    if (reason === undefined) return;
    await releaseInvoiceInTrx(trx, { invoiceId, actor: { kind: 'system', id: null }, now,
      reason });
  });
}

/** The bill issued after the one that was paid is no longer needed; one with money stays. */
async function cancelNewerBill(deps: ApplicationsDeps, invoiceId: string, now: Date):
  Promise<void> {
  const bill = await invoiceViewById(deps, invoiceId, now);
  if (bill === undefined) return;
  const cancelled = await cancelInvoice(deps, { reference: bill.reference,
    actor: { kind: 'system', id: null }, now });
  if (!cancelled.ok) {
    deps.logger.warn({ invoiceId, code: cancelled.error.code },
      'an application was paid on an earlier bill; its newer bill could not be cancelled');
  }
}
