/**
 * Payments the provider's statement (or Pull Transactions) shows but no callback ever told us
 * of: reconciliation hands them here, and they take the same path as any confirmation. The
 * statement line is stored verbatim as the raw provider fact first, then a payment notice is
 * recorded (allocated to the invoice by the A/C No. reference, or payer credit, or suspense),
 * with its audit records, the payer's messages and the raw fact's outcome, all in the caller's
 * transaction. @idempotent by receipt: a receipt already recorded only adds an event.
 */
import type { Transaction } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import type { Money } from '#platform/money/index.ts';
import { prepareRoutedInvoiceInTrx } from './bill-inquiry/bill-inquiry-invoice.ts';
import { finishCallbacksInTrx, type IngestContext } from './ingest-service.ts';
import { paymentsDb } from './invoice-repo.ts';
import type { PaymentNotice } from './payment-notices.ts';
import { insertRawCallbacksInTrx, type RawCallback } from './payment-repo.ts';
import type { PaymentDisposition } from './payments-tables.ts';
import { recordNoticesInTrx } from './receipt-service.ts';

export type StatementPayment = Readonly<{
  receiptNumber: string;
  amount: Money;
  accountReference: string;
  paidAt: Date;
  shortcode: string;
  /** The statement line (CSV text) or pulled record (JSON) verbatim. */
  raw: string;
  rawKind: 'mpesa_statement_line' | 'mpesa_pull_transaction';
}>;

export type StatementPaymentOutcome = Readonly<{
  receiptNumber: string;
  kind: 'payment_recorded' | 'duplicate';
  paymentId: string;
  disposition: PaymentDisposition;
  invoiceId: string | null;
}>;

const accountReferenceLengthMax = 100;

/** Records a batch of statement payments; one outcome per item, in order. */
export async function recordStatementPaymentsInTrx<DB>(
  trx: Transaction<DB>,
  payments: readonly StatementPayment[],
  context: IngestContext,
): Promise<StatementPaymentOutcome[]> {
  if (payments.length === 0) return [];
  const raws: RawCallback[] = payments.map((payment) => ({
    id: uuidv7(context.now.getTime()), kind: payment.rawKind, receivedAt: context.now,
    sourceAddress: null, headers: {}, body: payment.raw,
  }));
  await insertRawCallbacksInTrx(paymentsDb(trx), raws);
  // A routed reference's invoice is made first, as for a confirmation (bill-inquiry/).
  for (const payment of payments) {
    await prepareRoutedInvoiceInTrx(trx, { billReference: payment.accountReference,
      amount: payment.amount }, { now: context.now, logger: context.logger });
  }
  const items = payments.map((payment, index) => {
    const notice: PaymentNotice = {
      source: 'statement', receiptNumber: payment.receiptNumber, checkoutRequestId: undefined,
      amount: payment.amount,
      accountReference: payment.accountReference.slice(0, accountReferenceLengthMax),
      paidAt: payment.paidAt, shortcode: payment.shortcode, rawId: raws[index]?.id ?? null,
    };
    return { notice };
  });
  const { outcomes, writes } = await recordNoticesInTrx(trx, items, { now: context.now });
  await finishCallbacksInTrx(trx, outcomes.map((outcome, index) => ({
    rawId: raws[index]?.id ?? '',
    result: { outcome: outcome.kind, paymentId: outcome.paymentId, audit: outcome.audit,
      payerNotices: outcome.payerNotices },
  })), context, writes);
  return outcomes.map((outcome, index) => ({
    receiptNumber: payments[index]?.receiptNumber ?? '', kind: outcome.kind,
    paymentId: outcome.paymentId, disposition: outcome.disposition,
    invoiceId: outcome.invoiceId,
  }));
}
