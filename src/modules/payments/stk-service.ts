/**
 * STK push (M-Pesa Express): the payer gets a prompt on their phone. Intent is recorded before
 * Daraja is called (STK_PUSH_READY), the answer after (SUBMITTED, or why not), and status
 * queries are scheduled at about 1, 5 and 30 minutes in case the callback never comes. No money
 * is posted until M-Pesa confirms it. The phone number is personal data: stored for the push,
 * never logged, never in an event, audit record or outbox payload.
 */
import assert from 'node:assert/strict';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import { money, type Money } from '#platform/money/index.ts';
import { enqueueOutboxEventInTrx } from '#platform/outbox/index.ts';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { parseBillReference } from './bill-reference.ts';
import {
  finishCallbacksInTrx,
  processCallbacksInTrx,
  type IngestContext,
} from './ingest-service.ts';
import { lockInvoiceInTrx, paymentsDb } from './invoice-repo.ts';
import { balanceDueMinor, paymentRefusal } from './invoice-rules.ts';
import {
  normalisePhoneNumber,
  statusCheckDelaysMs,
  type DarajaClient,
  type DarajaFailure,
} from './mpesa/index.ts';
import { listDeferredStkCallbacksInTrx } from './payment-repo.ts';
import type { PaymentsDeps } from './payments-deps.ts';
import {
  findStkPush,
  insertStkPushEventInTrx,
  insertStkPushInTrx,
  listStkPushEvents,
  recordSubmissionInTrx,
  type StkPushRow,
} from './stk-repo.ts';
import {
  deriveStkPushState,
  stkPaymentStatus,
  submissionUnknownCode,
  type StkPaymentStatus,
  type StkPushState,
} from './stk-status.ts';

export const stkQueryTopic = 'payments.stk-query';
/** Shown on the payer's phone with the bill reference; Daraja allows at most 13 characters. */
const transactionDescription = 'Huduma';
const minorPerShilling = 100n;

export type StkDeps = PaymentsDeps & Readonly<{
  daraja: DarajaClient;
  /** Our STK callback URL (with its secret token). */
  stkCallbackUrl: string;
  /**
   * To process at once a callback that arrived before the push's submission was recorded.
   * Without it such a callback waits for the sweep. stkDepsFor(deps) sets it.
   */
  ingestContext?: () => IngestContext;
}>;

/** An STK push as the pages see it: no phone number. */
export type StkPushView = Readonly<{
  id: string;
  invoiceId: string;
  invoiceReference: string;
  amount: Money;
  state: StkPushState;
  status: StkPaymentStatus;
  createdAt: Date;
}>;

export type StkQueryPayload = Readonly<{ stkPushId: string; attempt: number; final: boolean }>;

export type InitiateStkFailure = Failure<'PAY_BILL_REFERENCE_INVALID' | 'PAY_INVOICE_NOT_FOUND' |
  'PAY_INVOICE_NOT_PAYABLE' | 'PAY_AMOUNT_NOT_ACCEPTED' | 'PAY_PHONE_NUMBER_INVALID' |
  'PAY_STK_PUSH_NOT_SENT'>;

export type InitiateStkInput = Readonly<{
  invoiceReference: string;
  /** 07XX XXX XXX, 01XX..., +2547..., 2547... */
  phone: string;
  /** Whole shillings; the balance due when omitted. */
  amount?: Money;
  /** Who asked: an account id, or 'api-client:<id>'. */
  requestedBy: string;
  /** An idempotency key: the same key returns the same push instead of prompting again. */
  requestKey?: string;
  now: Date;
}>;

class Refused extends Error {
  readonly failure: InitiateStkFailure;
  constructor(refusal: InitiateStkFailure) {
    super(refusal.code);
    this.failure = refusal;
  }
}

/** A concurrent request with the same key recorded its push first: that push is the answer. */
class RequestKeyTaken extends Error {}

/**
 * When a push's intent is checked: long after any call to Daraja has ended (its time limit is
 * at most 120 s, and a refused token makes a second call), so a push still without an answer
 * then was left by a process that stopped between recording the intent and the answer.
 */
export const intentCheckDelayMs = 5 * 60_000;
/** The attempt number of the intent check (the status queries are 1, 2, 3). */
export const intentCheckAttempt = 0;

/**
 * Sends an STK push for an invoice.
 * @idempotent with (requestKey).
 * @returns the push (state SUBMITTED, or FAILED/EXPIRED when Daraja refused or did not answer),
 *   or err PAY_BILL_REFERENCE_INVALID, PAY_INVOICE_NOT_FOUND, PAY_INVOICE_NOT_PAYABLE,
 *   PAY_AMOUNT_NOT_ACCEPTED (not whole shillings, above the balance due ...),
 *   PAY_PHONE_NUMBER_INVALID, PAY_STK_PUSH_NOT_SENT (Daraja refused it: nothing was charged).
 */
export async function initiateStkPush(
  deps: StkDeps,
  input: InitiateStkInput,
): Promise<Result<StkPushView, InitiateStkFailure>> {
  const reference = parseBillReference(input.invoiceReference);
  if (reference === undefined) return err(failure('PAY_BILL_REFERENCE_INVALID'));
  const phoneNumber = normalisePhoneNumber(input.phone);
  if (phoneNumber === undefined) return err(failure('PAY_PHONE_NUMBER_INVALID'));
  if (input.requestKey !== undefined) {
    const earlier = await findStkPush(paymentsDb(deps.db), { requestKey: input.requestKey });
    if (earlier !== undefined) return ok(await viewOf(deps, earlier, input.now));
  }
  let push: StkPushRow;
  try {
    push = await recordIntent(deps, { ...input, reference, phoneNumber });
  } catch (error) {
    if (error instanceof Refused) return err(error.failure);
    if (error instanceof RequestKeyTaken && input.requestKey !== undefined) {
      // The winner committed before our insert gave way (ON CONFLICT waits for it).
      const winner = await findStkPush(paymentsDb(deps.db), { requestKey: input.requestKey });
      assert.ok(winner !== undefined, 'a request key conflicted with no push found');
      return ok(await viewOf(deps, winner, input.now));
    }
    throw error;
  }
  const answer = await deps.daraja.stkPush({
    amount: push.amount, phoneNumber, accountReference: push.accountReference,
    transactionDescription, callbackUrl: deps.stkCallbackUrl,
  });
  await recordSubmission(deps, push, answer.ok ? answer.value : answer.error, input.now);
  if (!answer.ok && isRefusal(answer.error)) {
    return err(failure('PAY_STK_PUSH_NOT_SENT', answer.error.kind));
  }
  return ok(await viewOf(deps, push, input.now));
}

/** A refusal means nothing reached the phone; a timeout or broken connection may have. */
function isRefusal(failureValue: DarajaFailure): boolean {
  return failureValue.kind === 'invalid-request' || failureValue.kind === 'daraja' ||
    (failureValue.kind === 'http' && failureValue.status < 500);
}

async function recordIntent(
  deps: StkDeps,
  input: InitiateStkInput & Readonly<{ reference: string; phoneNumber: string }>,
): Promise<StkPushRow> {
  return paymentsDb(deps.db).transaction().execute(async (trx) => {
    const invoice = await lockInvoiceInTrx(trx, { reference: input.reference });
    if (invoice === undefined) throw new Refused(failure('PAY_INVOICE_NOT_FOUND'));
    // The same request again, read under the invoice's lock: the first may have been sent and
    // even paid while this one waited, and its answer is that push, not "already paid".
    if (input.requestKey !== undefined &&
      await findStkPush(trx, { requestKey: input.requestKey }) !== undefined) {
      throw new RequestKeyTaken();
    }
    const allocatedMinor = invoice.allocatedMinor;
    const facts = { ...invoice, totalMinor: invoice.total.amountMinor, allocatedMinor };
    const amount = input.amount ?? money(balanceDueMinor(facts), invoice.currency);
    if (amount.currency !== 'KES' || amount.amountMinor % minorPerShilling !== 0n) {
      throw new Refused(failure('PAY_AMOUNT_NOT_ACCEPTED', 'M-Pesa takes whole shillings'));
    }
    const refusal = paymentRefusal(facts, amount, input.now);
    if (refusal !== undefined) {
      throw new Refused(refusal.startsWith('invoice_')
        ? failure('PAY_INVOICE_NOT_PAYABLE', refusal)
        : failure('PAY_AMOUNT_NOT_ACCEPTED', refusal));
    }
    const push: StkPushRow = {
      id: uuidv7(input.now.getTime()), invoiceId: invoice.id, requestedBy: input.requestedBy,
      requestKey: input.requestKey ?? null, phoneNumber: input.phoneNumber, amount,
      accountReference: invoice.reference, checkoutRequestId: null, merchantRequestId: null,
      createdAt: input.now,
    };
    if (!await insertStkPushInTrx(trx, push)) throw new RequestKeyTaken();
    await insertStkPushEventInTrx(trx, { id: uuidv7(input.now.getTime()), stkPushId: push.id,
      kind: 'STK_PUSH_READY', resultCode: null, resultDescription: null, rawId: null,
      recordedAt: input.now });
    // Should this process stop before the answer is recorded, this check finds the push.
    const check: StkQueryPayload =
      { stkPushId: push.id, attempt: intentCheckAttempt, final: false };
    await enqueueOutboxEventInTrx(trx, stkQueryTopic, check, input.now,
      { availableAt: new Date(input.now.getTime() + intentCheckDelayMs) });
    await recordAuditInTrx(trx, {
      action: 'STK_PUSH_REQUESTED',
      actor: isUuid(input.requestedBy) ? { kind: 'account', id: input.requestedBy }
        : { kind: 'system', id: input.requestedBy },
      subject: { type: 'invoice', id: invoice.id }, agencyId: invoice.agencyId,
      detail: { stkPushId: push.id, amountMinor: amount.amountMinor.toString() },
    }, input.now);
    return push;
  });
}

async function recordSubmission(
  deps: StkDeps,
  push: StkPushRow,
  answer: Readonly<{ checkoutRequestId: string; merchantRequestId: string }> | DarajaFailure,
  now: Date,
): Promise<void> {
  await paymentsDb(deps.db).transaction().execute(async (trx) => {
    const id = uuidv7(now.getTime());
    if ('kind' in answer) {
      const code = isRefusal(answer)
        ? (answer.kind === 'daraja' ? answer.errorCode : answer.kind) : submissionUnknownCode;
      await insertStkPushEventInTrx(trx, { id, stkPushId: push.id,
        kind: 'STK_PUSH_SUBMISSION_FAILED', resultCode: code, resultDescription: answer.kind,
        rawId: null, recordedAt: now });
      return;
    }
    await recordSubmissionInTrx(trx, push.id, answer);
    await insertStkPushEventInTrx(trx, { id, stkPushId: push.id, kind: 'STK_PUSH_SUBMITTED',
      resultCode: null, resultDescription: null, rawId: null, recordedAt: now });
    for (const [index, delayMs] of statusCheckDelaysMs.entries()) {
      const payload: StkQueryPayload = { stkPushId: push.id, attempt: index + 1,
        final: index === statusCheckDelaysMs.length - 1 };
      await enqueueOutboxEventInTrx(trx, stkQueryTopic, payload, now,
        { availableAt: new Date(now.getTime() + delayMs) });
    }
  });
  if ('kind' in answer) return;
  await processEarlyCallbacks(deps, push, answer.checkoutRequestId);
}

/**
 * Callbacks that beat the record of the push's submission were deferred. They are read AFTER
 * that record commits: read inside its transaction, a callback deferred between the read and
 * the commit (it could not see the uncommitted push) was missed until the sweep. A failure
 * here is logged and left to the sweep: the submission itself is recorded.
 */
async function processEarlyCallbacks(deps: StkDeps, push: StkPushRow, checkoutRequestId: string):
  Promise<void> {
  const context = deps.ingestContext?.();
  if (context === undefined) return;
  try {
    await paymentsDb(deps.db).transaction().execute(async (trx) => {
      const early = await listDeferredStkCallbacksInTrx(trx,
        { checkoutRequestId, since: push.createdAt });
      if (early.length === 0) return;
      const { results, writes } = await processCallbacksInTrx(trx, early, context);
      await finishCallbacksInTrx(trx, results.map((result, index) =>
        ({ rawId: early[index]?.id ?? '', result })), context, writes);
    });
  } catch (error) {
    // The error's name only: a database message can quote a row, and callbacks hold phones.
    deps.logger.warn({ stkPushId: push.id, error: error instanceof Error ? error.name : 'unknown' },
      'early STK callbacks not processed; the sweep will');
  }
}

async function viewOf(deps: PaymentsDeps, push: StkPushRow, now: Date): Promise<StkPushView> {
  const events = await listStkPushEvents(paymentsDb(deps.db), push.id);
  const derivation = deriveStkPushState(events);
  return {
    id: push.id,
    invoiceId: push.invoiceId,
    invoiceReference: push.accountReference,
    amount: push.amount,
    state: derivation.state,
    status: stkPaymentStatus(derivation, push.createdAt, now),
    createdAt: push.createdAt,
  };
}

/** The push as the pages poll it; undefined when there is none with this id. */
export async function stkPushView(
  deps: PaymentsDeps,
  stkPushId: string,
  now: Date = deps.clock.now(),
): Promise<StkPushView | undefined> {
  if (!isUuid(stkPushId)) return undefined;
  const push = await findStkPush(paymentsDb(deps.db), { id: stkPushId });
  return push === undefined ? undefined : viewOf(deps, push, now);
}
