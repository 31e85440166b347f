/**
 * Staff authenticator (TOTP) secrets are sealed before they reach the database: AES-256-GCM
 * under a key that never enters the database (HUDUMA_SECRETS_KEY, the base64 of 32 random
 * bytes; required in production), with the member of staff's id as associated data, so a copy
 * of the database gives nobody a second factor, and a sealed secret moved to another row does
 * not open. In development the key is generated once into the data folder; in tests each
 * process makes one in memory.
 *
 * Sealed form: `v1.<iv>.<ciphertext>.<tag>`, base64url. A value without the prefix is a secret
 * stored before sealing began; sealLegacyTotpSecrets seals those at start.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Config } from '#config';
import { readOrMakeKeyFile } from '#platform/keys/index.ts';

export type SecretBox = Readonly<{
  seal: (plain: string, context: string) => string;
  /** Throws when the value was sealed under another key or for another context. */
  open: (sealed: string, context: string) => string;
}>;

const version = 'v1';
const keyLengthBytes = 32;
const ivLengthBytes = 12;
/**
 * GCM's full 128-bit tag, demanded on opening: without `authTagLength` Node accepts a tag cut
 * to as little as 4 bytes, and a forger then needs about 2^32 tries, not 2^128.
 */
const authTagLengthBytes = 16;
const developmentKeyFileName = 'secrets-key';

/** What every sealed value starts with. */
export const sealedPrefix = `${version}.`;

export function isSealed(value: string): boolean {
  return value.startsWith(sealedPrefix);
}

export function parseSecretsKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== keyLengthBytes) {
    throw new Error(`HUDUMA_SECRETS_KEY must be the base64 of ${keyLengthBytes} bytes`);
  }
  return key;
}

export function secretBoxOf(key: Buffer): SecretBox {
  if (key.length !== keyLengthBytes) throw new Error('a secrets key is 32 bytes');
  return Object.freeze({
    seal: (plain, context) => {
      const iv = randomBytes(ivLengthBytes);
      const cipher = createCipheriv('aes-256-gcm', key, iv,
        { authTagLength: authTagLengthBytes });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [version, iv, sealed, cipher.getAuthTag()]
        .map((part) => typeof part === 'string' ? part : part.toString('base64url')).join('.');
    },
    open: (sealed, context) => {
      const [prefix, iv, body, tag, ...rest] = sealed.split('.');
      if (prefix !== version || iv === undefined || body === undefined || tag === undefined ||
        rest.length > 0) {
        throw new Error('not a sealed secret');
      }
      const tagBytes = Buffer.from(tag, 'base64url');
      if (tagBytes.length !== authTagLengthBytes) throw new Error('not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'),
        { authTagLength: authTagLengthBytes });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tagBytes);
      try {
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()])
          .toString('utf8');
      } catch {
        throw new Error('a sealed secret did not open: HUDUMA_SECRETS_KEY is not the key it ' +
          'was sealed with, or the value was moved or changed');
      }
    },
  });
}

let testBox: SecretBox | undefined;

/** The box this process seals with, by the rules at the top of this file. */
export async function loadSecretBox(
  config: Pick<Config, 'environment' | 'dataDirectory' | 'secretsKey'>,
): Promise<SecretBox> {
  if (config.secretsKey !== undefined) return secretBoxOf(parseSecretsKey(config.secretsKey));
  if (config.environment === 'production') {
    throw new Error('HUDUMA_SECRETS_KEY is required in production');
  }
  if (config.environment === 'test') {
    testBox ??= secretBoxOf(randomBytes(keyLengthBytes));
    return testBox;
  }
  const key = await readOrMakeKeyFile(path.resolve(config.dataDirectory, developmentKeyFileName),
    () => randomBytes(keyLengthBytes).toString('base64'));
  return secretBoxOf(parseSecretsKey(key));
}
