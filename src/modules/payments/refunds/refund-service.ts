/**
 * Refunds, maker-checker (docs/refunds.md): a payer's credit or a receipt held in suspense,
 * requested by the citizen (their own credit) or an officer, approved by a DIFFERENT person
 * with refunds.approve (agency staff: their agency's payments only). Only approval moves money,
 * in one transaction: refundApproved (Dr credit:payer or suspense, Cr refunds-payable; the
 * ledger refuses a debit below zero, so two refunds of one credit cannot both pass), a
 * suspense receipt marked 'refunded', the first attempt queued for the outbox, the audit.
 * A failed refund stays payable and visible: retried (a new attempt, never two in flight), or
 * cancelled (refundCancelled: the money back to its source).
 */
import type { Transaction } from 'kysely';
import { recordAuditInTrx, type AuditActor } from '#modules/audit/index.ts';
import { isInAgencyScope, type AgencyScope } from '#modules/authorisation/index.ts';
import {
  accountCodes,
  balanceOfInTrx,
  postEntryInTrx,
  refundApproved,
  refundCancelled,
  type RefundSource,
} from '#modules/ledger/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import type { Money } from '#platform/money/index.ts';
import { enqueueOutboxEventInTrx } from '#platform/outbox/index.ts';
import type { PaymentsDeps } from '../payments-deps.ts';
import type { RefundErrorCode } from './refund-errors.ts';
import {
  InvoiceRefusal,
  lockInvoiceOfRefundInTrx,
  planFromInvoice,
  withdrawInvoiceInTrx,
} from './refund-invoice.ts';
import {
  findRefund,
  insertAttemptInTrx,
  insertRefundInTrx,
  listAttempts,
  lockPaymentInTrx,
  lockRefundInTrx,
  payerPhone,
  refundDb,
  setDispositionInTrx,
  updateRefundInTrx,
  type RefundDb,
  type RefundRow,
} from './refund-repo.ts';
import type { RefundMethod, RefundReason } from './refund-tables.ts';

export const refundSendTopic = 'payments.refund-send';
/** A card refund's attempt to send: payments enqueues it, channel-cards consumes it. */
export const cardRefundSendTopic = 'payments.card-refund-send';
export const refundStatusTopic = 'payments.refund-status';
export const refundNoteLengthMax = 1000;

export type RefundFailure = Failure<RefundErrorCode>;

class Refused extends Error {
  readonly failure: RefundFailure;
  constructor(refusal: RefundFailure) {
    super(refusal.code);
    this.failure = refusal;
  }
}

const refuse = (code: RefundErrorCode, detail?: string): never => {
  throw new Refused(failure(code, detail));
};

async function inTransaction<T>(deps: PaymentsDeps, run: (trx: RefundDb) => Promise<T>):
  Promise<Result<T, RefundFailure>> {
  try {
    return ok(await refundDb(deps.db).transaction().execute(run));
  } catch (error) {
    if (error instanceof Refused || error instanceof InvoiceRefusal) return err(error.failure);
    throw error;
  }
}

/** Who acts, as "two different people" compares them: account:<id> or staff:<id>. */
export function principalOf(actor: AuditActor): string {
  if (actor.id === null) throw new Error('a refund is requested and decided by a person');
  return `${actor.kind}:${actor.id}`;
}

/** Whose money the caller may act on: an account (its own) or staff in an agency scope. */
export type RefundScope =
  | Readonly<{ kind: 'account'; accountId: string }>
  | Readonly<{ kind: 'staff'; agencies: AgencyScope }>;

function checkScope(scope: RefundScope, refund: Pick<RefundRow, 'agencyId' | 'payerAccountId'>):
  void {
  const allowed = scope.kind === 'account'
    ? refund.payerAccountId === scope.accountId
    : isInAgencyScope(scope.agencies, refund.agencyId);
  if (!allowed) refuse('PAY_REFUND_NOT_YOURS');
}

function sourceOf(refund: Pick<RefundRow, 'source' | 'payerAccountId'>): RefundSource {
  return refund.source === 'suspense' || refund.payerAccountId === null
    ? { kind: 'suspense' } : { kind: 'payer-credit', payerId: refund.payerAccountId };
}

export type RefundRequest = Readonly<{
  /** A suspense receipt or a payment credited to its payer (a double payment) ... */
  paymentId?: string | undefined;
  /** ... or a payer's credit ... */
  payerAccountId?: string | undefined;
  /** ... or a paid bill (reason wrong_service; docs/refunds.md), refunded whole. */
  invoiceId?: string | undefined;
  /** Defaults to the whole payment; required for a credit. Whole shillings. */
  amount?: Money | undefined;
  reason: RefundReason;
  note: string;
  actor: AuditActor;
  scope: RefundScope;
  now: Date;
}>;

type Planned = Pick<RefundRow, 'source' | 'payerAccountId' | 'paymentId' | 'agencyId' |
  'amount' | 'method'> & Partial<Pick<RefundRow, 'invoiceId'>>;

async function planFromPayment(trx: RefundDb, paymentId: string, amount: Money | undefined):
  Promise<Planned> {
  if (!isUuid(paymentId)) return refuse('PAY_REFUND_SOURCE_NOT_FOUND');
  const payment = await lockPaymentInTrx(trx, paymentId) ??
    refuse('PAY_REFUND_SOURCE_NOT_FOUND');
  if (payment.disposition === 'suspense') {
    if (amount !== undefined && amount.amountMinor !== payment.amount.amountMinor) {
      refuse('PAY_REFUND_AMOUNT_INVALID', 'a suspense receipt is refunded whole');
    }
    return { source: 'suspense', payerAccountId: null, paymentId, agencyId: null,
      amount: payment.amount, method: payment.channel === 'card' ? 'card_refund'
        : 'mpesa_reversal' };
  }
  if (payment.disposition === 'refunded' || payment.payerAccountId === null) {
    return refuse('PAY_REFUND_NOT_REFUNDABLE');
  }
  const wanted = amount ?? payment.amount;
  if (wanted.amountMinor > payment.amount.amountMinor) {
    refuse('PAY_REFUND_AMOUNT_INVALID', 'more than the payment');
  }
  // The whole receipt goes back by reversal; part of it by B2C to the payer's phone.
  // A card payment, whole or in part, goes back to the card (docs/cards.md).
  const whole = wanted.amountMinor === payment.amount.amountMinor && payment.receipt !== null;
  return { source: 'payer_credit', payerAccountId: payment.payerAccountId, paymentId,
    agencyId: payment.agencyId, amount: wanted, method: payment.channel === 'card'
      ? 'card_refund' : whole ? 'mpesa_reversal' : 'mpesa_b2c' };
}

async function plan(trx: RefundDb, input: RefundRequest): Promise<Planned> {
  if (input.invoiceId !== undefined) {
    if (input.reason !== 'wrong_service' || input.amount !== undefined) {
      refuse('PAY_REFUND_NOT_REFUNDABLE', 'a paid bill is refunded whole, for the wrong service');
    }
    return planFromInvoice(trx, input.invoiceId);
  }
  if (input.paymentId !== undefined) {
    return planFromPayment(trx, input.paymentId, input.amount);
  }
  const payerAccountId = input.payerAccountId ?? '';
  if (!isUuid(payerAccountId)) return refuse('PAY_REFUND_SOURCE_NOT_FOUND');
  if (input.amount === undefined) return refuse('PAY_REFUND_AMOUNT_INVALID');
  if (await payerPhone(trx, payerAccountId) === undefined) refuse('PAY_REFUND_NO_PHONE');
  return { source: 'payer_credit', payerAccountId, paymentId: null, agencyId: null,
    amount: input.amount, method: 'mpesa_b2c' };
}

/**
 * Records a refund request; moves no money. Audited. Fails with PAY_REFUND_SOURCE_NOT_FOUND,
 * PAY_REFUND_NOT_REFUNDABLE, PAY_REFUND_AMOUNT_INVALID, PAY_REFUND_CREDIT_INSUFFICIENT,
 * PAY_REFUND_NOTE_REQUIRED, PAY_REFUND_NO_PHONE, PAY_REFUND_NOT_YOURS; for a paid bill also
 * PAY_REFUND_INVOICE_NOT_PAID, PAY_REFUND_INVOICE_NOT_RELEASED, PAY_REFUND_INVOICE_WITHDRAWN,
 * PAY_REFUND_INVOICE_PENDING.
 */
export async function requestRefund(deps: PaymentsDeps, input: RefundRequest):
  Promise<Result<RefundRow, RefundFailure>> {
  const note = input.note.trim();
  if ((input.reason === 'other' && note === '') || note.length > refundNoteLengthMax) {
    return err(failure('PAY_REFUND_NOTE_REQUIRED'));
  }
  if (input.amount !== undefined && (input.amount.amountMinor <= 0n ||
    input.amount.amountMinor % 100n !== 0n)) {
    return err(failure('PAY_REFUND_AMOUNT_INVALID'));
  }
  const id = uuidv7(input.now.getTime());
  const created = await inTransaction(deps, async (trx) => {
    const planned = await plan(trx, input);
    checkScope(input.scope, planned);
    // Only a card refund can pay back dollars; M-Pesa pays out shillings only.
    if (planned.method !== 'card_refund' && planned.amount.currency !== 'KES') {
      refuse('PAY_REFUND_NOT_REFUNDABLE', 'M-Pesa pays out Kenya shillings only');
    }
    // A paid bill's money becomes credit only on approval.
    if (planned.source === 'payer_credit' && planned.payerAccountId !== null &&
      planned.invoiceId === undefined) {
      const credit = await balanceOfInTrx(trx as Transaction<unknown>,
        accountCodes.payerCredit(planned.payerAccountId), planned.amount.currency);
      if (credit.amountMinor < planned.amount.amountMinor) refuse('PAY_REFUND_CREDIT_INSUFFICIENT');
    }
    await insertRefundInTrx(trx, { id, ...planned, reason: input.reason, note,
      requestedBy: principalOf(input.actor), requestedAt: input.now });
    await recordAuditInTrx(trx, {
      action: 'REFUND_REQUESTED', actor: input.actor, subject: { type: 'refund', id },
      agencyId: planned.agencyId,
      detail: { source: planned.source, paymentId: planned.paymentId,
        invoiceId: planned.invoiceId ?? null,
        amountMinor: planned.amount.amountMinor.toString(), currency: planned.amount.currency,
        reason: input.reason, method: planned.method },
    }, input.now);
    return id;
  });
  if (!created.ok) return created;
  return ok(await findRefund(refundDb(deps.db), created.value) ??
    refuse('PAY_REFUND_NOT_FOUND'));
}

type Decision = Readonly<{ refundId: string; actor: AuditActor; scope: RefundScope;
  note?: string; now: Date }>;

async function lockForDecision(trx: RefundDb, input: Decision): Promise<RefundRow> {
  if (!isUuid(input.refundId)) return refuse('PAY_REFUND_NOT_FOUND');
  const refund = await lockRefundInTrx(trx, input.refundId) ?? refuse('PAY_REFUND_NOT_FOUND');
  checkScope(input.scope, refund);
  return refund;
}

/** Queues an attempt (the outbox sends it) and marks the refund paying. */
async function queueAttemptInTrx(trx: RefundDb, refund: RefundRow, method: RefundMethod,
  now: Date): Promise<void> {
  const attempts = await listAttempts(trx, refund.id);
  const number = attempts.length + 1;
  const attemptId = uuidv7(now.getTime());
  // Ours, and unique: M-Pesa answers a repeated request with it without paying twice.
  const originatorConversationId = `huduma-refund-${refund.id}-${number}`;
  await insertAttemptInTrx(trx, { id: attemptId, refundId: refund.id, number, method,
    originatorConversationId, createdAt: now });
  await updateRefundInTrx(trx, refund.id, { status: 'paying', method });
  // A card refund is sent by the card channel (channel-cards consumes the topic).
  if (method === 'card_refund') {
    await enqueueOutboxEventInTrx(trx, cardRefundSendTopic, { attemptId }, now);
  } else {
    await enqueueOutboxEventInTrx(trx, refundSendTopic, { attemptId }, now);
  }
}

/**
 * Approves a refund someone else requested: the money moves to refunds payable and the first
 * payment attempt is queued. Fails with PAY_REFUND_NOT_FOUND, PAY_REFUND_NOT_YOURS,
 * PAY_REFUND_WRONG_STATE, PAY_REFUND_SAME_PERSON, PAY_REFUND_CREDIT_INSUFFICIENT (the credit
 * was spent meanwhile, or another refund of it was approved first), PAY_REFUND_NOT_REFUNDABLE.
 */
export async function approveRefund(deps: PaymentsDeps, input: Decision):
  Promise<Result<RefundRow, RefundFailure>> {
  const approved = await inTransaction(deps, async (trx) => {
    // A refund of a paid bill: the invoice is locked first (as every movement of its money).
    const named = isUuid(input.refundId) ? await findRefund(trx, input.refundId) : undefined;
    await lockInvoiceOfRefundInTrx(trx, named?.invoiceId ?? null);
    const refund = await lockForDecision(trx, input);
    if (refund.status !== 'requested') refuse('PAY_REFUND_WRONG_STATE');
    const checker = principalOf(input.actor);
    if (checker === refund.requestedBy) refuse('PAY_REFUND_SAME_PERSON');
    await withdrawInvoiceInTrx(trx, refund, input);
    // A suspense receipt: the payment is locked (and still in suspense) before the suspense
    // account is, in the order a suspense match takes them, so the two never deadlock.
    if (refund.source === 'suspense' && refund.paymentId !== null) {
      await lockPaymentInTrx(trx, refund.paymentId);
      const moved = await setDispositionInTrx(trx, refund.paymentId, 'suspense', 'refunded');
      if (!moved) refuse('PAY_REFUND_NOT_REFUNDABLE');
    }
    const posted = await postEntryInTrx(trx as Transaction<unknown>, refundApproved({
      refundId: refund.id, source: sourceOf(refund), amount: refund.amount,
      occurredAt: input.now }));
    if (!posted.ok) refuse('PAY_REFUND_CREDIT_INSUFFICIENT', posted.error.code);
    await updateRefundInTrx(trx, refund.id, { status: 'approved', decidedBy: checker,
      decidedAt: input.now, decisionNote: (input.note ?? '').trim().slice(0, 1000) });
    await queueAttemptInTrx(trx, refund, refund.method, input.now);
    await recordAuditInTrx(trx, {
      action: 'REFUND_APPROVED', actor: input.actor, subject: { type: 'refund', id: refund.id },
      agencyId: refund.agencyId,
      detail: { requestedBy: refund.requestedBy, amountMinor:
        refund.amount.amountMinor.toString(), currency: refund.amount.currency },
    }, input.now);
    return refund.id;
  });
  return approved.ok ? ok(await reread(deps, approved.value)) : approved;
}

/** Rejects a request (a different person); moves nothing. */
export async function rejectRefund(deps: PaymentsDeps, input: Decision):
  Promise<Result<RefundRow, RefundFailure>> {
  const rejected = await inTransaction(deps, async (trx) => {
    const refund = await lockForDecision(trx, input);
    if (refund.status !== 'requested') refuse('PAY_REFUND_WRONG_STATE');
    const checker = principalOf(input.actor);
    if (checker === refund.requestedBy) refuse('PAY_REFUND_SAME_PERSON');
    await updateRefundInTrx(trx, refund.id, { status: 'rejected', decidedBy: checker,
      decidedAt: input.now, decisionNote: (input.note ?? '').trim().slice(0, 1000) });
    await recordAuditInTrx(trx, {
      action: 'REFUND_REJECTED', actor: input.actor, subject: { type: 'refund', id: refund.id },
      agencyId: refund.agencyId, detail: { requestedBy: refund.requestedBy },
    }, input.now);
    return refund.id;
  });
  return rejected.ok ? ok(await reread(deps, rejected.value)) : rejected;
}

async function reread(deps: PaymentsDeps, id: string): Promise<RefundRow> {
  const refund = await findRefund(refundDb(deps.db), id);
  if (refund === undefined) throw new Error(`refund ${id} vanished`);
  return refund;
}

/**
 * After a failure: a new attempt (by `method`, e.g. B2C after a reversal the payer had spent).
 * After a timeout (the last attempt's outcome unknown): asks M-Pesa for its status again; a new
 * attempt only once the status says it did not happen. Fails with PAY_REFUND_WRONG_STATE,
 * PAY_REFUND_IN_FLIGHT, PAY_REFUND_NO_PHONE, PAY_REFUND_NOT_YOURS, PAY_REFUND_NOT_FOUND.
 */
export async function retryRefund(
  deps: PaymentsDeps,
  input: Decision & Readonly<{ method?: RefundMethod | undefined }>,
): Promise<Result<RefundRow, RefundFailure>> {
  const retried = await inTransaction(deps, async (trx) => {
    const refund = await lockForDecision(trx, input);
    const last = (await listAttempts(trx, refund.id)).at(-1);
    if (refund.status === 'paying' && last?.state === 'unknown') {
      await enqueueOutboxEventInTrx(trx, refundStatusTopic, { attemptId: last.id }, input.now);
      return refund.id;
    }
    if (refund.status !== 'failed') refuse('PAY_REFUND_WRONG_STATE');
    if (last !== undefined && ['queued', 'sent', 'unknown'].includes(last.state)) {
      refuse('PAY_REFUND_IN_FLIGHT');
    }
    const method = input.method ?? refund.method;
    if (method === 'mpesa_b2c' && (refund.payerAccountId === null ||
      await payerPhone(trx, refund.payerAccountId) === undefined)) {
      refuse('PAY_REFUND_NO_PHONE');
    }
    if ((method === 'card_refund') !== (refund.method === 'card_refund')) {
      refuse('PAY_REFUND_WRONG_STATE', 'a card payment is refunded to the card only');
    }
    if (method === 'mpesa_reversal' && refund.paymentId === null) {
      refuse('PAY_REFUND_WRONG_STATE', 'no receipt to reverse');
    }
    await queueAttemptInTrx(trx, refund, method, input.now);
    await recordAuditInTrx(trx, {
      action: 'REFUND_RETRIED', actor: input.actor, subject: { type: 'refund', id: refund.id },
      agencyId: refund.agencyId, detail: { method },
    }, input.now);
    return refund.id;
  });
  return retried.ok ? ok(await reread(deps, retried.value)) : retried;
}

/**
 * Cancels a refund: a request (nothing moved), or an approved refund whose attempts failed
 * (refundCancelled: the money back to the credit or suspense; a suspense receipt is held in
 * suspense again). Never while an attempt is in flight or its outcome unknown.
 */
export async function cancelRefund(deps: PaymentsDeps, input: Decision):
  Promise<Result<RefundRow, RefundFailure>> {
  const cancelled = await inTransaction(deps, async (trx) => {
    const refund = await lockForDecision(trx, input);
    if (refund.status !== 'requested' && refund.status !== 'failed') {
      refuse(refund.status === 'paying' ? 'PAY_REFUND_IN_FLIGHT' : 'PAY_REFUND_WRONG_STATE');
    }
    if (refund.status === 'failed') {
      const posted = await postEntryInTrx(trx as Transaction<unknown>, refundCancelled({
        refundId: refund.id, source: sourceOf(refund), amount: refund.amount,
        occurredAt: input.now }));
      if (!posted.ok) throw new Error(`refund ${refund.id} cancel refused: ${posted.error.code}`);
      if (refund.source === 'suspense' && refund.paymentId !== null) {
        await lockPaymentInTrx(trx, refund.paymentId);
        await setDispositionInTrx(trx, refund.paymentId, 'refunded', 'suspense');
      }
    }
    await updateRefundInTrx(trx, refund.id, { status: 'cancelled',
      cancelledBy: principalOf(input.actor), cancelledAt: input.now });
    await recordAuditInTrx(trx, {
      action: 'REFUND_CANCELLED', actor: input.actor, subject: { type: 'refund', id: refund.id },
      agencyId: refund.agencyId, detail: { after: refund.status },
    }, input.now);
    return refund.id;
  });
  return cancelled.ok ? ok(await reread(deps, cancelled.value)) : cancelled;
}
