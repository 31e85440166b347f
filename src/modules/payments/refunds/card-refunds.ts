/**
 * Refunds of card payments (docs/cards.md), the payments side. Approval, maker-checker, the
 * ledger and the payer's message are those of every refund (refund-service.ts); what differs is
 * who sends it: payments enqueues `payments.card-refund-send` for the attempt, and the card
 * channel (channel-cards, which speaks the acquirer's protocol) consumes it, asks the acquirer
 * (Idempotency-Key: the attempt's own id, so a resend is the same refund) and reports back
 * here; the acquirer's signed result, stored raw first by the channel, settles the attempt:
 * success posts refundPaidOut (Dr refunds-payable, Cr collection:card:<provider>) and tells the
 * payer; failure leaves the refund failed, visible and retryable (a new attempt, a new key).
 */
import { paymentsDb } from '../invoice-repo.ts';
import { insertOutcomesInTrx } from '../payment-repo.ts';
import type { PaymentsDeps } from '../payments-deps.ts';
import type { Money } from '#platform/money/index.ts';
import { failAttemptInTrx, inFlight, succeedAttemptInTrx } from './refund-execution.ts';
import {
  findAttempt,
  findRefund,
  findRefundablePayment,
  lockAttemptByConversationInTrx,
  lockAttemptInTrx,
  refundDb,
  updateAttemptInTrx,
  type RefundDb,
} from './refund-repo.ts';

/** What the card channel sends the acquirer for one attempt. */
export type CardRefundOrder = Readonly<{
  attemptId: string;
  /** Idempotency-Key and merchantRefundReference: the attempt's own id, 64 characters at most. */
  reference: string;
  /** The acquirer's payment id (the card payment's provider reference). */
  paymentReference: string;
  provider: string;
  amount: Money;
}>;

/** The order for a queued card refund attempt; undefined when there is nothing to send. */
export async function cardRefundOrder(deps: PaymentsDeps, attemptId: string):
  Promise<CardRefundOrder | undefined> {
  const db = refundDb(deps.db);
  const attempt = await findAttempt(db, attemptId);
  if (attempt?.state !== 'queued' || attempt.method !== 'card_refund') return undefined;
  const refund = await findRefund(db, attempt.refundId);
  const payment = refund?.paymentId === null || refund === undefined ? undefined
    : await findRefundablePayment(db, refund.paymentId);
  if (refund === undefined || payment?.channel !== 'card' || payment.receipt === null) {
    return undefined;
  }
  return { attemptId, reference: attempt.originatorConversationId,
    paymentReference: payment.receipt, provider: payment.provider, amount: refund.amount };
}

/** The acquirer took the request: the attempt is sent, known by the acquirer's refund id. */
export async function markCardRefundSent(
  deps: PaymentsDeps,
  input: Readonly<{ attemptId: string; acquirerRefundId: string }>,
): Promise<void> {
  await refundDb(deps.db).transaction().execute(async (trx) => {
    const attempt = await lockAttemptInTrx(trx, input.attemptId);
    if (attempt?.state !== 'queued') return;
    await updateAttemptInTrx(trx, attempt.id, { state: 'sent',
      conversationId: input.acquirerRefundId });
  });
}

/** The acquirer refused the request outright (e.g. exceeds_payment): nothing moved. */
export async function failCardRefundAttempt(
  deps: PaymentsDeps,
  input: Readonly<{ attemptId: string; code: string; description: string }>,
): Promise<void> {
  const now = deps.clock.now();
  await refundDb(deps.db).transaction().execute(async (trx) => {
    const attempt = await lockAttemptInTrx(trx, input.attemptId);
    if (attempt === undefined || !inFlight(attempt)) return;
    await failAttemptInTrx(trx, attempt, { code: input.code, description: input.description,
      rawId: undefined }, now);
  });
}

export type CardRefundSettled = 'refund_result_recorded' | 'duplicate' | 'not_yet_known';

/**
 * The acquirer's result for one of our refunds, read from the stored callback `rawId`.
 * 'not_yet_known': no attempt is known by that refund id yet (the result beat our record of
 * the request): stored only; the acquirer sends it again. @idempotent: a repeated result is a
 * 'duplicate' and moves nothing.
 */
export async function settleCardRefund(
  deps: PaymentsDeps,
  input: Readonly<{ rawId: string; acquirerRefundId: string; succeeded: boolean;
    failureCode: string | undefined }>,
): Promise<CardRefundSettled> {
  const now = deps.clock.now();
  return refundDb(deps.db).transaction().execute(async (trx) => {
    const attempt = await lockAttemptByConversationInTrx(trx,
      { originatorConversationId: '', conversationId: input.acquirerRefundId });
    const settled: CardRefundSettled = attempt === undefined ? 'not_yet_known'
      : !inFlight(attempt) ? 'duplicate' : 'refund_result_recorded';
    if (attempt !== undefined && settled === 'refund_result_recorded') {
      if (input.succeeded) {
        await succeedAttemptInTrx({ shortcode: '' }, trx, attempt, input.acquirerRefundId,
          input.rawId, now);
      } else {
        const code = input.failureCode ?? 'refund_failed';
        await failAttemptInTrx(trx, attempt, { code,
          description: `The card acquirer refused the refund: ${code}`, rawId: input.rawId },
        now);
      }
    }
    await insertOutcomesInTrx(paymentsDb(trx as RefundDb), [{ rawId: input.rawId,
      outcome: settled === 'not_yet_known' ? 'stored_only' : settled, processedAt: now }]);
    return settled;
  });
}
