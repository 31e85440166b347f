/** Reads what the platform "sent" (the notification table behind the dev inbox). */
import { listRecentNotifications } from '#modules/notifications/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';

/**
 * The 6-digit code in the newest message to `recipient` (of `template`, when given); fails the
 * test when there is none.
 */
export async function latestCodeSentTo(
  database: DatabaseHandle,
  recipient: string,
  template?: string,
): Promise<string> {
  const recent = await listRecentNotifications(database.db, 50);
  const message = recent.find((notification) => notification.recipient === recipient &&
    (template === undefined || notification.template === template));
  const code = message === undefined ? undefined : /\b(\d{6})\b/.exec(message.body)?.[1];
  if (code === undefined) throw new Error(`no code was sent to ${recipient}`);
  return code;
}

export async function messagesSentTo(
  database: DatabaseHandle,
  recipient: string,
): Promise<number> {
  const recent = await listRecentNotifications(database.db, 200);
  return recent.filter((notification) => notification.recipient === recipient).length;
}
