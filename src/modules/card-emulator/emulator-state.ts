/**
 * What the emulator remembers, in memory: payment sessions, refunds, the notification queue and
 * idempotency keys. Card numbers are never kept: a card is its brand and last four digits.
 */
import type { Money } from '#platform/money/index.ts';
import type { CardBrand, CardScenario } from './emulator-cards.ts';

export type SessionStatus = 'open' | 'succeeded' | 'failed' | 'expired';
export type RefundStatus = 'pending' | 'succeeded' | 'failed';

export type CardSummary = Readonly<{ brand: CardBrand; last4: string }>;

/** A challenge in progress: the card that asked for it and the codes tried so far. */
export type Challenge = { card: CardSummary; wrongAttempts: number };

export type PaymentSession = {
  readonly sessionId: string;
  readonly merchantReference: string;
  readonly amount: Money;
  readonly description: string;
  readonly returnUrl: string;
  readonly notificationUrl: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  status: SessionStatus;
  failureCode: string | undefined;
  paymentId: string | undefined;
  card: CardSummary | undefined;
  paidAt: Date | undefined;
  scenario: CardScenario | undefined;
  challenge: Challenge | undefined;
};

export type Refund = {
  readonly refundId: string;
  readonly paymentId: string;
  readonly sessionId: string;
  readonly amount: Money;
  readonly merchantRefundReference: string;
  readonly createdAt: Date;
  status: RefundStatus;
  failureCode: string | undefined;
};

export type NotificationType =
  'payment.succeeded' | 'payment.failed' | 'refund.succeeded' | 'refund.failed';

export type NotificationEvent = Readonly<{
  eventId: string;
  type: NotificationType;
  occurredAt: string;
  data: Readonly<Record<string, unknown>>;
}>;

/** One delivery of an event (the duplicate-notification card makes two of the same event). */
export type Delivery = {
  readonly deliveryId: number;
  readonly event: NotificationEvent;
  readonly url: string;
  /** The exact bytes sent (and signed) on every try. */
  readonly rawBody: string;
  status: 'pending' | 'sending' | 'delivered' | 'abandoned';
  attempts: number;
  nextAttemptAt: Date | undefined;
  lastResponseStatus: number | undefined;
  lastError: string | undefined;
  cancel: (() => void) | undefined;
};

/** What an Idempotency-Key stands for: the request it came with and what that created. */
export type IdempotentRequest = Readonly<{ fingerprint: string; id: string }>;

export type EmulatorState = {
  sessions: Map<string, PaymentSession>;
  /** paymentId -> sessionId */
  payments: Map<string, string>;
  refunds: Map<string, Refund>;
  deliveries: Delivery[];
  sessionKeys: Map<string, IdempotentRequest>;
  refundKeys: Map<string, IdempotentRequest>;
  /** refundId -> cancels the refund's scheduled outcome (a flush decides it at once). */
  refundTimers: Map<string, () => void>;
  nextDeliveryId: number;
};

/** Bounds, so a long-running development server does not grow without end. */
export const stateLimits = Object.freeze({
  sessionsMax: 10_000,
  refundsMax: 10_000,
  deliveriesMax: 10_000,
  idempotencyKeysMax: 20_000,
});

export function createEmulatorState(): EmulatorState {
  return {
    sessions: new Map(), payments: new Map(), refunds: new Map(), deliveries: [],
    sessionKeys: new Map(), refundKeys: new Map(), refundTimers: new Map(), nextDeliveryId: 1,
  };
}

/** Adds to a map, forgetting the oldest entry beyond `max`. */
export function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.set(key, value);
  if (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
}
