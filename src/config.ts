/**
 * Configuration comes from the environment, is validated once at start, and is frozen.
 * Every setting has an embedded default, so `npm start` needs none of them.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

export type Environment = 'development' | 'test' | 'production';

export type Config = Readonly<{
  environment: Environment;
  host: string;
  port: number;
  /** Folder of the embedded database (PGlite). Unused when databaseUrl is set. */
  dataDirectory: string;
  /** PostgreSQL connection string; when set, the embedded database is not used. */
  databaseUrl: string | undefined;
  /**
   * PostgreSQL login that owns the tables and applies migrations; unset: databaseUrl's. The
   * app's own queries always run as the role huduma_app.
   */
  migrationDatabaseUrl: string | undefined;
  logLevel: string;
  /** Load the demo catalogue into an empty database at start. */
  seedDemoData: boolean;
  /** Secure cookies need HTTPS; on by default in production. */
  cookieSecure: boolean;
  /** Base URL the platform is reached at, used in links it sends out. */
  publicBaseUrl: string;
  /** Run the outbox workers in this process; off for processes that only serve requests. */
  workersEnabled: boolean;
  /** SMS, e-mail and the development inbox. */
  notifications: NotificationsConfig;
  /** M-Pesa Daraja: where it is, our credentials, and whether the built-in emulator runs. */
  mpesa: MpesaConfig;
  /**
   * The Ed25519 key receipts are signed with (PKCS8 PEM, or base64 of the DER); required in
   * production. Unset elsewhere: generated and kept in the data folder (memory in tests).
   */
  signingKey: string | undefined;
  /**
   * The key staff authenticator secrets are sealed with (base64 of 32 bytes); required in
   * production. Unset elsewhere: generated and kept in the data folder (memory in tests).
   */
  secretsKey: string | undefined;
  /**
   * The population register's adapter (HTTP JSON, see the identity module). Unset: the
   * built-in register of synthetic people, except in production, where registration then
   * answers "register unavailable" rather than trust made-up people.
   */
  populationRegisterUrl: string | undefined;
  /**
   * CIDR ranges of the reverse proxies in front of the app, whose X-Forwarded-For is believed
   * (the client address then comes from it: callback allow-list, rate limits, audit). Empty:
   * the header is ignored, so nobody can claim another address by sending it.
   */
  trustedProxies: readonly string[];
  /** Ranked search pages kept in memory per search index (0: no cache). */
  searchCacheEntries: number;
}>;

export type MpesaTimestampZone = 'kenya' | 'utc';

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

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const environments: readonly Environment[] = ['development', 'test', 'production'];
const portMax = 65_535;
const secretsKeyLengthBytes = 32;

/** Reads and validates the configuration; throws ConfigError listing every bad value. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const environment = readEnvironment(env, problems);
  const port = readPort(env, 'PORT', 3000, problems);
  const databaseUrl = readDatabaseUrl(env, 'DATABASE_URL', problems);
  const migrationDatabaseUrl = readDatabaseUrl(env, 'HUDUMA_MIGRATION_DATABASE_URL', problems);
  if (migrationDatabaseUrl !== undefined && databaseUrl === undefined) {
    problems.push('HUDUMA_MIGRATION_DATABASE_URL needs DATABASE_URL (the embedded database ' +
      'has no separate logins)');
  }
  const logLevel = env.LOG_LEVEL ?? (environment === 'test' ? 'silent' : 'info');
  if (!logLevels.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')} (got "${logLevel}")`);
  }
  const seedDemoData = readBoolean(env, 'HUDUMA_DEMO_DATA', environment !== 'production', problems);
  const cookieSecure = readBoolean(
    env, 'HUDUMA_COOKIE_SECURE', environment === 'production', problems,
  );
  const host = env.HOST ?? '127.0.0.1';
  const publicBaseUrl = readUrl(env, 'HUDUMA_PUBLIC_URL', `http://localhost:${port}`, problems);
  const workersEnabled = readBoolean(env, 'HUDUMA_WORKERS', true, problems);
  const notifications = readNotificationsConfig(env, environment, problems);
  const mpesa = readMpesaConfig(env, { environment, host, port }, problems);
  const signingKey = readSigningKey(env, problems);
  const secretsKey = readSecretsKey(env, problems);
  const populationRegisterUrl = env.HUDUMA_POPULATION_REGISTER_URL === undefined ||
    env.HUDUMA_POPULATION_REGISTER_URL === ''
    ? undefined : readUrl(env, 'HUDUMA_POPULATION_REGISTER_URL', '', problems);
  const trustedProxies = readCidrList(env, 'HUDUMA_TRUSTED_PROXIES', problems);
  const searchCacheEntries = readWholeNumber(env, 'HUDUMA_SEARCH_CACHE_ENTRIES', 5_000,
    { min: 0, max: 1_000_000 }, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    environment,
    host,
    port,
    dataDirectory: env.HUDUMA_DATA_DIR ?? './.huduma',
    databaseUrl,
    migrationDatabaseUrl,
    logLevel,
    seedDemoData,
    cookieSecure,
    publicBaseUrl,
    workersEnabled,
    notifications,
    mpesa,
    signingKey,
    secretsKey,
    populationRegisterUrl,
    trustedProxies,
    searchCacheEntries,
  });
}

function readCidrList(env: Env, name: string, problems: string[]): readonly string[] {
  const list = (env[name] ?? '').split(',').map((part) => part.trim())
    .filter((part) => part !== '');
  const bad = list.find((range) => !isCidr(range));
  if (bad !== undefined) {
    problems.push(`${name} must be a comma-separated list of CIDR ranges like 10.0.0.0/8 ` +
      `(got "${bad}")`);
  }
  return Object.freeze(list);
}

function readSigningKey(env: Env, problems: string[]): string | undefined {
  const raw = env.HUDUMA_SIGNING_KEY;
  // Production without a key is refused when the documents module starts (it cannot sign).
  if (raw === undefined || raw.trim() === '') return undefined;
  // Never echo the value: it is a private key.
  if (!raw.trim().startsWith('-----BEGIN PRIVATE KEY-----') && !/^[A-Za-z0-9+/=\s]+$/.test(raw)) {
    problems.push('HUDUMA_SIGNING_KEY must be an Ed25519 private key (PKCS8 PEM or base64 DER)');
    return undefined;
  }
  return raw;
}

function readSecretsKey(env: Env, problems: string[]): string | undefined {
  const raw = env.HUDUMA_SECRETS_KEY;
  // Production without a key is refused when the identity module starts (it cannot seal).
  if (raw === undefined || raw.trim() === '') return undefined;
  // Never echo the value: it is a key.
  if (!/^[A-Za-z0-9+/]+=*$/.test(raw.trim()) ||
    Buffer.from(raw.trim(), 'base64').length !== secretsKeyLengthBytes) {
    problems.push(`HUDUMA_SECRETS_KEY must be the base64 of ${secretsKeyLengthBytes} random bytes`);
    return undefined;
  }
  return raw.trim();
}

function readEnvironment(env: Env, problems: string[]): Environment {
  const value = env.HUDUMA_ENV ?? env.NODE_ENV ?? 'development';
  const found = environments.find((candidate) => candidate === value);
  if (found === undefined) {
    problems.push(`HUDUMA_ENV must be one of ${environments.join(', ')} (got "${value}")`);
    return 'development';
  }
  return found;
}

function readPort(env: Env, name: string, fallback: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > portMax) {
    problems.push(`${name} must be a whole number from 0 to ${portMax} (got "${raw}")`);
    return fallback;
  }
  return Number(raw);
}

function readDatabaseUrl(env: Env, name: string, problems: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^postgres(ql)?:\/\//.test(raw) || !URL.canParse(raw)) {
    problems.push(`${name} must be a postgres:// or postgresql:// URL`);
    return undefined;
  }
  return raw;
}

function readBoolean(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return fallback;
}

function readUrl(env: Env, name: string, fallback: string, problems: string[]): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^https?:\/\//.test(raw) || !URL.canParse(raw)) {
    problems.push(`${name} must be an http:// or https:// URL (got "${raw}")`);
    return fallback;
  }
  return raw.replace(/\/+$/, '');
}

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

function readMpesaConfig(
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
    emulator,
    emulatorPath: mpesaEmulatorPath,
    ...readMpesaCallbackConfig(env, {
      production, emulator, configured: env.HUDUMA_MPESA_CONSUMER_KEY !== undefined,
    }, problems),
  });
}

/** Safaricom's published callback sources (196.201.212-214.x). */
export const safaricomCallbackSources: readonly string[] =
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
  const sourcesText = env.HUDUMA_MPESA_ALLOWED_SOURCES;
  const allowedSources = sourcesText === undefined || sourcesText.trim() === ''
    ? [...safaricomCallbackSources, ...(mode.production ? [] : loopbackSources)]
    : sourcesText.split(',').map((part) => part.trim()).filter((part) => part !== '');
  const badSource = allowedSources.find((source) => !isCidr(source));
  if (badSource !== undefined) {
    problems.push(`HUDUMA_MPESA_ALLOWED_SOURCES must be a comma-separated list of CIDR ranges ` +
      `like 196.201.214.0/24 (got "${badSource}")`);
  }
  return {
    callbackToken: token,
    allowedSources: Object.freeze(allowedSources),
    registerC2bUrls: readBoolean(env, 'HUDUMA_MPESA_REGISTER_C2B_URLS', mode.emulator, problems),
  };
}

function isCidr(text: string): boolean {
  const [address = '', prefix = '', extra] = text.split('/');
  if (extra !== undefined || !/^\d{1,3}$/.test(prefix)) return false;
  const version = isIP(address);
  return version !== 0 && Number(prefix) <= (version === 4 ? 32 : 128);
}

function readWholeNumber(
  env: Env,
  name: string,
  fallback: number,
  range: Readonly<{ min: number; max: number }>,
  problems: string[],
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= range.min && value <= range.max)) {
    problems.push(`${name} must be a whole number from ${range.min} to ${range.max} ` +
      `(got "${raw}")`);
    return fallback;
  }
  return value;
}

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

function readNotificationsConfig(
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
