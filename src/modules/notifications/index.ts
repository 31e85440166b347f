/**
 * Notifications: SMS and e-mail from templates in English and Swahili, queued in the
 * transaction of the change that causes them (enqueueNotificationInTrx), delivered by outbox
 * workers with retries, and recorded in a delivery log.
 */
import type { HudumaModule } from '#platform/module.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import { notificationsErrors } from './notifications-errors.ts';

export {
  DeliveryError,
  devInboxAdapter,
  type NotificationAdapter,
  type NotificationAdapters,
  type OutgoingMessage,
  type SendReceipt,
} from './notification-adapter.ts';
export {
  findNotification,
  listRecentNotifications,
  type Notification,
} from './notification-repo.ts';
export {
  enqueueNotificationInTrx,
  notificationDeliverTopic,
  notificationDeliveryHandler,
  type NotificationRequest,
} from './notification-service.ts';
export type { NotificationTables } from './notification-tables.ts';
export {
  notificationTemplates,
  renderNotification,
  type NotificationTemplateName,
} from './notification-templates.ts';

export const notificationsModule: HudumaModule = {
  name: 'notifications',
  errors: notificationsErrors,
  messages: { en, sw },
};
