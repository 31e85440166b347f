/**
 * How a rendered message leaves the platform. One adapter per channel: SMS over an HTTP
 * provider, e-mail over SMTP, or the development inbox, which sends nothing.
 */

export type OutgoingMessage = Readonly<{
  /** Our id: providers that take one use it to drop duplicates of a retried send. */
  notificationId: string;
  to: string;
  subject: string | null;
  body: string;
}>;

export type SendReceipt = Readonly<{ providerMessageId: string | null }>;

export type NotificationAdapter = Readonly<{
  name: string;
  send: (message: OutgoingMessage, signal: AbortSignal) => Promise<SendReceipt>;
}>;

export type NotificationAdapters = Readonly<{
  sms: NotificationAdapter;
  email: NotificationAdapter;
}>;

/**
 * A failed send, described without the recipient or the body (the message is stored and may
 * be logged). `retryable` is false when trying again cannot help (the provider refused it).
 */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = 'DeliveryError';
    this.retryable = retryable;
  }
}

/** The development inbox: records nothing beyond the delivery log itself, sends nothing. */
export const devInboxAdapter: NotificationAdapter = {
  name: 'dev-inbox',
  send: async (message) => ({ providerMessageId: message.notificationId }),
};

/** For a channel with no provider configured: every send fails, and retrying cannot help. */
export function unconfiguredAdapter(name: string, variable: string): NotificationAdapter {
  return {
    name,
    send: async () => {
      throw new DeliveryError(`no provider configured: set ${variable}`, false);
    },
  };
}
