/**
 * The platform's Ed25519 signing key: from HUDUMA_SIGNING_KEY (PKCS8 PEM, or the base64 of
 * the PKCS8 DER) when set; required in production (the configuration refuses to start
 * without it). In development it is generated once and kept in the data folder, so receipts
 * printed yesterday still verify today; in tests a fresh key lives in memory only. After a
 * rotation the old key's public half goes in HUDUMA_SIGNING_KEYS_RETIRED: receipts name the key
 * that signed them (k), and are checked against that key (docs/receipt-signing.md).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync,
  type KeyObject } from 'node:crypto';
import path from 'node:path';
import type { Config } from '#config';
import { readOrMakeKeyFile } from '#platform/keys/index.ts';

/** A public key receipts are checked against, named by its id. */
export type VerificationKey = Readonly<{
  publicKey: KeyObject;
  /** First 16 hex digits of SHA-256 over the public key's DER: names the key in payloads. */
  keyId: string;
  publicKeyPem: string;
  /** RFC 8037 OKP JSON Web Key of the public key. */
  publicJwk: Readonly<Record<string, string>>;
}>;

/** The key this process signs with, and the retired keys whose receipts still verify. */
export type SigningKeys = VerificationKey & Readonly<{
  privateKey: KeyObject;
  /** Public keys of keys used before a rotation (HUDUMA_SIGNING_KEYS_RETIRED). */
  retired: readonly VerificationKey[];
}>;

const retiredKeysVariable = 'HUDUMA_SIGNING_KEYS_RETIRED';

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

export function verificationKeyOf(publicKey: KeyObject): VerificationKey {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = createHash('sha256').update(der).digest('hex').slice(0, 16);
  const jwk = publicKey.export({ format: 'jwk' });
  return Object.freeze({
    publicKey,
    keyId,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicJwk: Object.freeze({
      kty: String(jwk.kty), crv: String(jwk.crv), x: String(jwk.x), kid: keyId,
      use: 'sig', alg: 'EdDSA',
    }),
  });
}

export function signingKeysOf(
  privateKey: KeyObject,
  retired: readonly VerificationKey[] = [],
): SigningKeys {
  const current = verificationKeyOf(createPublicKey(privateKey));
  return Object.freeze({
    ...current,
    privateKey,
    retired: Object.freeze(retired.filter((key) => key.keyId !== current.keyId)),
  });
}

/**
 * Reads the retired public keys: SPKI PEM blocks, or base64 SPKI DER separated by commas or
 * white space. Throws naming the variable (never echoing it) when one is not an Ed25519 key.
 */
export function parseRetiredKeys(text: string): VerificationKey[] {
  const pems = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g);
  const parts = pems ?? text.split(/[\s,]+/).filter((part) => part !== '');
  return parts.map((part, index) => {
    let key: KeyObject;
    try {
      key = part.startsWith('-----BEGIN') ? createPublicKey(part)
        : createPublicKey({ key: Buffer.from(part, 'base64'), format: 'der', type: 'spki' });
    } catch {
      throw new Error(`${retiredKeysVariable}: key ${index + 1} is not a public key`);
    }
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new Error(`${retiredKeysVariable}: key ${index + 1} is not an Ed25519 key`);
    }
    return verificationKeyOf(key);
  });
}

/** The current or a retired key with this id; undefined for any other id. */
export function verificationKeyById(keys: SigningKeys, keyId: string):
  VerificationKey | undefined {
  return keyId === keys.keyId ? keys : keys.retired.find((key) => key.keyId === keyId);
}

export function generateSigningKeys(): SigningKeys {
  return signingKeysOf(generateKeyPairSync('ed25519').privateKey);
}

/** The key this process signs with, by the rules at the top of this file. */
export async function loadSigningKeys(
  config: Pick<Config, 'environment' | 'dataDirectory' | 'signingKey'> &
    Partial<Pick<Config, 'signingKeysRetired'>>,
): Promise<SigningKeys> {
  const retired = config.signingKeysRetired === undefined ? []
    : parseRetiredKeys(config.signingKeysRetired);
  if (config.signingKey !== undefined) {
    return signingKeysOf(parseSigningKey(config.signingKey), retired);
  }
  if (config.environment === 'production') {
    throw new Error('HUDUMA_SIGNING_KEY is required in production');
  }
  if (config.environment === 'test') {
    return signingKeysOf(generateSigningKeys().privateKey, retired);
  }
  const pem = await readOrMakeKeyFile(path.resolve(config.dataDirectory, developmentKeyFileName),
    () => generateSigningKeys().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  return signingKeysOf(parseSigningKey(pem), retired);
}
