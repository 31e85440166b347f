import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { generateSigningKeys, loadSigningKeys } from './signing-keys.ts';

describe('the signing key', () => {
  it('is generated once in development and kept in the data folder', async () => {
    const dataDirectory = await mkdtemp(path.join(tmpdir(), 'huduma-keys-'));
    try {
      const config = { environment: 'development' as const, dataDirectory,
        signingKey: undefined };
      const first = await loadSigningKeys(config);
      const second = await loadSigningKeys(config);
      assert.equal(second.keyId, first.keyId);
      const file = await stat(path.join(dataDirectory, 'signing-key.pem'));
      assert.equal(file.mode & 0o077, 0, 'nobody but the owner reads the private key');
    } finally {
      await rm(dataDirectory, { recursive: true, force: true });
    }
  });

  it('is required in production, and taken from the configuration when given', async () => {
    await assert.rejects(loadSigningKeys({ environment: 'production', dataDirectory: '.',
      signingKey: undefined }), /HUDUMA_SIGNING_KEY is required in production/);
    const given = generateSigningKeys();
    const pem = given.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const loaded = await loadSigningKeys({ environment: 'production', dataDirectory: '.',
      signingKey: pem });
    assert.equal(loaded.keyId, given.keyId);
  });
});
