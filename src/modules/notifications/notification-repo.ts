/** The delivery log's SQL. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { OutboxTables } from '#platform/outbox/index.ts';
import {
  withNotificationTables,
  type AnyKysely,
  type NotificationTables,
  type NotificationChannel,
  type NotificationStatus,
  type NotificationTable,
} from './notification-tables.ts';

export type NewNotificationRow = Readonly<{
  id: string;
  channel: NotificationChannel;
  recipient: string;
  template: string;
  language: 'en' | 'sw';
  subject: string | null;
  body: string;
  accountId: string | null;
}>;

export type Notification = NewNotificationRow & Readonly<{
  status: NotificationStatus;
  attempts: number;
  provider: string | null;
  providerMessageId: string | null;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}>;

const lastErrorLengthMax = 1_000;

/**
 * What is left of a message that held a one-time code once it has left the platform: the
 * code is no use to anyone who can read the delivery log later.
 */
export const removedSecretBody = '[removed after delivery: it held a one-time code]';

/**
 * Writes notifications and their delivery events (outbox topic `topic`, payload
 * { notificationId }) in one statement, however many.
 */
export async function insertNotificationsInTrx(
  trx: AnyKysely,
  rows: readonly NewNotificationRow[],
  delivery: Readonly<{ topic: string; eventIds: readonly string[]; now: Date }>,
): Promise<void> {
  if (rows.length === 0) return;
  const db = trx as Kysely<NotificationTables & OutboxTables>;
  await db.with('queued', (query) => query.insertInto('notification').values(rows.map((row) => ({
    id: row.id, channel: row.channel, recipient: row.recipient, template: row.template,
    language: row.language, subject: row.subject, body: row.body, account_id: row.accountId,
    created_at: delivery.now, updated_at: delivery.now,
  })))).insertInto('outbox_event').values(rows.map((row, index) => ({
    id: delivery.eventIds[index] ?? '', topic: delivery.topic,
    payload: JSON.stringify({ notificationId: row.id }), created_at: delivery.now,
    available_at: delivery.now,
  }))).execute();
}

export async function findNotification(
  db: AnyKysely,
  id: string,
): Promise<Notification | undefined> {
  const row = await withNotificationTables(db).selectFrom('notification').selectAll()
    .where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toNotification(row);
}

export async function markNotificationSent(
  db: AnyKysely,
  id: string,
  sent: Readonly<{
    provider: string;
    providerMessageId: string | null;
    now: Date;
    removeBody: boolean;
  }>,
): Promise<void> {
  await withNotificationTables(db).updateTable('notification')
    .set({
      status: 'sent',
      attempts: sql`attempts + 1`,
      provider: sent.provider,
      provider_message_id: sent.providerMessageId,
      last_error: null,
      sent_at: sent.now,
      updated_at: sent.now,
      ...(sent.removeBody ? { body: removedSecretBody } : {}),
    })
    .where('id', '=', id).where('status', '!=', 'sent')
    .execute();
}

export async function markNotificationFailed(
  db: AnyKysely,
  id: string,
  failed: Readonly<{ provider: string; error: string; dead: boolean; now: Date }>,
): Promise<void> {
  await withNotificationTables(db).updateTable('notification')
    .set({
      status: failed.dead ? 'dead' : 'failed',
      attempts: sql`attempts + 1`,
      provider: failed.provider,
      last_error: failed.error.slice(0, lastErrorLengthMax),
      updated_at: failed.now,
    })
    .where('id', '=', id).where('status', '!=', 'sent')
    .execute();
}

/** Newest first: the dev inbox. */
export async function listRecentNotifications(
  db: AnyKysely,
  limit: number,
): Promise<Notification[]> {
  const rows = await withNotificationTables(db).selectFrom('notification').selectAll()
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toNotification);
}

function toNotification(row: Selectable<NotificationTable>): Notification {
  return {
    id: row.id,
    channel: row.channel,
    recipient: row.recipient,
    template: row.template,
    language: row.language,
    subject: row.subject,
    body: row.body,
    accountId: row.account_id,
    status: row.status,
    attempts: row.attempts,
    provider: row.provider,
    providerMessageId: row.provider_message_id,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}
