/**
 * Notifications: each final outcome becomes an event, POSTed as JSON to the session's
 * notificationUrl with a Card-Signature header, and tried again with backoff (1 s, 2 s, 4 s ...
 * capped) until a 2xx answer or the last try. An event keeps its eventId on every try.
 */
import { newIdentifier, type EmulatorContext } from './emulator-context.ts';
import { cardSignatureHeader, signCardNotification } from './emulator-signature.ts';
import {
  stateLimits,
  type Delivery,
  type NotificationEvent,
  type NotificationType,
} from './emulator-state.ts';

export function newEvent(
  context: EmulatorContext,
  type: NotificationType,
  data: Readonly<Record<string, unknown>>,
): NotificationEvent {
  return Object.freeze({
    eventId: newIdentifier('evt_'),
    type,
    occurredAt: context.clock.now().toISOString(),
    data,
  });
}

/** Queues one delivery of `event` to `url`, its first try after delayMs. */
export function enqueueDelivery(
  context: EmulatorContext,
  event: NotificationEvent,
  url: string,
  delayMs: number,
): Delivery {
  const { state } = context;
  const delivery: Delivery = {
    deliveryId: state.nextDeliveryId, event, url, rawBody: JSON.stringify(event),
    status: 'pending', attempts: 0, nextAttemptAt: undefined, lastResponseStatus: undefined,
    lastError: undefined, cancel: undefined,
  };
  state.nextDeliveryId += 1;
  state.deliveries.push(delivery);
  if (state.deliveries.length > stateLimits.deliveriesMax) {
    const dropped = state.deliveries.shift();
    dropped?.cancel?.();
  }
  scheduleAttempt(context, delivery, delayMs);
  return delivery;
}

function scheduleAttempt(context: EmulatorContext, delivery: Delivery, delayMs: number): void {
  delivery.nextAttemptAt = new Date(context.clock.now().getTime() + delayMs);
  delivery.cancel = context.tasks.later(delayMs, async () => {
    delivery.cancel = undefined;
    await attemptDelivery(context, delivery);
  });
}

/** The wait after the n-th failed try: 1 s, 2 s, 4 s ... up to the cap. */
export function retryDelayMs(context: EmulatorContext, failedAttempts: number): number {
  const { retryDelayMs: first, retryDelayMaxMs: cap } = context.timing;
  const exponent = Math.min(failedAttempts - 1, 30);
  return Math.min(first * 2 ** exponent, cap);
}

async function post(context: EmulatorContext, delivery: Delivery): Promise<number> {
  const seconds = Math.floor(context.clock.now().getTime() / 1000);
  const response = await context.fetch(delivery.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [cardSignatureHeader]: signCardNotification(
        context.merchant.notificationSecret, seconds, delivery.rawBody),
      'user-agent': 'huduma-card-emulator',
    },
    body: delivery.rawBody,
    redirect: 'manual',
    signal: AbortSignal.timeout(context.timing.notificationTimeoutMs),
  });
  await response.arrayBuffer().catch(() => undefined);
  return response.status;
}

/** One try; on failure the next is scheduled, unless that was the last. */
export async function attemptDelivery(
  context: EmulatorContext,
  delivery: Delivery,
): Promise<void> {
  if (delivery.status !== 'pending') return;
  // Tried ahead of its time (a flush): its timer is no longer needed.
  delivery.cancel?.();
  delivery.cancel = undefined;
  delivery.status = 'sending';
  delivery.attempts += 1;
  delivery.nextAttemptAt = undefined;
  let delivered = false;
  try {
    const status = await post(context, delivery);
    delivery.lastResponseStatus = status;
    delivery.lastError = undefined;
    delivered = status >= 200 && status < 300;
  } catch (error) {
    delivery.lastResponseStatus = undefined;
    delivery.lastError = error instanceof Error && error.name === 'TimeoutError'
      ? 'timeout' : 'unreachable';
  }
  if (delivered) {
    delivery.status = 'delivered';
    return;
  }
  if (delivery.attempts >= context.timing.notificationAttemptsMax) {
    delivery.status = 'abandoned';
    context.logger?.warn({ eventId: delivery.event.eventId, attempts: delivery.attempts },
      'card emulator gave up a notification');
    return;
  }
  delivery.status = 'pending';
  scheduleAttempt(context, delivery, retryDelayMs(context, delivery.attempts));
}

/** Tries every queued delivery now, in order (a failure is retried later as usual). */
export async function flushDeliveries(context: EmulatorContext): Promise<number> {
  const pending = context.state.deliveries.filter((delivery) => delivery.status === 'pending');
  for (const delivery of pending) await attemptDelivery(context, delivery);
  return pending.length;
}
