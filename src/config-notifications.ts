/** The SMS and e-mail part of the configuration, and the development inbox. */
import { readBoolean, readUrl, type Env, type Environment } from './config-readers.ts';

export type NotificationsConfig = Readonly<{
  /** Keep outgoing SMS and e-mail in the dev inbox (/dev/inbox), send nothing; never in prod. */
  devInbox: boolean;
  /** The SMS provider's endpoint (a JSON POST); unset: SMS cannot be sent. */
  smsUrl: string | undefined;
  smsApiKey: string | undefined;
  /** smtp:// or smtps://user:password@host:port; unset: e-mail cannot be sent. */
  smtpUrl: string | undefined;
  /** The From of every e-mail. */
  mailFrom: string;
}>;

export function readNotificationsConfig(
  env: Env,
  environment: Environment,
  problems: string[],
): NotificationsConfig {
  const devInbox = readBoolean(env, 'HUDUMA_DEV_INBOX', environment !== 'production', problems);
  if (devInbox && environment === 'production') {
    problems.push('HUDUMA_DEV_INBOX cannot be on in production: the development inbox shows ' +
      'every message, sign-in codes included, to anyone');
  }
  const smsUrl = env.HUDUMA_SMS_URL === undefined || env.HUDUMA_SMS_URL === ''
    ? undefined
    : readUrl(env, 'HUDUMA_SMS_URL', '', problems);
  const mailFrom = env.HUDUMA_MAIL_FROM ?? 'Huduma <no-reply@localhost>';
  if (!/^[^\r\n@]*@[^\r\n]+$/.test(mailFrom)) {
    problems.push('HUDUMA_MAIL_FROM must be an address, like "Huduma <no-reply@huduma.go.ke>"');
  }
  return Object.freeze({
    devInbox,
    smsUrl: smsUrl === '' ? undefined : smsUrl,
    smsApiKey: env.HUDUMA_SMS_API_KEY === '' ? undefined : env.HUDUMA_SMS_API_KEY,
    smtpUrl: readSmtpUrl(env, problems),
    mailFrom,
  });
}

function readSmtpUrl(env: Env, problems: string[]): string | undefined {
  const raw = env.HUDUMA_SMTP_URL;
  if (raw === undefined || raw === '') return undefined;
  if (!/^smtps?:\/\//.test(raw) || !URL.canParse(raw)) {
    // Never echo the value: it may hold the SMTP password.
    problems.push('HUDUMA_SMTP_URL must be an smtp:// or smtps:// URL');
    return undefined;
  }
  return raw;
}
