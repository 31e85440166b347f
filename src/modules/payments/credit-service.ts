/**
 * A payer's credit: overpayments and payments of closed invoices, held in the ledger account
 * credit:payer:<account id>. The payer can use it to pay another of their invoices.
 */
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import { money, type Currency, type Money } from '#platform/money/index.ts';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import {
  accountCodes,
  balanceOf,
  balanceOfInTrx,
  creditUsed,
  postEntryInTrx,
} from '#modules/ledger/index.ts';
import { allocateInTrx } from './allocation-service.ts';
import { parseBillReference } from './bill-reference.ts';
import { lockInvoiceInTrx, paymentsDb } from './invoice-repo.ts';
import { balanceDueMinor, paymentRefusal } from './invoice-rules.ts';
import { invoiceViewById, type InvoiceView } from './invoice-service.ts';
import type { PaymentsDeps } from './payments-deps.ts';

/** The credit a payer holds in a currency (zero when none). */
export async function payerCreditBalance(
  deps: PaymentsDeps,
  payerAccountId: string,
  currency: Currency = 'KES',
): Promise<Money> {
  if (!isUuid(payerAccountId)) return money(0n, currency);
  return balanceOf(deps.db, accountCodes.payerCredit(payerAccountId), currency);
}

export type PayFromCreditFailure = Failure<'PAY_BILL_REFERENCE_INVALID' | 'PAY_INVOICE_NOT_FOUND' |
  'PAY_INVOICE_OF_ANOTHER_PAYER' | 'PAY_INVOICE_NOT_PAYABLE' | 'PAY_CREDIT_NOT_AVAILABLE'>;

/** Thrown inside the transaction to roll it back with an expected failure. */
class Refused extends Error {
  readonly failure: PayFromCreditFailure;
  constructor(refusal: PayFromCreditFailure) {
    super(refusal.code);
    this.failure = refusal;
  }
}

/**
 * Pays as much of the payer's own invoice as their credit allows (all of it when the credit is
 * enough), audited, in one transaction. Two uses of the same credit racing each other cannot
 * overdraw it: the ledger refuses the second.
 * @returns the invoice after payment, or err PAY_BILL_REFERENCE_INVALID, PAY_INVOICE_NOT_FOUND,
 *   PAY_INVOICE_OF_ANOTHER_PAYER, PAY_INVOICE_NOT_PAYABLE (paid, cancelled, expired),
 *   PAY_CREDIT_NOT_AVAILABLE (no credit in the invoice's currency).
 */
export async function payInvoiceFromCredit(
  deps: PaymentsDeps,
  input: Readonly<{ invoiceReference: string; payerAccountId: string; now: Date }>,
): Promise<Result<InvoiceView, PayFromCreditFailure>> {
  const reference = parseBillReference(input.invoiceReference);
  if (reference === undefined) return err(failure('PAY_BILL_REFERENCE_INVALID'));
  let invoiceId: string;
  try {
    invoiceId = await paymentsDb(deps.db).transaction().execute(async (trx) => {
      const invoice = await lockInvoiceInTrx(trx, { reference });
      if (invoice === undefined) throw new Refused(failure('PAY_INVOICE_NOT_FOUND'));
      if (invoice.payerAccountId !== input.payerAccountId) {
        throw new Refused(failure('PAY_INVOICE_OF_ANOTHER_PAYER'));
      }
      const allocatedMinor = invoice.allocatedMinor;
      const facts = { ...invoice, totalMinor: invoice.total.amountMinor, allocatedMinor };
      const dueMinor = balanceDueMinor(facts);
      const refusal = paymentRefusal({ ...facts, allowsPartPayment: true },
        money(dueMinor, invoice.currency), input.now);
      if (refusal !== undefined) throw new Refused(failure('PAY_INVOICE_NOT_PAYABLE', refusal));
      const credit = await balanceOfInTrx(trx, accountCodes.payerCredit(invoice.payerAccountId),
        invoice.currency);
      const amountMinor = credit.amountMinor < dueMinor ? credit.amountMinor : dueMinor;
      if (amountMinor <= 0n) throw new Refused(failure('PAY_CREDIT_NOT_AVAILABLE'));
      const amount = money(amountMinor, invoice.currency);
      const useId = uuidv7(input.now.getTime());
      const posted = await postEntryInTrx(trx, creditUsed({
        payerId: invoice.payerAccountId, invoiceId: invoice.id, amount,
        allocationId: useId, occurredAt: input.now,
      }));
      if (!posted.ok) {
        // A concurrent use spent the credit first (LEDGER_BALANCE_WOULD_GO_NEGATIVE).
        throw new Refused(failure('PAY_CREDIT_NOT_AVAILABLE', posted.error.code));
      }
      await allocateInTrx(trx, {
        invoice, allocatedBeforeMinor: allocatedMinor, amount, source: 'payer_credit',
        paymentId: null, depositsReceived: true, occurredAt: input.now, now: input.now,
      });
      await recordAuditInTrx(trx, {
        action: 'PAYER_CREDIT_APPLIED_TO_INVOICE',
        actor: { kind: 'account', id: input.payerAccountId },
        subject: { type: 'invoice', id: invoice.id },
        agencyId: invoice.agencyId,
        detail: { reference: invoice.reference, amountMinor: amountMinor.toString(),
          currency: invoice.currency },
      }, input.now);
      return invoice.id;
    });
  } catch (error) {
    if (error instanceof Refused) return err(error.failure);
    throw error;
  }
  const view = await invoiceViewById(deps, invoiceId, input.now);
  if (view === undefined) throw new Error(`invoice ${invoiceId} vanished`);
  return ok(view);
}
