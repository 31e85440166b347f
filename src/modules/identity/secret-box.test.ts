import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isSealed, loadSecretBox, secretBoxOf } from './secret-box.ts';

describe('sealing staff secrets', () => {
  const box = secretBoxOf(randomBytes(32));

  it('opens what it sealed, for the same context only (property)', () => {
    fc.assert(fc.property(fc.string(), fc.string(), fc.string(), (plain, context, other) => {
      const sealed = box.seal(plain, context);
      assert.ok(isSealed(sealed));
      assert.equal(box.open(sealed, context), plain);
      if (other !== context) assert.throws(() => box.open(sealed, other), /did not open/);
    }));
  });

  it('hides the secret, seals it differently each time, and refuses a changed value', () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    const first = box.seal(secret, 'staff-1');
    assert.ok(!first.includes(secret));
    assert.notEqual(box.seal(secret, 'staff-1'), first);
    const [prefix, iv, body, tag] = first.split('.');
    const flipped = `${body?.startsWith('A') === true ? 'B' : 'A'}${body?.slice(1) ?? ''}`;
    assert.throws(() => box.open([prefix, iv, flipped, tag].join('.'), 'staff-1'), /did not open/);
    assert.throws(() => secretBoxOf(randomBytes(32)).open(first, 'staff-1'), /did not open/);
    assert.throws(() => box.open(secret, 'staff-1'), /not a sealed secret/);
  });

  it('refuses a sealed value whose tag was cut short (the whole 16 bytes are checked)', () => {
    const sealed = box.seal('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 'staff-1');
    const [prefix, iv, body, tag] = sealed.split('.');
    for (const bytes of [4, 8, 12, 15]) {
      const short = Buffer.from(tag ?? '', 'base64url').subarray(0, bytes).toString('base64url');
      assert.throws(() => box.open([prefix, iv, body, short].join('.'), 'staff-1'),
        /not a sealed secret|did not open/, `a ${bytes}-byte tag`);
    }
  });

  it('needs HUDUMA_SECRETS_KEY in production; keeps a generated key in the data folder',
    async () => {
      await assert.rejects(loadSecretBox({ environment: 'production', dataDirectory: '.',
        secretsKey: undefined }), /HUDUMA_SECRETS_KEY is required in production/);
      const folder = await mkdtemp(path.join(tmpdir(), 'huduma-secrets-'));
      try {
        const config = { environment: 'development', dataDirectory: folder,
          secretsKey: undefined } as const;
        const sealed = (await loadSecretBox(config)).seal('secret', 'staff-1');
        assert.equal((await loadSecretBox(config)).open(sealed, 'staff-1'), 'secret',
          'the next start reads the same key');
        const file = path.join(folder, 'secrets-key');
        assert.equal((await stat(file)).mode & 0o777, 0o600);
        const given = await loadSecretBox({ ...config,
          secretsKey: (await readFile(file, 'utf8')).trim() });
        assert.equal(given.open(sealed, 'staff-1'), 'secret');
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });
});
