/**
 * The platform's Ed25519 signing key: from HUDUMA_SIGNING_KEY (PKCS8 PEM, or the base64 of
 * the PKCS8 DER) when set; required in production (the configuration refuses to start
 * without it). In development it is generated once and kept in the data folder, so receipts
 * printed yesterday still verify today; in tests a fresh key lives in memory only.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync,
  type KeyObject } from 'node:crypto';
import path from 'node:path';
import type { Config } from '#config';
import { readOrMakeKeyFile } from '#platform/keys/index.ts';

export type SigningKeys = Readonly<{
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** First 16 hex digits of SHA-256 over the public key's DER: names the key in payloads. */
  keyId: string;
  publicKeyPem: string;
  /** RFC 8037 OKP JSON Web Key of the public key. */
  publicJwk: Readonly<Record<string, string>>;
}>;

const developmentKeyFileName = 'signing-key.pem';

/** Reads a key given as PEM or as base64 PKCS8 DER; throws if it is not an Ed25519 key. */
export function parseSigningKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN')
    ? createPrivateKey(trimmed)
    : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`the signing key must be Ed25519 (got ${String(key.asymmetricKeyType)})`);
  }
  return key;
}

export function signingKeysOf(privateKey: KeyObject): SigningKeys {
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = createHash('sha256').update(der).digest('hex').slice(0, 16);
  const jwk = publicKey.export({ format: 'jwk' });
  return Object.freeze({
    privateKey,
    publicKey,
    keyId,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicJwk: Object.freeze({
      kty: String(jwk.kty), crv: String(jwk.crv), x: String(jwk.x), kid: keyId,
      use: 'sig', alg: 'EdDSA',
    }),
  });
}

export function generateSigningKeys(): SigningKeys {
  return signingKeysOf(generateKeyPairSync('ed25519').privateKey);
}

/** The key this process signs with, by the rules at the top of this file. */
export async function loadSigningKeys(
  config: Pick<Config, 'environment' | 'dataDirectory' | 'signingKey'>,
): Promise<SigningKeys> {
  if (config.signingKey !== undefined) return signingKeysOf(parseSigningKey(config.signingKey));
  if (config.environment === 'production') {
    throw new Error('HUDUMA_SIGNING_KEY is required in production');
  }
  if (config.environment === 'test') return generateSigningKeys();
  const pem = await readOrMakeKeyFile(path.resolve(config.dataDirectory, developmentKeyFileName),
    () => generateSigningKeys().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  return signingKeysOf(parseSigningKey(pem));
}
