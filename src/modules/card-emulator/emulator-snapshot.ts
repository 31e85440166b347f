/**
 * GET /_emulator/state: sessions, refunds and the notification queue, for tests and demos.
 * Cards appear as brand and last four digits only (nothing more is ever kept).
 */
import type { EmulatorContext } from './emulator-context.ts';
import { refundView } from './emulator-refunds.ts';
import { findSession, sessionView } from './emulator-sessions.ts';

export type DeliverySnapshot = Readonly<{
  deliveryId: number;
  eventId: string;
  type: string;
  url: string;
  status: 'pending' | 'sending' | 'delivered' | 'abandoned';
  attempts: number;
  nextAttemptAt: string | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  event: unknown;
}>;

export type CardEmulatorSnapshot = Readonly<{
  merchantId: string;
  sessions: readonly Readonly<Record<string, unknown>>[];
  refunds: readonly Readonly<Record<string, unknown>>[];
  notifications: readonly DeliverySnapshot[];
}>;

export function describeState(context: EmulatorContext): CardEmulatorSnapshot {
  const { state } = context;
  return {
    merchantId: context.merchant.merchantId,
    sessions: [...state.sessions.keys()].flatMap((sessionId) => {
      const session = findSession(context, sessionId);
      return session === undefined ? [] : [{
        ...sessionView(session),
        description: session.description,
        expiresAt: session.expiresAt.toISOString(),
        challengeWrongAttempts: session.challenge?.wrongAttempts ?? null,
      }];
    }),
    refunds: [...state.refunds.values()].map((refund) => ({
      ...refundView(refund),
      merchantRefundReference: refund.merchantRefundReference,
    })),
    notifications: state.deliveries.map((delivery) => ({
      deliveryId: delivery.deliveryId,
      eventId: delivery.event.eventId,
      type: delivery.event.type,
      url: delivery.url,
      status: delivery.status,
      attempts: delivery.attempts,
      nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
      lastResponseStatus: delivery.lastResponseStatus ?? null,
      lastError: delivery.lastError ?? null,
      event: delivery.event,
    })),
  };
}
