/** The card acquirer part of the configuration (HUDUMA_CARDS_*); see docs/card-emulator.md. */
import { readBoolean, readUrl, type Env, type Environment } from './config-readers.ts';

export type CardsConfig = Readonly<{
  /** Mount the card acquirer emulator at emulatorPath; refused in production. */
  emulator: boolean;
  emulatorPath: string;
  /** The acquirer's base URL; by default the in-process emulator at the app's public URL. */
  acquirerBaseUrl: string;
  /** Our merchant account at the acquirer and its bearer key (server-to-server calls). */
  merchantId: string;
  secretKey: string;
  /** The key the acquirer signs its notifications with (Card-Signature). */
  notificationSecret: string;
  /** The acquirer's name, recorded as the provider of card payments. */
  provider: 'demo-acquirer';
}>;

/** The merchant the built-in emulator knows; these values mean nothing anywhere else. */
export const cardEmulatorDemoMerchant = {
  merchantId: 'huduma-demo',
  secretKey: 'card-emulator-secret-key',
  notificationSecret: 'card-emulator-notification-secret',
} as const;
const cardEmulatorPath = '/emulators/card';

export function readCardsConfig(
  env: Env,
  server: Readonly<{ environment: Environment; publicBaseUrl: string }>,
  problems: string[],
): CardsConfig {
  const production = server.environment === 'production';
  const emulator = readBoolean(env, 'HUDUMA_CARDS_EMULATOR', !production, problems);
  if (emulator && production) {
    problems.push('HUDUMA_CARDS_EMULATOR cannot be on in production (it fakes payments)');
  }
  // The hosted page is opened by the payer's browser, so the emulator is reached at the
  // platform's public address rather than over loopback.
  const fallbackUrl = emulator ? `${server.publicBaseUrl}${cardEmulatorPath}` : '';
  const acquirerBaseUrl = readUrl(env, 'HUDUMA_CARDS_ACQUIRER_URL', fallbackUrl, problems);
  const secret = (name: string, emulated: string) => env[name] ?? (emulator ? emulated : '');
  const merchantId = secret('HUDUMA_CARDS_MERCHANT_ID', cardEmulatorDemoMerchant.merchantId);
  const secretKey = secret('HUDUMA_CARDS_SECRET_KEY', cardEmulatorDemoMerchant.secretKey);
  const notificationSecret = secret('HUDUMA_CARDS_NOTIFICATION_SECRET',
    cardEmulatorDemoMerchant.notificationSecret);
  if (production && acquirerBaseUrl !== '' &&
    (secretKey === '' || notificationSecret === '' || merchantId === '')) {
    problems.push('HUDUMA_CARDS_ACQUIRER_URL needs HUDUMA_CARDS_MERCHANT_ID, ' +
      'HUDUMA_CARDS_SECRET_KEY and HUDUMA_CARDS_NOTIFICATION_SECRET');
  }
  return Object.freeze({
    emulator,
    emulatorPath: cardEmulatorPath,
    acquirerBaseUrl,
    merchantId,
    secretKey,
    notificationSecret,
    provider: 'demo-acquirer',
  });
}
