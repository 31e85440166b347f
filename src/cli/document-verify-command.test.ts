import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  generateSigningKeys,
  renderDocumentPdf,
  signDocumentFacts,
  type SignedDocumentFacts,
} from '#modules/documents/index.ts';

const root = path.resolve(import.meta.dirname, '../..');
const node = path.join(root, 'node_modules/.bin/node');
const keys = generateSigningKeys();

function factsOf(overrides: Partial<SignedDocumentFacts> = {}): SignedDocumentFacts {
  return {
    number: 'HD-7K2M9-QX4PL', template: 'permit', serviceName: 'Fishing Permit',
    agencyName: 'Kenya Fisheries Service', holderName: 'Otieno Odhiambo',
    issuedOn: '2026-12-03', expiresOn: '2099-12-31', keyId: keys.keyId, ...overrides,
  };
}

type Run = Readonly<{ code: number; stdout: string }>;

describe('huduma document verify (the real command, no database)', () => {
  let folder = '';
  const payload = signDocumentFacts(keys.privateKey, factsOf());
  const file = (name: string) => path.join(folder, name);

  const run = async (args: readonly string[], env: Record<string, string> = {}): Promise<Run> => {
    const result = await promisify(execFile)(node,
      ['src/cli/main.ts', 'document', 'verify', ...args], {
        cwd: root,
        // No DATABASE_URL, and a data folder that does not exist: nothing but the key is used.
        env: { PATH: process.env.PATH ?? '', HUDUMA_ENV: 'test', LOG_LEVEL: 'silent',
          HUDUMA_DATA_DIR: file('no-such-folder'), ...env },
      }).then(({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }));
    return result;
  };

  before(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'huduma-document-verify-'));
    await writeFile(file('key.pub.pem'), keys.publicKeyPem);
    await writeFile(file('other.pub.pem'), generateSigningKeys().publicKeyPem);
    await writeFile(file('document.pdf'), await renderDocumentPdf({
      nationalLine: 'Republic of Kenya', agencyName: 'Kenya Fisheries Service',
      title: 'Permit: Fishing Permit', rows: [['Issued to', 'Otieno Odhiambo']],
      verifyUrl: `http://localhost:3000/verify?p=${payload}`, verifyCaption: 'Verify',
      payloadCaption: 'Signed code:', payload, issuedAt: new Date('2026-12-03T08:00:00Z'),
    }));
    await writeFile(file('scanned.txt'),
      `https://huduma.example/verify?p=${encodeURIComponent(payload)}\n`);
  });
  after(async () => rm(folder, { recursive: true, force: true }));

  it('says VALID, with the facts, for a PDF and for the payload, exit 0', async () => {
    for (const input of [file('document.pdf'), payload, file('scanned.txt')]) {
      const result = await run([input, '--key', file('key.pub.pem')]);
      assert.equal(result.code, 0, result.stdout);
      assert.match(result.stdout, /^VALID/);
      assert.match(result.stdout, /holder: +Otieno Odhiambo/);
      assert.match(result.stdout, /number: +HD-7K2M9-QX4PL/);
    }
  });

  it('uses the configured signing key when no --key is given', async () => {
    const signingKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const result = await run([file('document.pdf')], { HUDUMA_SIGNING_KEY: signingKey });
    assert.equal(result.code, 0, result.stdout);
    const stranger = await run([file('document.pdf')]);
    assert.equal(stranger.code, 1, 'a fresh test key did not sign it');
    assert.match(stranger.stdout, /BAD SIGNATURE/);
  });

  it('exits 1 for a changed payload, another key, an expired document, or no payload', async () => {
    const tampered = payload.replace(/.{4}$/, 'AAAA');
    const expired = signDocumentFacts(keys.privateKey,
      factsOf({ issuedOn: '2025-01-02', expiresOn: '2026-01-31' }));
    await writeFile(file('notes.txt'), 'nothing to see');
    const cases: readonly (readonly [readonly string[], RegExp])[] = [
      [[tampered, '--key', file('key.pub.pem')], /BAD SIGNATURE/],
      [[payload, '--key', file('other.pub.pem')], /BAD SIGNATURE/],
      [[expired, '--key', file('key.pub.pem')], /EXPIRED.*2026-01-31/],
      [[file('notes.txt'), '--key', file('key.pub.pem')], /NOT A DOCUMENT/],
    ];
    for (const [args, expected] of cases) {
      const result = await run(args);
      assert.equal(result.code, 1, result.stdout);
      assert.match(result.stdout, expected);
    }
    const usage = await run([]);
    assert.equal(usage.code, 2);
    const noKey = await run([payload], { HUDUMA_ENV: 'development' });
    assert.equal(noKey.code, 2, noKey.stdout);
    assert.match(noKey.stdout, /NO KEY/);
  });
});
