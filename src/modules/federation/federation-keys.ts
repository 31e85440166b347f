/**
 * The key the provider signs ID tokens with (RS256): from HUDUMA_OIDC_SIGNING_KEY in
 * production; elsewhere made once into the data folder (so a restart keeps the published
 * JWKS and the tokens already issued stay valid), or once per process in tests.
 */
import { createHash, createPrivateKey, generateKeyPairSync, type JsonWebKey,
  type KeyObject } from 'node:crypto';
import path from 'node:path';
import type { Config } from '#config';
import { readOrMakeKeyFile } from '#platform/keys/index.ts';

const developmentKeyFileName = 'oidc-signing-key.pem';
let testKeyPem: string | undefined;

export type ProviderKeys = Readonly<{
  /** The private JWK set the provider signs with (kid: the key's thumbprint). */
  jwks: Readonly<{ keys: JsonWebKey[] }>;
  /** Keys for the provider's own cookies, derived from the signing key. */
  cookieKeys: readonly string[];
}>;

function makePem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    .export({ type: 'pkcs8', format: 'pem' }).toString();
}

function algorithmOf(key: KeyObject): 'RS256' | 'ES256' {
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) {
    return 'RS256';
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return 'ES256';
  }
  throw new Error('HUDUMA_OIDC_SIGNING_KEY must be an RSA key of 2048 bits or more, or P-256');
}

/** The provider's keys from a PKCS8 PEM private key. */
export function providerKeysOf(pem: string): ProviderKeys {
  const key = createPrivateKey(pem);
  const alg = algorithmOf(key);
  const jwk = key.export({ format: 'jwk' });
  const kid = createHash('sha256').update(JSON.stringify(
    alg === 'RS256' ? { e: jwk.e, kty: jwk.kty, n: jwk.n }
      : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest('base64url');
  const cookieKey = createHash('sha256').update('huduma-oidc-cookies\n').update(pem)
    .digest('base64url');
  return { jwks: { keys: [{ ...jwk, kid, alg, use: 'sig' }] }, cookieKeys: [cookieKey] };
}

/** The keys this process signs with, by the rules at the top of this file. */
export async function loadProviderKeys(
  config: Pick<Config, 'environment' | 'dataDirectory' | 'federation'>,
): Promise<ProviderKeys> {
  if (config.federation.signingKey !== undefined) {
    return providerKeysOf(config.federation.signingKey);
  }
  if (config.environment === 'production') {
    throw new Error('HUDUMA_OIDC_SIGNING_KEY is required in production');
  }
  if (config.environment === 'test') {
    testKeyPem ??= makePem();
    return providerKeysOf(testKeyPem);
  }
  return providerKeysOf(await readOrMakeKeyFile(
    path.resolve(config.dataDirectory, developmentKeyFileName), makePem));
}
