/**
 * Refunds of a succeeded payment: accepted at once as 'pending' (unless they would exceed the
 * payment), decided after a delay, and notified like payments. The refund-declined test card's
 * refunds all fail 'refund_declined'.
 */
import { money, type Currency } from '#platform/money/index.ts';
import { newIdentifier, type EmulatorContext } from './emulator-context.ts';
import { enqueueDelivery, newEvent } from './emulator-notifications.ts';
import { cardErrors, reply, type CardReply } from './emulator-replies.ts';
import { findSession, fingerprintOf } from './emulator-sessions.ts';
import { remember, stateLimits, type PaymentSession, type Refund } from './emulator-state.ts';

export type RefundRequest = Readonly<{
  paymentId: string;
  amountMinor: string;
  currency: Currency;
  merchantRefundReference: string;
}>;

function refundedSoFar(context: EmulatorContext, paymentId: string): bigint {
  let total = 0n;
  for (const refund of context.state.refunds.values()) {
    if (refund.paymentId === paymentId && refund.status !== 'failed') {
      total += refund.amount.amountMinor;
    }
  }
  return total;
}

function paidSession(context: EmulatorContext, paymentId: string): PaymentSession | undefined {
  const sessionId = context.state.payments.get(paymentId);
  return sessionId === undefined ? undefined : findSession(context, sessionId);
}

/** POST /v1/refunds (the body already matches the schema). */
export function createRefund(
  context: EmulatorContext,
  idempotencyKey: string,
  request: RefundRequest,
): CardReply {
  const fingerprint = fingerprintOf(request);
  const earlier = context.state.refundKeys.get(idempotencyKey);
  if (earlier !== undefined) {
    const refund = earlier.fingerprint === fingerprint ? context.state.refunds.get(earlier.id)
      : undefined;
    return refund === undefined ? cardErrors.idempotencyKeyReused()
      : reply(200, { refundId: refund.refundId, status: refund.status });
  }
  const session = paidSession(context, request.paymentId);
  if (session?.status !== 'succeeded') return cardErrors.notFound();
  if (request.currency !== session.amount.currency) {
    return cardErrors.invalidRequest(`currency must be the payment's (${session.amount.currency})`);
  }
  const amountMinor = BigInt(request.amountMinor);
  if (refundedSoFar(context, request.paymentId) + amountMinor > session.amount.amountMinor) {
    return cardErrors.exceedsPayment();
  }
  const refund: Refund = {
    refundId: newIdentifier('re_'), paymentId: request.paymentId, sessionId: session.sessionId,
    amount: money(amountMinor, request.currency),
    merchantRefundReference: request.merchantRefundReference,
    createdAt: context.clock.now(), status: 'pending', failureCode: undefined,
  };
  remember(context.state.refunds, refund.refundId, refund, stateLimits.refundsMax);
  remember(context.state.refundKeys, idempotencyKey,
    { fingerprint, id: refund.refundId }, stateLimits.idempotencyKeysMax);
  context.state.refundTimers.set(refund.refundId,
    context.tasks.later(context.timing.refundDelayMs, async () => {
      context.state.refundTimers.delete(refund.refundId);
      settleRefund(context, refund);
    }));
  return reply(201, { refundId: refund.refundId, status: refund.status });
}

/** The refund's outcome, and its notification. */
export function settleRefund(context: EmulatorContext, refund: Refund): void {
  if (refund.status !== 'pending') return;
  const session = context.state.sessions.get(refund.sessionId);
  if (session === undefined) return;
  const declined = session.scenario?.kind === 'refund-declined';
  refund.status = declined ? 'failed' : 'succeeded';
  refund.failureCode = declined ? 'refund_declined' : undefined;
  const event = newEvent(context, declined ? 'refund.failed' : 'refund.succeeded', {
    sessionId: session.sessionId,
    merchantReference: session.merchantReference,
    amountMinor: refund.amount.amountMinor.toString(),
    currency: refund.amount.currency,
    paymentId: refund.paymentId,
    ...(declined ? { failureCode: 'refund_declined' } : {}),
    refundId: refund.refundId,
    ...(session.card === undefined ? {} : { card: { ...session.card } }),
  });
  enqueueDelivery(context, event, session.notificationUrl, context.timing.notificationDelayMs);
}

/** Decides every pending refund now (for a flush). */
export function settlePendingRefunds(context: EmulatorContext): void {
  for (const [refundId, cancel] of [...context.state.refundTimers]) {
    cancel();
    context.state.refundTimers.delete(refundId);
    const refund = context.state.refunds.get(refundId);
    if (refund !== undefined) settleRefund(context, refund);
  }
}

export function refundView(refund: Refund): Readonly<Record<string, unknown>> {
  return {
    refundId: refund.refundId,
    paymentId: refund.paymentId,
    amountMinor: refund.amount.amountMinor.toString(),
    currency: refund.amount.currency,
    status: refund.status,
    ...(refund.failureCode === undefined ? {} : { failureCode: refund.failureCode }),
  };
}

/** GET /v1/refunds/{refundId} */
export function queryRefund(context: EmulatorContext, refundId: string): CardReply {
  const refund = context.state.refunds.get(refundId);
  return refund === undefined ? cardErrors.notFound() : reply(200, refundView(refund));
}
