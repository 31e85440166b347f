/** The M-Pesa Daraja part of the configuration (HUDUMA_MPESA_*). */
import { randomBytes } from 'node:crypto';
import {
  readBoolean,
  readCidrList,
  readUrl,
  readWholeNumber,
  type Env,
  type Environment,
} from './config-readers.ts';

export type MpesaTimestampZone = 'kenya' | 'utc';
/** JSON types of the STK request's shortcode and phone numbers (daraja.md 5: disputed). */
export type MpesaStkFieldTypes = 'numbers' | 'strings';

export type MpesaConfig = Readonly<{
  /** Daraja base URL; by default the in-process emulator when it runs. */
  baseUrl: string;
  /** Empty when not configured (only possible with the emulator off). */
  consumerKey: string;
  consumerSecret: string;
  /** The paybill (222222). */
  shortcode: string;
  /** The Lipa na M-Pesa Online passkey of the shortcode (STK Password). */
  passkey: string;
  /** Initiator name and its encrypted SecurityCredential (transaction status). */
  initiator: string;
  securityCredential: string;
  /** Time limit on every Daraja call. */
  timeoutMs: number;
  /** The clock STK Timestamps are written in; it only has to match the Password. */
  timestampZone: MpesaTimestampZone;
  /** How STK requests write BusinessShortCode, PartyA, PartyB and PhoneNumber. */
  stkFieldTypes: MpesaStkFieldTypes;
  /** Mount the Daraja emulator at emulatorPath; refused in production. */
  emulator: boolean;
  emulatorPath: string;
  /** Secret path segment of our callback URLs (Daraja callbacks are not signed). */
  callbackToken: string;
  /** CIDR ranges callbacks may come from; others are refused (403). */
  allowedSources: readonly string[];
  /** Register the C2B validation and confirmation URLs with Daraja at start. */
  registerC2bUrls: boolean;
}>;

/** Credentials the built-in emulator accepts; they mean nothing anywhere else. */
const emulatorSecrets = {
  consumerKey: 'huduma-emulator-key',
  consumerSecret: 'huduma-emulator-secret',
  passkey: 'huduma-emulator-passkey',
  initiator: 'huduma-emulator',
  securityCredential: 'huduma-emulator-credential',
} as const;
const mpesaEmulatorPath = '/_emulator/mpesa';
const mpesaTimeoutMsMax = 120_000;

export function readMpesaConfig(
  env: Env,
  server: Readonly<{ environment: Environment; host: string; port: number }>,
  problems: string[],
): MpesaConfig {
  const production = server.environment === 'production';
  const emulator = readBoolean(env, 'HUDUMA_MPESA_EMULATOR', !production, problems);
  if (emulator && production) {
    problems.push('HUDUMA_MPESA_EMULATOR cannot be on in production (it fakes payments)');
  }
  // The app calls its own emulator over loopback, whatever address it listens on.
  const loopback = ['0.0.0.0', '::', ''].includes(server.host) ? '127.0.0.1' : server.host;
  const fallbackUrl = emulator ? `http://${loopback}:${server.port}${mpesaEmulatorPath}`
    : production ? 'https://api.safaricom.co.ke' : 'https://sandbox.safaricom.co.ke';
  const secret = (name: string, emulated: string) => env[name] ?? (emulator ? emulated : '');
  const shortcode = env.HUDUMA_MPESA_SHORTCODE ?? '222222';
  if (!/^\d{5,7}$/.test(shortcode)) {
    problems.push(`HUDUMA_MPESA_SHORTCODE must be 5 to 7 digits (got "${shortcode}")`);
  }
  const zone = env.HUDUMA_MPESA_TIMESTAMP_ZONE ?? 'kenya';
  if (zone !== 'kenya' && zone !== 'utc') {
    problems.push(`HUDUMA_MPESA_TIMESTAMP_ZONE must be kenya or utc (got "${zone}")`);
  }
  const fieldTypes = env.HUDUMA_MPESA_STK_FIELD_TYPES ?? 'numbers';
  if (fieldTypes !== 'numbers' && fieldTypes !== 'strings') {
    problems.push(`HUDUMA_MPESA_STK_FIELD_TYPES must be numbers or strings (got "${fieldTypes}")`);
  }
  return Object.freeze({
    baseUrl: readUrl(env, 'HUDUMA_MPESA_BASE_URL', fallbackUrl, problems),
    consumerKey: secret('HUDUMA_MPESA_CONSUMER_KEY', emulatorSecrets.consumerKey),
    consumerSecret: secret('HUDUMA_MPESA_CONSUMER_SECRET', emulatorSecrets.consumerSecret),
    shortcode,
    passkey: secret('HUDUMA_MPESA_PASSKEY', emulatorSecrets.passkey),
    initiator: secret('HUDUMA_MPESA_INITIATOR', emulatorSecrets.initiator),
    securityCredential: secret('HUDUMA_MPESA_SECURITY_CREDENTIAL',
      emulatorSecrets.securityCredential),
    timeoutMs: readWholeNumber(env, 'HUDUMA_MPESA_TIMEOUT_MS', 15_000,
      { min: 100, max: mpesaTimeoutMsMax }, problems),
    timestampZone: zone === 'utc' ? 'utc' : 'kenya',
    stkFieldTypes: fieldTypes === 'strings' ? 'strings' : 'numbers',
    emulator,
    emulatorPath: mpesaEmulatorPath,
    ...readMpesaCallbackConfig(env, {
      production, emulator, configured: env.HUDUMA_MPESA_CONSUMER_KEY !== undefined,
    }, problems),
  });
}

/** Safaricom's published callback sources (196.201.212-214.x). */
const safaricomCallbackSources: readonly string[] =
  ['196.201.212.0/24', '196.201.213.0/24', '196.201.214.0/24'];
const loopbackSources = ['127.0.0.0/8', '::1/128'];
const callbackTokenPattern = /^[A-Za-z0-9_-]{24,128}$/;

function readMpesaCallbackConfig(
  env: Env,
  mode: Readonly<{ production: boolean; emulator: boolean; configured: boolean }>,
  problems: string[],
): Pick<MpesaConfig, 'callbackToken' | 'allowedSources' | 'registerC2bUrls'> {
  // Generated when not set: fine for one process; a real paybill served by several processes
  // needs the same token in all of them, so production with Daraja credentials requires it.
  // Hex, so a generated token never holds a word Safaricom refuses in URLs (exe, cmd, sql).
  const required = mode.production && mode.configured;
  const token = env.HUDUMA_MPESA_CALLBACK_TOKEN ??
    (required ? '' : randomBytes(24).toString('hex'));
  if (!callbackTokenPattern.test(token)) {
    problems.push('HUDUMA_MPESA_CALLBACK_TOKEN must be 24 to 128 characters of A-Z a-z 0-9 _ -' +
      (required ? ' (required in production with HUDUMA_MPESA_CONSUMER_KEY)' : ''));
  }
  const allowedSources = readCidrList(env, 'HUDUMA_MPESA_ALLOWED_SOURCES', {
    fallback: [...safaricomCallbackSources, ...(mode.production ? [] : loopbackSources)],
    example: '196.201.214.0/24',
  }, problems);
  return {
    callbackToken: token,
    allowedSources,
    registerC2bUrls: readBoolean(env, 'HUDUMA_MPESA_REGISTER_C2B_URLS', mode.emulator, problems),
  };
}
