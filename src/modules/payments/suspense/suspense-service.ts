/**
 * Suspense resolution, maker-checker (docs/suspense.md): an officer proposes that a receipt
 * held in suspense pays an invoice (the payer mistyped its reference); a second, different
 * person approves or rejects. Only an approval moves money, all in one transaction: the match
 * row, the invoice and the payment locked (then read again), suspenseMatched posted (Dr
 * suspense, Cr deposits:invoice), the allocation written and the coverage rule applied exactly
 * as ingest does (an excess beyond the invoice's total becomes the payer's credit), the payment
 * marked allocated with a MATCHED_FROM_SUSPENSE event, the decision audited. The allocation's
 * triggers issue the receipt and tell the invoice's subject, as for any allocation.
 */
import assert from 'node:assert/strict';
import type { Transaction } from 'kysely';
import { recordAuditInTrx, type AuditActor } from '#modules/audit/index.ts';
import { postEntryInTrx, suspenseMatched } from '#modules/ledger/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import { money, type Money } from '#platform/money/index.ts';
import { allocateInTrx } from '../allocation-service.ts';
import { parseBillReference } from '../bill-reference.ts';
import {
  allocatedMinorOf,
  findInvoiceRow,
  lockInvoiceInTrx,
  type InvoiceRow,
} from '../invoice-repo.ts';
import type { PaymentsDeps } from '../payments-deps.ts';
import {
  findMatch,
  insertMatchInTrx,
  lockMatchInTrx,
  lockPaymentInTrx,
  markDecidedInTrx,
  markPaymentMatchedInTrx,
  openMatchesOf,
  asPaymentsDb,
  suspenseDb,
  type HeldPayment,
  type SuspenseMatchRow,
} from './suspense-repo.ts';
import type { SuspenseErrorCode } from './suspense-errors.ts';
import type { PaymentsTables } from '../payments-tables.ts';
import type { SuspenseMatchDecision, SuspenseTables } from './suspense-tables.ts';

export const matchNoteLengthMax = 1000;

export type SuspenseFailure = Failure<SuspenseErrorCode | 'PAY_BILL_REFERENCE_INVALID'>;

class Refused extends Error {
  readonly failure: SuspenseFailure;
  constructor(refusal: SuspenseFailure) {
    super(refusal.code);
    this.failure = refusal;
  }
}

const refuse = (code: SuspenseFailure['code'], detail?: string): never => {
  throw new Refused(failure(code, detail));
};

async function refusalsAsResults<T>(run: () => Promise<T>): Promise<Result<T, SuspenseFailure>> {
  try {
    return ok(await run());
  } catch (error) {
    if (error instanceof Refused) return err(error.failure);
    throw error;
  }
}

/** Who acts: a person (staff) with an id; the id is what "two different people" compares. */
function personOf(actor: AuditActor): string {
  assert.ok(actor.id !== null, 'a suspense match is decided by a person');
  return actor.id;
}

/** An invoice found for a typed reference, with what it still needs. */
export type MatchCandidate = Readonly<{
  invoice: InvoiceRow;
  balanceDue: Money;
  /** Why it cannot take the payment; undefined when it can. */
  refusal: 'invoice_paid' | 'invoice_cancelled' | 'invoice_expired' | 'currency_not_accepted' |
    undefined;
}>;

function dueMinorOf(invoice: InvoiceRow, allocatedMinor: bigint): bigint {
  const due = invoice.total.amountMinor - allocatedMinor;
  return due > 0n ? due : 0n;
}

/** Why an invoice cannot take money from suspense now (LEDGER: open invoices only). */
function invoiceRefusal(invoice: InvoiceRow, allocatedMinor: bigint, amount: Money, now: Date):
  MatchCandidate['refusal'] {
  const due = dueMinorOf(invoice, allocatedMinor);
  if (invoice.cancelledAt !== null) return 'invoice_cancelled';
  if (due === 0n) return 'invoice_paid';
  if (allocatedMinor === 0n && invoice.expiresAt <= now) return 'invoice_expired';
  if (amount.currency !== invoice.currency) return 'currency_not_accepted';
  return undefined;
}

/**
 * The invoice a typed reference names, its balance due and whether it can take this payment
 * (for the proposal page: the officer sees what they are matching to). Undefined when the
 * reference names no invoice.
 */
export async function findMatchCandidate(
  deps: PaymentsDeps,
  input: Readonly<{ billReference: string; amount: Money; now: Date }>,
): Promise<MatchCandidate | undefined> {
  const reference = parseBillReference(input.billReference);
  if (reference === undefined) return undefined;
  const db = suspenseDb(deps.db);
  const invoice = await findInvoiceRow(asPaymentsDb(db), { reference });
  if (invoice === undefined) return undefined;
  const allocatedMinor = await allocatedMinorOf(asPaymentsDb(db), invoice.id);
  return {
    invoice,
    balanceDue: money(dueMinorOf(invoice, allocatedMinor), invoice.currency),
    refusal: invoiceRefusal(invoice, allocatedMinor, input.amount, input.now),
  };
}

function noteOf(note: string): string {
  return note.trim().slice(0, matchNoteLengthMax);
}

/**
 * Proposes that a payment held in suspense pays the invoice with this bill reference. Audited;
 * moves no money. One open proposal per payment (the payment row is locked while checking).
 * Fails with PAY_BILL_REFERENCE_INVALID, PAY_SUSPENSE_PAYMENT_NOT_FOUND,
 * PAY_SUSPENSE_PAYMENT_NOT_HELD, PAY_SUSPENSE_INVOICE_NOT_FOUND,
 * PAY_SUSPENSE_INVOICE_NOT_PAYABLE, PAY_SUSPENSE_MATCH_ALREADY_PROPOSED.
 */
export async function proposeSuspenseMatch(
  deps: PaymentsDeps,
  input: Readonly<{ paymentId: string; billReference: string; note: string; actor: AuditActor;
    now: Date }>,
): Promise<Result<SuspenseMatchRow, SuspenseFailure>> {
  if (!isUuid(input.paymentId)) return err(failure('PAY_SUSPENSE_PAYMENT_NOT_FOUND'));
  const reference = parseBillReference(input.billReference);
  if (reference === undefined) return err(failure('PAY_BILL_REFERENCE_INVALID'));
  const proposer = personOf(input.actor);
  const proposed = await refusalsAsResults(() =>
    suspenseDb(deps.db).transaction().execute(async (trx) => {
      const payment = await lockPaymentInTrx(trx, input.paymentId);
      if (payment === undefined) return refuse('PAY_SUSPENSE_PAYMENT_NOT_FOUND');
      if (payment.disposition !== 'suspense') return refuse('PAY_SUSPENSE_PAYMENT_NOT_HELD');
      const invoice = await findInvoiceRow(asPaymentsDb(trx), { reference });
      if (invoice === undefined) return refuse('PAY_SUSPENSE_INVOICE_NOT_FOUND');
      const refusal = invoiceRefusal(invoice, await allocatedMinorOf(asPaymentsDb(trx), invoice.id),
        payment.amount, input.now);
      if (refusal !== undefined) return refuse('PAY_SUSPENSE_INVOICE_NOT_PAYABLE', refusal);
      if ((await openMatchesOf(trx, [payment.id])).size > 0) {
        return refuse('PAY_SUSPENSE_MATCH_ALREADY_PROPOSED');
      }
      const matchId = uuidv7(input.now.getTime());
      await insertMatchInTrx(trx, { id: matchId, paymentId: payment.id, invoiceId: invoice.id,
        proposedBy: proposer, proposedAt: input.now, note: noteOf(input.note) });
      await recordAuditInTrx(trx, {
        action: 'SUSPENSE_MATCH_PROPOSED', actor: input.actor,
        subject: { type: 'payment', id: payment.id }, agencyId: invoice.agencyId,
        detail: { matchId, invoiceId: invoice.id, reference: invoice.reference,
          amountMinor: payment.amount.amountMinor.toString(), currency: payment.amount.currency },
      }, input.now);
      return matchId;
    }));
  if (!proposed.ok) return proposed;
  const row = await findMatch(suspenseDb(deps.db), proposed.value);
  assert.ok(row !== undefined);
  return ok(row);
}

/** The payment's money into the invoice: the entries, allocation, disposition and event. */
async function moveFromSuspenseInTrx(
  trx: Transaction<PaymentsTables & SuspenseTables>,
  match: SuspenseMatchRow,
  payment: HeldPayment,
  now: Date,
): Promise<InvoiceRow> {
  const invoice = await lockInvoiceInTrx(asPaymentsDb(trx), { id: match.invoiceId });
  assert.ok(invoice !== undefined, `invoice ${match.invoiceId} vanished`);
  const refusal = invoiceRefusal(invoice, invoice.allocatedMinor, payment.amount, now);
  if (refusal !== undefined) return refuse('PAY_SUSPENSE_INVOICE_NOT_PAYABLE', refusal);
  const receiptNumber = payment.receiptNumber ?? payment.checkoutRequestId ?? '';
  const posted = await postEntryInTrx(trx, suspenseMatched({
    receipt: { channel: { kind: 'mpesa', shortcode: payment.shortcode }, receiptNumber },
    invoiceId: invoice.id, amount: payment.amount, occurredAt: now,
  }));
  assert.ok(posted.ok, `ledger refused the suspense match: ${posted.ok ? '' : posted.error.code}`);
  await allocateInTrx(trx, {
    invoice, allocatedBeforeMinor: invoice.allocatedMinor, amount: payment.amount,
    source: 'payment', paymentId: payment.id, depositsReceived: true, occurredAt: now, now,
  });
  await markPaymentMatchedInTrx(trx, { paymentId: payment.id, invoiceId: invoice.id,
    payerAccountId: invoice.payerAccountId });
  await trx.insertInto('payment_event').values({
    id: uuidv7(now.getTime()), payment_id: payment.id, kind: 'MATCHED_FROM_SUSPENSE',
    raw_id: null, amount_minor: payment.amount.amountMinor,
    account_reference: invoice.reference, recorded_at: now,
  }).execute();
  return invoice;
}

/**
 * Approves or rejects a proposed match, as a person other than its proposer. An approval moves
 * the money (see the module comment); a rejection moves nothing. Either is audited, naming both
 * people. Two decisions at once: the match row's lock makes the second see the first, so the
 * money moves once.
 * Fails with PAY_SUSPENSE_MATCH_NOT_FOUND, PAY_SUSPENSE_MATCH_SAME_PERSON,
 * PAY_SUSPENSE_MATCH_ALREADY_DECIDED, PAY_SUSPENSE_PAYMENT_NOT_HELD (the money left suspense
 * another way) and PAY_SUSPENSE_INVOICE_NOT_PAYABLE (the invoice closed meanwhile: reject it).
 */
export async function decideSuspenseMatch(
  deps: PaymentsDeps,
  input: Readonly<{ matchId: string; decision: SuspenseMatchDecision; note: string;
    actor: AuditActor; now: Date }>,
): Promise<Result<SuspenseMatchRow, SuspenseFailure>> {
  if (!isUuid(input.matchId)) return err(failure('PAY_SUSPENSE_MATCH_NOT_FOUND'));
  const checker = personOf(input.actor);
  const decided = await refusalsAsResults(() =>
    suspenseDb(deps.db).transaction().execute(async (trx) => {
      const match = await lockMatchInTrx(trx, input.matchId);
      if (match === undefined) return refuse('PAY_SUSPENSE_MATCH_NOT_FOUND');
      if (match.decision !== null) return refuse('PAY_SUSPENSE_MATCH_ALREADY_DECIDED');
      if (match.proposedBy === checker) return refuse('PAY_SUSPENSE_MATCH_SAME_PERSON');
      let agencyId: string | null = null;
      let amountMinor = '';
      if (input.decision === 'approved') {
        const payment = await lockPaymentInTrx(trx, match.paymentId);
        assert.ok(payment !== undefined);
        if (payment.disposition !== 'suspense') return refuse('PAY_SUSPENSE_PAYMENT_NOT_HELD');
        agencyId = (await moveFromSuspenseInTrx(trx, match, payment, input.now)).agencyId;
        amountMinor = payment.amount.amountMinor.toString();
      }
      await markDecidedInTrx(trx, { matchId: match.id, decision: input.decision,
        decidedBy: checker, decidedAt: input.now, note: noteOf(input.note) });
      await recordAuditInTrx(trx, {
        action: input.decision === 'approved' ? 'SUSPENSE_MATCH_APPROVED'
          : 'SUSPENSE_MATCH_REJECTED',
        actor: input.actor, subject: { type: 'payment', id: match.paymentId }, agencyId,
        detail: { matchId: match.id, invoiceId: match.invoiceId, proposedBy: match.proposedBy,
          decidedBy: checker, amountMinor },
      }, input.now);
      return match.id;
    }));
  if (!decided.ok) return decided;
  const row = await findMatch(suspenseDb(deps.db), decided.value);
  assert.ok(row !== undefined);
  return ok(row);
}
