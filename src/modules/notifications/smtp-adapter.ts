/**
 * E-mail over SMTP (nodemailer). smtps:// is TLS from the first byte; smtp:// upgrades with
 * STARTTLS when the server offers it. Every phase has a time limit; retries are the outbox's.
 */
import nodemailer from 'nodemailer';
import { DeliveryError, type NotificationAdapter } from './notification-adapter.ts';

export type SmtpOptions = Readonly<{
  url: string;
  from: string;
  timeoutMs?: number;
}>;

export const smtpTimeoutMsDefault = 15_000;
const defaultPorts = { smtp: 587, smtps: 465 } as const;

export function smtpAdapter(options: SmtpOptions): NotificationAdapter {
  const timeoutMs = options.timeoutMs ?? smtpTimeoutMsDefault;
  const url = new URL(options.url);
  const secure = url.protocol === 'smtps:';
  const user = decodeURIComponent(url.username);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port === '' ? defaultPorts[secure ? 'smtps' : 'smtp'] : Number(url.port),
    secure,
    ...(user === '' ? {} : { auth: { user, pass: decodeURIComponent(url.password) } }),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    logger: false,
    debug: false,
  });
  return {
    name: 'smtp',
    send: async (message, signal) => {
      signal.throwIfAborted();
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject ?? '',
          text: message.body,
          headers: { 'X-Huduma-Notification': message.notificationId },
        });
        return { providerMessageId: typeof info.messageId === 'string' ? info.messageId : null };
      } catch (error) {
        throw smtpError(error);
      }
    },
  };
}

/**
 * The server's reply text often quotes the address; only codes are kept. A 5xx reply to the
 * message is permanent (the server will refuse it again), except authentication, which an
 * operator can fix.
 */
function smtpError(error: unknown): DeliveryError {
  const fields = typeof error === 'object' && error !== null
    ? error as { code?: unknown; responseCode?: unknown }
    : {};
  const code = typeof fields.code === 'string' ? fields.code : 'error';
  const responseCode = typeof fields.responseCode === 'number' ? fields.responseCode : undefined;
  const permanent = responseCode !== undefined && responseCode >= 500 && code !== 'EAUTH';
  const reply = responseCode === undefined ? '' : ` ${responseCode}`;
  return new DeliveryError(`SMTP ${code}${reply}`, !permanent);
}
