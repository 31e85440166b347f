/** Picks each channel's adapter from the configuration. */
import type { NotificationsConfig } from '#config';
import {
  devInboxAdapter,
  unconfiguredAdapter,
  type NotificationAdapters,
} from './notification-adapter.ts';
import { smsHttpAdapter } from './sms-http-adapter.ts';
import { smtpAdapter } from './smtp-adapter.ts';

export function createNotificationAdapters(config: NotificationsConfig): NotificationAdapters {
  if (config.devInbox) return { sms: devInboxAdapter, email: devInboxAdapter };
  return {
    sms: config.smsUrl === undefined
      ? unconfiguredAdapter('sms-http', 'HUDUMA_SMS_URL')
      : smsHttpAdapter({ url: config.smsUrl, apiKey: config.smsApiKey }),
    email: config.smtpUrl === undefined
      ? unconfiguredAdapter('smtp', 'HUDUMA_SMTP_URL')
      : smtpAdapter({ url: config.smtpUrl, from: config.mailFrom }),
  };
}
