/**
 * What production needs before it may start, checked all at once before the database is
 * touched: a start that migrates and then dies for want of a key, one key per attempt, is
 * what this prevents. Every missing or unusable item is named in one message. Values are
 * never echoed (most are secrets).
 */
import { createPrivateKey } from 'node:crypto';
import type { Config } from './config.ts';
import type { Env } from './config-readers.ts';

/** An environment variable production must have, and why, for the message. */
const requiredInProduction: readonly Readonly<{ name: string; why: string }>[] = [
  { name: 'HUDUMA_SIGNING_KEY', why: 'receipts are signed with it' },
  { name: 'HUDUMA_SECRETS_KEY', why: 'staff authenticator secrets are sealed with it' },
  { name: 'HUDUMA_OIDC_SIGNING_KEY', why: 'Sign in with Huduma signs ID tokens with it' },
  { name: 'HUDUMA_PUBLIC_URL', why: 'links sent to people and M-Pesa point at it' },
  { name: 'HUDUMA_SMS_URL', why: 'sign-in codes and payment notices go by SMS' },
  { name: 'HUDUMA_SMTP_URL', why: 'e-mail goes through it' },
  { name: 'HUDUMA_METRICS_TOKEN', why: '/metrics answers only a bearer of it' },
  { name: 'HUDUMA_POPULATION_REGISTER_URL', why: 'registration checks people against it' },
  { name: 'HUDUMA_MPESA_CONSUMER_KEY', why: 'Daraja credentials' },
  { name: 'HUDUMA_MPESA_CONSUMER_SECRET', why: 'Daraja credentials' },
  { name: 'HUDUMA_MPESA_PASSKEY', why: 'STK push needs it' },
  { name: 'HUDUMA_MPESA_CALLBACK_TOKEN', why: 'the same callback URLs in every process' },
];

const isSet = (env: Env, name: string) => (env[name] ?? '').trim() !== '';

/**
 * The problems that stop a production start (empty outside production): every required
 * variable that is unset, the embedded database unless asked for by name, and keys that do
 * not parse.
 */
export function productionProblems(config: Config, env: Env): readonly string[] {
  if (config.environment !== 'production') return [];
  const problems = requiredInProduction.filter(({ name }) => !isSet(env, name))
    .map(({ name, why }) => `${name} is required in production (${why})`);
  if (config.databaseUrl === undefined && config.embeddedDatabaseInProduction !== true) {
    problems.push('DATABASE_URL is required in production (the embedded database is one ' +
      'process with its data in a local folder; to run production on it all the same, set ' +
      'HUDUMA_EMBEDDED_DATABASE_IN_PRODUCTION=on)');
  }
  if (config.signingKey !== undefined && !isEd25519PrivateKey(config.signingKey)) {
    problems.push('HUDUMA_SIGNING_KEY must be an Ed25519 private key (PKCS8 PEM or base64 ' +
      'DER); this one does not parse as one');
  }
  return problems;
}

function isEd25519PrivateKey(text: string): boolean {
  const trimmed = text.trim();
  try {
    const key = trimmed.startsWith('-----BEGIN')
      ? createPrivateKey(trimmed)
      : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
    return key.asymmetricKeyType === 'ed25519';
  } catch {
    return false;
  }
}
