/**
 * Notifications: rendered and written to the delivery log in the transaction of the change
 * that causes them, together with an outbox event; a worker then hands each to its channel's
 * adapter and records the outcome.
 */
import assert from 'node:assert/strict';
import type { Clock } from '#platform/clock/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import type { Logger } from '#platform/logging/index.ts';
import { OutboxPermanentFailure, type OutboxHandler } from '#platform/outbox/index.ts';
import {
  DeliveryError,
  devInboxAdapter,
  type NotificationAdapters,
  type SendReceipt,
} from './notification-adapter.ts';
import {
  findNotification,
  insertNotificationsInTrx,
  markNotificationFailed,
  markNotificationSent,
  type NewNotificationRow,
} from './notification-repo.ts';
import type { AnyKysely } from './notification-tables.ts';
import { notificationTemplates, renderNotification } from './notification-templates.ts';

export const notificationDeliverTopic = 'notification.deliver';

export type NotificationRequest = Readonly<{
  channel: 'sms' | 'email';
  /** An E.164 phone number (+254...) for SMS, an e-mail address for e-mail. */
  to: string;
  /** A key of the template catalogue, e.g. 'identity.sign-in-code'. */
  template: string;
  language: 'en' | 'sw';
  params: Readonly<Record<string, string>>;
  accountId?: string | null;
}>;

const phonePattern = /^\+?[1-9][0-9]{7,14}$/;
const emailPattern = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;
const emailLengthMax = 254;

/**
 * Renders the message and queues it for delivery, in the caller's transaction: it is sent if
 * and only if the caller commits. An unknown template, a wrong parameter or a malformed
 * recipient is a bug in the caller and throws.
 */
export async function enqueueNotificationInTrx(
  trx: AnyKysely,
  request: NotificationRequest,
  now: Date,
): Promise<{ id: string }> {
  const [queued] = await enqueueNotificationsInTrx(trx, [request], now);
  assert.ok(queued !== undefined);
  return queued;
}

/** enqueueNotificationInTrx for many messages, in one statement (busy paths: a batch). */
export async function enqueueNotificationsInTrx(
  trx: AnyKysely,
  requests: readonly NotificationRequest[],
  now: Date,
): Promise<{ id: string }[]> {
  assert.ok(trx.isTransaction, 'enqueueNotificationInTrx must run in a transaction');
  const rows: NewNotificationRow[] = requests.map((request) => {
    assertRecipient(request.channel, request.to);
    const rendered = renderNotification(request);
    return {
      id: uuidv7(now.getTime()), channel: request.channel, recipient: request.to,
      template: request.template, language: request.language, subject: rendered.subject,
      body: rendered.body, accountId: request.accountId ?? null,
    };
  });
  await insertNotificationsInTrx(trx, rows, { topic: notificationDeliverTopic, now,
    eventIds: rows.map(() => uuidv7(now.getTime())) });
  return rows.map((row) => ({ id: row.id }));
}

function assertRecipient(channel: 'sms' | 'email', to: string): void {
  if (channel === 'sms') {
    assert.match(to, phonePattern, 'an SMS recipient is a phone number like +254712345678');
  } else {
    assert.ok(to.length <= emailLengthMax && emailPattern.test(to),
      'an e-mail recipient is one plain address');
  }
}

export type DeliveryDeps = Readonly<{
  db: AnyKysely;
  clock: Clock;
  logger: Logger;
  adapters: NotificationAdapters;
}>;

/**
 * The outbox handler for notification.deliver. Idempotent: a notification already sent is
 * not sent again. Logs carry the notification id and status only, never the recipient or
 * the body.
 */
export function notificationDeliveryHandler(deps: DeliveryDeps): OutboxHandler {
  return async (event, context) => {
    const notificationId = readNotificationId(event.payload);
    const notification = await findNotification(deps.db, notificationId);
    if (notification === undefined) {
      throw new OutboxPermanentFailure(`notification ${notificationId} does not exist`);
    }
    if (notification.status === 'sent') return;
    const adapter = deps.adapters[notification.channel];
    let receipt: SendReceipt;
    try {
      receipt = await adapter.send({
        notificationId,
        to: notification.recipient,
        subject: notification.subject,
        body: notification.body,
      }, context.signal);
    } catch (error) {
      const retryable = !(error instanceof DeliveryError) || error.retryable;
      const dead = !retryable || context.isLastAttempt;
      // Only our own errors are known to be free of the recipient; others keep their name.
      const message = error instanceof DeliveryError ? error.message
        : `unexpected ${error instanceof Error ? error.name : 'error'} while sending`;
      await markNotificationFailed(deps.db, notificationId, {
        provider: adapter.name, error: message, dead, now: deps.clock.now(),
      });
      deps.logger.warn({ notificationId, channel: notification.channel,
        status: dead ? 'dead' : 'failed' }, 'notification not sent');
      if (!retryable) throw new OutboxPermanentFailure(message);
      throw new DeliveryError(message, true);
    }
    // Outside the try: a failure to record success must not look like a failed send.
    await markNotificationSent(deps.db, notificationId, {
      provider: adapter.name,
      providerMessageId: receipt.providerMessageId,
      now: deps.clock.now(),
      // The dev inbox is where a developer reads the code, so it keeps it.
      removeBody: holdsSecret(notification.template) && adapter.name !== devInboxAdapter.name,
    });
    deps.logger.info({ notificationId, channel: notification.channel, status: 'sent' },
      'notification sent');
  };
}

function holdsSecret(template: string): boolean {
  const definition = Object.hasOwn(notificationTemplates, template)
    ? notificationTemplates[template as keyof typeof notificationTemplates]
    : undefined;
  return definition?.secret ?? true;
}

function readNotificationId(payload: unknown): string {
  if (typeof payload === 'object' && payload !== null && 'notificationId' in payload &&
    typeof payload.notificationId === 'string') {
    return payload.notificationId;
  }
  throw new OutboxPermanentFailure('notification.deliver payload has no notificationId');
}
