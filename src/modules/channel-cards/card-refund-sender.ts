/**
 * Card refunds, the channel side (docs/cards.md): the consumer of payments'
 * `payments.card-refund-send`. It asks the acquirer to refund the card payment (POST
 * /v1/refunds, Idempotency-Key = the attempt's reference, so a resend after a lost answer is the
 * same refund) and tells payments what became of the request; the result itself comes later,
 * by signed notification (card-payment-service.ts).
 */
import type { OutboxHandler } from '#platform/outbox/index.ts';
import {
  cardRefundOrder,
  failCardRefundAttempt,
  markCardRefundSent,
} from '#modules/payments/index.ts';
import { createRefund } from './acquirer-client.ts';
import type { CardsDeps } from './card-payment-service.ts';

function readAttemptId(payload: unknown): string {
  const attemptId = (payload as { attemptId?: unknown } | null)?.attemptId;
  if (typeof attemptId !== 'string') throw new Error('malformed card refund payload');
  return attemptId;
}

/** Sends one queued card refund attempt; a network failure throws (the outbox retries). */
export async function sendCardRefund(deps: CardsDeps, attemptId: string):
  Promise<'sent' | 'refused' | 'skipped'> {
  const order = await cardRefundOrder(deps, attemptId);
  if (order === undefined) return 'skipped';
  const { cards } = deps.config;
  const answer = await createRefund(
    { acquirerBaseUrl: cards.acquirerBaseUrl, secretKey: cards.secretKey },
    deps.fetch ?? globalThis.fetch, order.reference, {
      paymentId: order.paymentReference, amountMinor: order.amount.amountMinor,
      currency: order.amount.currency, merchantRefundReference: order.reference,
    });
  if (answer.ok) {
    await markCardRefundSent(deps, { attemptId, acquirerRefundId: answer.value.refundId });
    return 'sent';
  }
  // A refusal (bad request, exceeds the payment): nothing moved, the refund is failed and
  // may be retried or cancelled. No answer, or the acquirer's own failure: send again later.
  if (answer.status !== undefined && answer.status >= 400 && answer.status < 500) {
    await failCardRefundAttempt(deps, { attemptId, code: `HTTP_${answer.status}`,
      description: answer.reason });
    return 'refused';
  }
  throw new Error(`card refund not sent: ${answer.reason}`);
}

export function cardRefundSendHandler(deps: CardsDeps): OutboxHandler {
  return async (event) => {
    await sendCardRefund(deps, readAttemptId(event.payload));
  };
}
