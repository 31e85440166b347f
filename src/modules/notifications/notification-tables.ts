/** Row type of the delivery log (migrations/202611281002_create-notification.sql). */
import type { Generated, Kysely } from 'kysely';

export type NotificationChannel = 'sms' | 'email';
export type NotificationStatus = 'queued' | 'sent' | 'failed' | 'dead';

export type NotificationTable = {
  id: string;
  channel: NotificationChannel;
  recipient: string;
  template: string;
  language: 'en' | 'sw';
  subject: string | null;
  body: string;
  account_id: string | null;
  status: Generated<NotificationStatus>;
  attempts: Generated<number>;
  provider: string | null;
  provider_message_id: string | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
};

export type NotificationTables = { notification: NotificationTable };

/**
 * Any handle, a Kysely instance or a transaction, whatever tables its caller declared. `any`
 * because Kysely is invariant in its tables; the functions taking it narrow it at once.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKysely = Kysely<any>;

/** Any handle (Kysely instance or transaction) seen with the notification table. */
export function withNotificationTables(db: AnyKysely): Kysely<NotificationTables> {
  return db;
}
