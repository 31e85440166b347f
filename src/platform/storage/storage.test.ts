import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadConfig } from '#config';
import { startS3TestServer, type S3TestServer } from '#test/helpers/s3-server.ts';
import {
  isValidFileKey,
  localFolderStorage,
  memoryStorage,
  newFileKey,
  s3Storage,
  storageFor,
  type FileStorage,
} from './index.ts';

const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 0x0a, 3]);

/** The behaviour every adapter shares. */
async function checkRoundTrip(storage: FileStorage): Promise<void> {
  const key = newFileKey('uploads');
  assert.equal(await storage.get(key), undefined);
  await storage.put(key, png, 'image/png');
  const found = await storage.get(key);
  assert.deepEqual(found?.contentType, 'image/png');
  assert.deepEqual(Buffer.from(found?.bytes ?? []), Buffer.from(png));
  await storage.put(key, Uint8Array.from([1]), 'application/pdf');
  assert.deepEqual(await storage.get(key).then((file) => file?.contentType), 'application/pdf');
  await storage.delete(key);
  assert.equal(await storage.get(key), undefined);
  await storage.delete(key);
}

describe('file storage keys', () => {
  it('makes random keys that are valid and never repeat', () => {
    const keys = new Set(Array.from({ length: 200 }, () => newFileKey()));
    assert.equal(keys.size, 200);
    for (const key of keys) assert.ok(isValidFileKey(key));
    assert.match(newFileKey('uploads'), /^uploads\/[0-9a-f-]{36}$/);
  });

  it('refuses keys that could leave the folder or bucket', () => {
    for (const key of ['../etc/passwd', 'a/../../b', '/etc/passwd', '.', '..', 'a//b', '',
      'a\\..\\b', 'a/./b', 'a\u0000b', 'a b']) {
      assert.equal(isValidFileKey(key), false, key);
    }
  });
});

describe('memory storage', () => {
  it('stores, replaces, reads and deletes', async () => {
    await checkRoundTrip(memoryStorage());
  });
});

describe('local folder storage', () => {
  let directory = '';
  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'huduma-files-'));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('stores, replaces, reads and deletes', async () => {
    await checkRoundTrip(localFolderStorage(directory));
  });

  it('refuses path traversal on every operation and writes nothing outside', async () => {
    const storage = localFolderStorage(path.join(directory, 'inner'));
    await writeFile(path.join(directory, 'secret'), 'text/plain\nsecret');
    for (const key of ['../secret', 'a/../../secret', '/secret', '..']) {
      await assert.rejects(storage.get(key), /invalid file storage key/);
      await assert.rejects(storage.put(key, png, 'image/png'), /invalid file storage key/);
      await assert.rejects(storage.delete(key), /invalid file storage key/);
    }
    assert.equal(await readFile(path.join(directory, 'secret'), 'utf8'), 'text/plain\nsecret');
  });

  it('refuses a content type that would break its first line', async () => {
    const storage = localFolderStorage(directory);
    await assert.rejects(storage.put(newFileKey(), png, 'image/png\nx'), /invalid content type/);
  });

  it('writes through a temporary file and a rename: readers see old or new, whole', async () => {
    const storage = localFolderStorage(path.join(directory, 'atomic'));
    const key = 'one';
    const old = new Uint8Array(256 * 1024).fill(1);
    const next = new Uint8Array(256 * 1024).fill(2);
    await storage.put(key, old, 'application/pdf');
    const reads: Promise<void>[] = [];
    const writes = storage.put(key, next, 'image/png');
    for (let index = 0; index < 20; index += 1) {
      reads.push(storage.get(key).then((file) => {
        assert.ok(file !== undefined);
        const first = file.bytes[0];
        assert.ok(first === 1 || first === 2);
        assert.equal(file.bytes.length, old.length);
        assert.ok(file.bytes.every((byte) => byte === first), 'never a mix of old and new');
        assert.equal(file.contentType, first === 1 ? 'application/pdf' : 'image/png');
      }));
    }
    await Promise.all([writes, ...reads]);
    assert.deepEqual(await readdir(path.join(directory, 'atomic')), ['one'], 'no temp left');
  });

  it('leaves the old file whole when a write fails, and no temporary file', async () => {
    const storage = localFolderStorage(path.join(directory, 'failing'));
    await storage.put('kept', png, 'image/png');
    const failing = {
      get byteLength(): number {
        throw new Error('disk gone');
      },
    } as unknown as Uint8Array;
    await assert.rejects(storage.put('kept', failing, 'image/png'));
    assert.deepEqual(Buffer.from((await storage.get('kept'))?.bytes ?? []), Buffer.from(png));
    assert.deepEqual(await readdir(path.join(directory, 'failing')), ['kept']);
  });

  it('keeps any bytes and type exactly (property)', async () => {
    const storage = localFolderStorage(path.join(directory, 'property'));
    await fc.assert(fc.asyncProperty(
      fc.uint8Array({ maxLength: 2_000 }),
      fc.constantFrom('image/png', 'image/jpeg', 'application/pdf', 'text/plain'),
      async (bytes, contentType) => {
        const key = newFileKey();
        await storage.put(key, bytes, contentType);
        const found = await storage.get(key);
        assert.deepEqual(found?.contentType, contentType);
        assert.deepEqual(Buffer.from(found?.bytes ?? []), Buffer.from(bytes));
      },
    ), { numRuns: 40 });
  });
});

describe('S3 storage over HTTP with the real SDK', () => {
  let server: S3TestServer | undefined;
  const bucket = 'huduma-files';
  const options = (endpoint: string, secret = 'test-secret') => ({
    endpoint, region: 'eu-west-1', bucket, forcePathStyle: true,
    accessKeyId: 'test-key', secretAccessKey: secret,
  });
  before(async () => {
    server = await startS3TestServer(bucket);
  });
  after(async () => {
    await server?.close();
  });

  it('puts, gets and deletes objects, each request signed with SigV4', async () => {
    assert.ok(server !== undefined);
    await checkRoundTrip(s3Storage(options(server.endpoint)));
    assert.ok(server.requests.length >= 6);
    for (const request of server.requests) {
      assert.match(request.authorization ?? '', /^AWS4-HMAC-SHA256 Credential=test-key\//);
    }
    assert.ok(server.requests.some((request) => /^PUT \/huduma-files\/uploads\//.test(
      request.line)));
  });

  it('stores the bytes and type it was given', async () => {
    assert.ok(server !== undefined);
    const storage = s3Storage(options(server.endpoint));
    const key = newFileKey();
    await storage.put(key, png, 'image/png');
    const stored = server.objects.get(key);
    assert.equal(stored?.contentType, 'image/png');
    assert.deepEqual(stored.body, Buffer.from(png));
  });

  it('refuses bad keys before any request', async () => {
    assert.ok(server !== undefined);
    const storage = s3Storage(options(server.endpoint));
    const before = server.requests.length;
    await assert.rejects(storage.get('../other-bucket/x'), /invalid file storage key/);
    assert.equal(server.requests.length, before);
  });

  it('is the adapter the configuration picks when endpoint and bucket are set', async () => {
    assert.ok(server !== undefined);
    const config = loadConfig({
      HUDUMA_S3_ENDPOINT: server.endpoint, HUDUMA_S3_BUCKET: bucket,
      HUDUMA_S3_ACCESS_KEY_ID: 'test-key', HUDUMA_S3_SECRET_ACCESS_KEY: 'test-secret',
    });
    const storage = storageFor(config);
    const key = newFileKey();
    await storage.put(key, png, 'image/png');
    assert.ok(server.objects.has(key));
  });
});

describe('storage configuration', () => {
  it('keeps files under the data folder by default, or in HUDUMA_FILES_DIR', () => {
    assert.deepEqual(loadConfig({}).storage,
      { filesDirectory: path.join('.huduma', 'files'), s3: undefined });
    assert.equal(loadConfig({ HUDUMA_DATA_DIR: '/var/lib/huduma' }).storage.filesDirectory,
      '/var/lib/huduma/files');
    assert.equal(loadConfig({ HUDUMA_FILES_DIR: '/srv/files' }).storage.filesDirectory,
      '/srv/files');
  });

  it('reads the S3 settings, with a default region and path-style addressing', () => {
    const { s3 } = loadConfig({
      HUDUMA_S3_ENDPOINT: 'https://s3.example.org/', HUDUMA_S3_BUCKET: 'huduma',
    }).storage;
    assert.deepEqual(s3, {
      endpoint: 'https://s3.example.org', region: 'us-east-1', bucket: 'huduma',
      accessKeyId: undefined, secretAccessKey: undefined, forcePathStyle: true,
    });
  });

  it('names every half-set or bad S3 setting, never echoing the secret', () => {
    assert.throws(() => loadConfig({ HUDUMA_S3_BUCKET: 'huduma' }),
      /HUDUMA_S3_ENDPOINT and HUDUMA_S3_BUCKET go together/);
    assert.throws(() => loadConfig({
      HUDUMA_S3_ENDPOINT: 'ftp://x', HUDUMA_S3_BUCKET: 'Bad_Bucket', HUDUMA_S3_REGION: 'x y',
      HUDUMA_S3_SECRET_ACCESS_KEY: 'very-secret-value',
    }), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /HUDUMA_S3_ENDPOINT must be an http/);
      assert.match(error.message, /HUDUMA_S3_BUCKET must be a bucket name/);
      assert.match(error.message, /HUDUMA_S3_REGION must be/);
      assert.match(error.message, /go together/);
      assert.doesNotMatch(error.message, /very-secret-value/);
      return true;
    });
  });
});
