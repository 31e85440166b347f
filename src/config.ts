/**
 * Configuration comes from the environment, is validated once at start, and is frozen.
 * Every setting has an embedded default, so `npm start` needs none of them.
 */
import { readCardsConfig, type CardsConfig } from './config-cards.ts';
import { readFederationConfig, type FederationConfig } from './config-federation.ts';
import { readMpesaConfig, type MpesaConfig } from './config-mpesa.ts';
import { readNotificationsConfig, type NotificationsConfig } from './config-notifications.ts';
import { readStorageConfig, type StorageConfig } from './config-storage.ts';
import { readUssdConfig, type UssdConfig } from './config-ussd.ts';
import {
  readBoolean,
  readCidrList,
  readDatabaseUrl,
  readPort,
  readUrl,
  readWholeNumber,
  type Env,
  type Environment,
} from './config-readers.ts';

export type { CardsConfig } from './config-cards.ts';
export type { MpesaConfig, MpesaTimestampZone } from './config-mpesa.ts';
export type { NotificationsConfig } from './config-notifications.ts';
export type { S3StorageConfig, StorageConfig } from './config-storage.ts';
export type { Environment } from './config-readers.ts';

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
  /** Card acquirer: where it is, our merchant keys, and whether the built-in emulator runs. */
  cards: CardsConfig;
  /** Sign in with Huduma: the OpenID Provider's signing key (config-federation.ts). */
  federation: FederationConfig;
  /** Where uploaded files are kept: a local folder, or an S3-compatible bucket. */
  storage: StorageConfig;
  /**
   * The Ed25519 key receipts are signed with (PKCS8 PEM, or base64 of the DER); required in
   * production. Unset elsewhere: generated and kept in the data folder (memory in tests).
   */
  signingKey: string | undefined;
  /**
   * Public keys of retired signing keys (SPKI PEM blocks, or base64 DER separated by commas):
   * receipts they signed still verify, and they are published beside the current key.
   */
  signingKeysRetired: string | undefined;
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
  /** Ranked search pages kept in memory per search index, and 4x as many hits (0: no cache). */
  searchCacheEntries: number;
  /**
   * The bearer token /metrics asks for (HUDUMA_METRICS_TOKEN); required in production. Unset
   * elsewhere: /metrics is open, as on a developer's machine.
   */
  metricsToken: string | undefined;
  /** Production on the embedded database, asked for by name (else production refuses it). */
  embeddedDatabaseInProduction: boolean;
  /** The USSD gateway and its simulator (src/config-ussd.ts). */
  ussd: UssdConfig;
}>;

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const environments: readonly Environment[] = ['development', 'test', 'production'];
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
  const cards = readCardsConfig(env, { environment, publicBaseUrl }, problems);
  const federation = readFederationConfig(env, problems);
  const dataDirectory = env.HUDUMA_DATA_DIR ?? './.huduma';
  const storage = readStorageConfig(env, dataDirectory, problems);
  const signingKey = readSigningKey(env, problems);
  // Checked when the documents module reads them (signing-keys.ts names a bad one).
  const signingKeysRetired = readOptionalText(env, 'HUDUMA_SIGNING_KEYS_RETIRED');
  const secretsKey = readSecretsKey(env, problems);
  const populationRegisterUrl = readOptionalText(env, 'HUDUMA_POPULATION_REGISTER_URL') ===
    undefined ? undefined : readUrl(env, 'HUDUMA_POPULATION_REGISTER_URL', '', problems);
  const trustedProxies = readCidrList(env, 'HUDUMA_TRUSTED_PROXIES',
    { fallback: [], example: '10.0.0.0/8' }, problems);
  const searchCacheEntries = readWholeNumber(env, 'HUDUMA_SEARCH_CACHE_ENTRIES', 5_000,
    { min: 0, max: 1_000_000 }, problems);
  const metricsToken = readToken(env, 'HUDUMA_METRICS_TOKEN', problems);
  const embeddedDatabaseInProduction = readBoolean(env, 'HUDUMA_EMBEDDED_DATABASE_IN_PRODUCTION',
    false, problems);
  const ussd = readUssdConfig(env, environment, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    environment,
    host,
    port,
    dataDirectory,
    databaseUrl,
    migrationDatabaseUrl,
    logLevel,
    seedDemoData,
    cookieSecure,
    publicBaseUrl,
    workersEnabled,
    notifications,
    mpesa,
    cards,
    federation,
    storage,
    signingKey,
    signingKeysRetired,
    secretsKey,
    populationRegisterUrl,
    trustedProxies,
    searchCacheEntries,
    metricsToken,
    embeddedDatabaseInProduction,
    ussd,
  });
}

/** The variable's text, or undefined when it is unset or blank. */
function readOptionalText(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw;
}

/** A secret token of 24-128 URL-safe characters, or undefined when unset; never echoed. */
function readToken(env: Env, name: string, problems: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^[A-Za-z0-9_-]{24,128}$/.test(raw)) {
    problems.push(`${name} must be 24 to 128 of A-Z a-z 0-9 _ - (e.g. openssl rand -hex 24)`);
    return undefined;
  }
  return raw;
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

