/**
 * Recording money received, exactly once per provider receipt, in the caller's transaction:
 * verify -> dedupe by receipt (or STK checkout request) -> lock the invoice -> decide where
 * the money goes -> insert the payment (the unique receipt makes a concurrent twin a no-op) ->
 * post the ledger entries -> allocate -> append the event. A repeat appends an event only.
 * The audit records and notifications are returned to the caller, which writes them late in
 * its transaction (the audit lock is held to commit: one hold per batch, not per payment).
 */
import type { Transaction } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import { money, type Money } from '#platform/money/index.ts';
import type { AuditEvent } from '#modules/audit/index.ts';
import {
  receiptForClosedInvoice,
  receiptMatched,
  receiptUnmatched,
  type ProviderReceipt,
} from '#modules/ledger/index.ts';
import { allocateInTrx, postOrFailInTrx } from './allocation-service.ts';
import { parseBillReference } from './bill-reference.ts';
import {
  allocatedMinorOf,
  lockInvoiceInTrx,
  paymentsDb,
  type InvoiceRow,
  type PaymentsDb,
} from './invoice-repo.ts';
import { decideReceipt, type ReceiptDecision } from './invoice-rules.ts';
import { channelOf, eventKindOf, type PaymentNotice } from './payment-notices.ts';
import {
  completePaymentKeysInTrx,
  findCounterpartInTrx,
  findPayment,
  insertPaymentEventInTrx,
  insertPaymentInTrx,
  type PaymentRow,
} from './payment-repo.ts';
import type { PaymentDisposition } from './payments-tables.ts';

/** How far apart a C2B confirmation and an STK push of the same money may be dated. */
const counterpartWindowMs = 2 * 60 * 60 * 1000;

/** A message for the payer, sent if the transaction commits (wired to notifications). */
export type PayerNotice = Readonly<{
  template: 'payments.payment-received' | 'payments.credit-available';
  payerAccountId: string;
  amount: Money;
  billReference: string;
  /** For payment-received: the M-Pesa receipt ('' when not yet known). */
  receiptNumber: string;
}>;

export type ReceiptOutcome = Readonly<{
  kind: 'payment_recorded' | 'duplicate';
  paymentId: string;
  disposition: PaymentDisposition;
  invoiceId: string | null;
  /** For a new payment: what to audit and whom to tell. */
  audit: AuditEvent | undefined;
  payerNotices: readonly PayerNotice[];
}>;

export type ReceiptContext = Readonly<{
  now: Date;
  /** The invoice an STK push was for (STK notices), else the typed reference decides. */
  stkInvoiceId?: string;
}>;

/**
 * Records a payment notice. @idempotent with (receipt number | checkout request): any number
 * of deliveries, in any order, from any of the three sources, move the money once.
 */
export async function recordNoticeInTrx<DB>(
  trx: Transaction<DB>,
  notice: PaymentNotice,
  context: ReceiptContext,
): Promise<ReceiptOutcome> {
  const db = paymentsDb(trx);
  const keys = { receiptNumber: notice.receiptNumber, checkoutRequestId: notice.checkoutRequestId };
  const known = await findPayment(db, keys);
  if (known !== undefined) return recordRepeatInTrx(db, known, notice, context.now);
  const invoice = await lockTargetInvoiceInTrx(db, notice, context);
  if (invoice !== undefined) {
    // Waiting for the lock may have let a twin delivery commit: look again, and for the
    // same money arriving by the other route (C2B vs STK status query).
    const twin = await findPayment(db, keys) ?? await findCounterpart(db, invoice, notice);
    if (twin !== undefined) return recordRepeatInTrx(db, twin, notice, context.now);
  }
  const allocatedMinor = invoice === undefined ? 0n : await allocatedMinorOf(db, invoice.id);
  const decision = invoice === undefined ? undefined : decideReceipt(
    { ...invoice, totalMinor: invoice.total.amountMinor, allocatedMinor },
    notice.amount, notice.paidAt);
  const disposition: PaymentDisposition = decision === undefined ? 'suspense'
    : decision.kind === 'allocate' ? 'allocated' : 'credited';
  const paymentId = uuidv7(context.now.getTime());
  const inserted = await insertPaymentInTrx(db, {
    id: paymentId, receiptNumber: notice.receiptNumber ?? null,
    checkoutRequestId: notice.checkoutRequestId ?? null, channel: channelOf(notice),
    shortcode: notice.shortcode, amount: notice.amount, accountReference: notice.accountReference,
    invoiceId: invoice?.id ?? null, payerAccountId: invoice?.payerAccountId ?? null,
    disposition, paidAt: notice.paidAt, recordedAt: context.now,
  });
  if (!inserted) {
    const twin = await findPayment(db, keys);
    if (twin === undefined) throw new Error('payment insert conflicted with no payment found');
    return recordRepeatInTrx(db, twin, notice, context.now);
  }
  const payerNotices = await moveMoneyInTrx(trx, { paymentId, notice, invoice, decision,
    allocatedMinor, now: context.now });
  await appendEventInTrx(db, paymentId, notice, eventKindOf(notice), context.now);
  return {
    kind: 'payment_recorded', paymentId, disposition, invoiceId: invoice?.id ?? null,
    audit: paymentAudit(paymentId, notice, disposition, invoice), payerNotices,
  };
}

async function lockTargetInvoiceInTrx(
  db: PaymentsDb,
  notice: PaymentNotice,
  context: ReceiptContext,
): Promise<InvoiceRow | undefined> {
  if (context.stkInvoiceId !== undefined) return lockInvoiceInTrx(db, { id: context.stkInvoiceId });
  const reference = parseBillReference(notice.accountReference);
  return reference === undefined ? undefined : lockInvoiceInTrx(db, { reference });
}

function findCounterpart(db: PaymentsDb, invoice: InvoiceRow, notice: PaymentNotice):
  Promise<PaymentRow | undefined> {
  if (notice.receiptNumber !== undefined && notice.checkoutRequestId !== undefined) {
    return Promise.resolve(undefined);
  }
  return findCounterpartInTrx(db, {
    invoiceId: invoice.id,
    amount: notice.amount,
    missing: notice.receiptNumber === undefined ? 'checkout' : 'receipt',
    paidAfter: new Date(notice.paidAt.getTime() - counterpartWindowMs),
  });
}

type Movement = Readonly<{
  paymentId: string;
  notice: PaymentNotice;
  invoice: InvoiceRow | undefined;
  decision: ReceiptDecision | undefined;
  allocatedMinor: bigint;
  now: Date;
}>;

/** The ledger entries and allocation for a new payment (LEDGER posting rules). */
async function moveMoneyInTrx<DB>(trx: Transaction<DB>, movement: Movement):
  Promise<PayerNotice[]> {
  const { notice, invoice, decision, paymentId } = movement;
  const receipt: ProviderReceipt = {
    channel: { kind: 'mpesa', shortcode: notice.shortcode },
    receiptNumber: notice.receiptNumber ?? notice.checkoutRequestId ?? '',
  };
  const base = { receipt, amount: notice.amount, occurredAt: notice.paidAt, paymentId };
  if (invoice === undefined || decision === undefined) {
    await postOrFailInTrx(trx, receiptUnmatched(base));
    return [];
  }
  const receiptText = notice.receiptNumber ?? '';
  if (decision.kind === 'credit_payer') {
    await postOrFailInTrx(trx, receiptForClosedInvoice(
      { ...base, invoiceId: invoice.id, payerId: invoice.payerAccountId }));
    if (decision.recordAllocation) {
      await allocateInTrx(trx, { invoice, allocatedBeforeMinor: movement.allocatedMinor,
        amount: notice.amount, source: 'payment', paymentId, depositsReceived: false,
        occurredAt: notice.paidAt, now: movement.now });
    }
    return [creditNotice(invoice, notice.amount.amountMinor)];
  }
  await postOrFailInTrx(trx, receiptMatched({ ...base, invoiceId: invoice.id }));
  const allocation = await allocateInTrx(trx, { invoice,
    allocatedBeforeMinor: movement.allocatedMinor, amount: notice.amount, source: 'payment',
    paymentId, depositsReceived: true, occurredAt: notice.paidAt, now: movement.now });
  const notices: PayerNotice[] = [{
    template: 'payments.payment-received', payerAccountId: invoice.payerAccountId,
    amount: notice.amount, billReference: invoice.reference, receiptNumber: receiptText,
  }];
  if (allocation.excess.amountMinor > 0n) {
    notices.push(creditNotice(invoice, allocation.excess.amountMinor));
  }
  return notices;
}

function creditNotice(invoice: InvoiceRow, amountMinor: bigint): PayerNotice {
  return {
    template: 'payments.credit-available', payerAccountId: invoice.payerAccountId,
    amount: money(amountMinor, invoice.currency), billReference: invoice.reference,
    receiptNumber: '',
  };
}

/** Another delivery of money already recorded: log it, learn any key it adds, move nothing. */
async function recordRepeatInTrx(
  db: PaymentsDb,
  payment: PaymentRow,
  notice: PaymentNotice,
  now: Date,
): Promise<ReceiptOutcome> {
  await appendEventInTrx(db, payment.id, notice, eventKindOf(notice), now);
  if (payment.amount.amountMinor !== notice.amount.amountMinor ||
    payment.amount.currency !== notice.amount.currency) {
    await appendEventInTrx(db, payment.id, notice, 'DELIVERY_DISAGREED', now);
  }
  if (payment.receiptNumber === null && notice.receiptNumber !== undefined &&
    await findPayment(db, { receiptNumber: notice.receiptNumber }) === undefined) {
    await completePaymentKeysInTrx(db, payment.id, { receiptNumber: notice.receiptNumber });
    await appendEventInTrx(db, payment.id, notice, 'RECEIPT_NUMBER_LEARNT', now);
  }
  if (payment.checkoutRequestId === null && notice.checkoutRequestId !== undefined &&
    await findPayment(db, { checkoutRequestId: notice.checkoutRequestId }) === undefined) {
    await completePaymentKeysInTrx(db, payment.id,
      { checkoutRequestId: notice.checkoutRequestId });
    await appendEventInTrx(db, payment.id, notice, 'CHECKOUT_REQUEST_LEARNT', now);
  }
  return { kind: 'duplicate', paymentId: payment.id, disposition: payment.disposition,
    invoiceId: payment.invoiceId, audit: undefined, payerNotices: [] };
}

async function appendEventInTrx(
  db: PaymentsDb,
  paymentId: string,
  notice: PaymentNotice,
  kind: Parameters<typeof insertPaymentEventInTrx>[1]['kind'],
  now: Date,
): Promise<void> {
  await insertPaymentEventInTrx(db, {
    id: uuidv7(now.getTime()), paymentId, kind, rawId: notice.rawId, amount: notice.amount,
    accountReference: notice.accountReference, recordedAt: now,
  });
}

function paymentAudit(
  paymentId: string,
  notice: PaymentNotice,
  disposition: PaymentDisposition,
  invoice: InvoiceRow | undefined,
): AuditEvent {
  return {
    action: disposition === 'suspense' ? 'PAYMENT_HELD_IN_SUSPENSE'
      : disposition === 'credited' ? 'PAYMENT_CREDITED_TO_PAYER' : 'PAYMENT_ALLOCATED_TO_INVOICE',
    actor: { kind: 'system', id: 'mpesa' },
    subject: { type: 'payment', id: paymentId },
    agencyId: invoice?.agencyId ?? null,
    detail: {
      receipt: notice.receiptNumber ?? null,
      checkoutRequestId: notice.checkoutRequestId ?? null,
      source: notice.source,
      amountMinor: notice.amount.amountMinor.toString(),
      currency: notice.amount.currency,
      invoiceId: invoice?.id ?? null,
    },
  };
}
