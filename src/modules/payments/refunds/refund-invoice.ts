/**
 * Refunds of a bill paid for the wrong service (docs/refunds.md, "A paid bill"). The request
 * names a paid, covered invoice that has no subject or whose subject's owner released it
 * (releaseInvoiceInTrx: the application was cancelled or rejected). Approval withdraws the
 * invoice in the approving transaction, the invoice locked first: its INVOICE_COVERED entry is
 * corrected (INVOICE_COVERAGE_WITHDRAWN: the agency payable and the access-fee revenue give the
 * money back to deposits:invoice; the ledger refuses if the payable no longer holds it, i.e.
 * the agency was already settled), the deposits move to the payer's credit
 * (INVOICE_WITHDRAWN_TO_CREDIT), and refundApproved then pays from that credit as for any
 * refund of credit.
 */
import type { Transaction } from 'kysely';
import { recordAuditInTrx, type AuditActor } from '#modules/audit/index.ts';
import {
  accountCodes,
  balanceOfInTrx,
  entryCodes,
  invoiceWithdrawnToCredit,
  postCorrectionInTrx,
  postEntryInTrx,
} from '#modules/ledger/index.ts';
import { failure, type Failure } from '#platform/errors/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import {
  coveredEntryId,
  findRelease,
  findWithdrawal,
  insertWithdrawalInTrx,
  invoiceSubject,
} from '../invoice-release-repo.ts';
import { lockInvoiceInTrx, paymentsDb, type LockedInvoice } from '../invoice-repo.ts';
import type { RefundErrorCode } from './refund-errors.ts';
import { payerPhone, type RefundDb, type RefundRow } from './refund-repo.ts';

/** Thrown inside a refund transaction; the service turns it into its failure. */
export class InvoiceRefusal extends Error {
  readonly failure: Failure<RefundErrorCode>;
  constructor(code: RefundErrorCode, detail?: string) {
    super(code);
    this.failure = failure(code, detail);
  }
}

const refuse = (code: RefundErrorCode, detail?: string): never => {
  throw new InvoiceRefusal(code, detail);
};

/** Locks the invoice and checks it may be refunded: paid, covered, released, not withdrawn. */
async function lockRefundableInvoice(trx: RefundDb, invoiceId: string): Promise<LockedInvoice> {
  if (!isUuid(invoiceId)) return refuse('PAY_REFUND_SOURCE_NOT_FOUND');
  const invoice = await lockInvoiceInTrx(paymentsDb(trx), { id: invoiceId }) ??
    refuse('PAY_REFUND_SOURCE_NOT_FOUND');
  if (await findWithdrawal(trx, invoiceId) !== undefined) refuse('PAY_REFUND_INVOICE_WITHDRAWN');
  if (invoice.allocatedMinor < invoice.total.amountMinor || invoice.allocatedMinor === 0n ||
    await coveredEntryId(trx, invoiceId) === undefined) {
    refuse('PAY_REFUND_INVOICE_NOT_PAID');
  }
  const subject = await invoiceSubject(trx, invoiceId);
  if (subject !== null && await findRelease(trx, invoiceId) === undefined) {
    refuse('PAY_REFUND_INVOICE_NOT_RELEASED');
  }
  return invoice;
}

export type PlannedInvoiceRefund = Pick<RefundRow, 'source' | 'payerAccountId' | 'paymentId' |
  'agencyId' | 'amount' | 'method' | 'invoiceId'>;

/**
 * The refund of a paid invoice: its total, by B2C to the payer's phone, from the credit the
 * approval creates. What was paid beyond the total is already the payer's credit.
 */
export async function planFromInvoice(trx: RefundDb, invoiceId: string):
  Promise<PlannedInvoiceRefund> {
  const invoice = await lockRefundableInvoice(trx, invoiceId);
  if (invoice.total.amountMinor % 100n !== 0n) {
    refuse('PAY_REFUND_AMOUNT_INVALID', 'the bill is not in whole shillings');
  }
  const pending = await trx.selectFrom('refund').select('id').where('invoice_id', '=', invoiceId)
    .where('status', 'not in', ['rejected', 'cancelled']).executeTakeFirst();
  if (pending !== undefined) refuse('PAY_REFUND_INVOICE_PENDING');
  if (await payerPhone(trx, invoice.payerAccountId) === undefined) refuse('PAY_REFUND_NO_PHONE');
  return { source: 'payer_credit', payerAccountId: invoice.payerAccountId, paymentId: null,
    agencyId: invoice.agencyId, amount: invoice.total, method: 'mpesa_b2c', invoiceId };
}

/** Locks the invoice a refund names, before the refund itself (the approval's lock order). */
export async function lockInvoiceOfRefundInTrx(trx: RefundDb, invoiceId: string | null):
  Promise<void> {
  if (invoiceId !== null) await lockInvoiceInTrx(paymentsDb(trx), { id: invoiceId });
}

/**
 * Withdraws the refund's invoice (see the file's comment), in the approving transaction.
 * Refuses with PAY_REFUND_INVOICE_SETTLED when the agency payable (or the payer's credit for an
 * overpayment) no longer holds what the invoice recognised; nothing is posted then.
 */
export async function withdrawInvoiceInTrx(trx: RefundDb, refund: RefundRow,
  input: Readonly<{ actor: AuditActor; now: Date }>): Promise<void> {
  if (refund.invoiceId === null || refund.payerAccountId === null) return;
  const invoiceId = refund.invoiceId;
  const invoice = await lockRefundableInvoice(trx, invoiceId);
  const ledgerTrx = trx as Transaction<unknown>;
  const covered = await coveredEntryId(trx, invoiceId) ?? refuse('PAY_REFUND_INVOICE_NOT_PAID');
  const corrected = await postCorrectionInTrx(ledgerTrx, {
    entryId: covered, idempotencyKey: `invoice:${invoiceId}:coverage-withdrawn`,
    occurredAt: input.now, code: entryCodes.invoiceCoverageWithdrawn,
    reference: { invoiceId, refundId: refund.id },
  });
  if (!corrected.ok) {
    if (corrected.error.code === 'LEDGER_BALANCE_WOULD_GO_NEGATIVE') {
      refuse('PAY_REFUND_INVOICE_SETTLED', corrected.error.detail);
    }
    if (corrected.error.code === 'LEDGER_ENTRY_ALREADY_CORRECTED') {
      refuse('PAY_REFUND_INVOICE_WITHDRAWN');
    }
    throw new Error(`invoice ${invoiceId} coverage correction refused: ${corrected.error.code}`);
  }
  const deposits = await balanceOfInTrx(ledgerTrx, accountCodes.invoiceDeposits(invoiceId),
    invoice.currency);
  const moved = await postEntryInTrx(ledgerTrx, invoiceWithdrawnToCredit({
    invoiceId, payerId: invoice.payerAccountId, refundId: refund.id, amount: deposits,
    occurredAt: input.now }));
  if (!moved.ok) throw new Error(`invoice ${invoiceId} withdrawal refused: ${moved.error.code}`);
  await insertWithdrawalInTrx(trx, { invoiceId, refundId: refund.id,
    amountMinor: deposits.amountMinor, currency: deposits.currency, withdrawnAt: input.now });
  await recordAuditInTrx(trx, {
    action: 'INVOICE_WITHDRAWN', actor: input.actor, subject: { type: 'invoice', id: invoiceId },
    agencyId: invoice.agencyId,
    detail: { refundId: refund.id, reference: invoice.reference,
      recognisedMinor: invoice.total.amountMinor.toString(),
      toCreditMinor: deposits.amountMinor.toString(), currency: deposits.currency },
  }, input.now);
}
