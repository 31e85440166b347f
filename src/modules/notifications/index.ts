/**
 * Notifications: SMS and e-mail from templates in English and Swahili, queued in the
 * transaction of the change that causes them (enqueueNotificationInTrx), delivered by outbox
 * workers with retries, and recorded in a delivery log.
 */
import type { HudumaModule } from '#platform/module.ts';
import { devInboxRoutes } from './dev-inbox-routes.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import { createNotificationAdapters } from './notification-adapters.ts';
import { notificationDeliverTopic, notificationDeliveryHandler } from './notification-service.ts';
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
  enqueueNotificationsInTrx,
  notificationDeliverTopic,
  notificationDeliveryHandler,
  type NotificationRequest,
} from './notification-service.ts';
export { createNotificationAdapters } from './notification-adapters.ts';
export { notificationPaths } from './notification-paths.ts';
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
  routes: async (app, deps) => {
    if (deps.config.notifications.devInbox) await devInboxRoutes(app, deps);
  },
  outboxTopics: [notificationDeliverTopic],
  outboxHandlers: (deps) => {
    const settings = deps.config.notifications;
    if (!settings.devInbox && settings.smsUrl === undefined) {
      deps.logger.warn('HUDUMA_SMS_URL is not set: SMS notifications will fail');
    }
    if (!settings.devInbox && settings.smtpUrl === undefined) {
      deps.logger.warn('HUDUMA_SMTP_URL is not set: e-mail notifications will fail');
    }
    return {
      [notificationDeliverTopic]: notificationDeliveryHandler({
        db: deps.db,
        clock: deps.clock,
        logger: deps.logger,
        adapters: createNotificationAdapters(settings),
      }),
    };
  },
};
