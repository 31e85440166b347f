import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { isUuid } from '#platform/ids/index.ts';
import { memoryStorage, type FileStorage } from '#platform/storage/index.ts';
import {
  cleanFileName,
  demoForms,
  detectFileType,
  multipartBodyBytesMax,
  multipartTextBytesMax,
  readFormPost,
  readPostedPage,
  registerMultipart,
  type Answers,
  type FormDefinition,
} from './index.ts';

const passport = demoForms['ordinary-passport-34-pages'] as FormDefinition;
const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function png(size: number): Uint8Array {
  const bytes = new Uint8Array(size).fill(7);
  bytes.set(pngSignature);
  return bytes;
}

type Reply = { answers: Answers; errors: { field: string; messageKey: string }[];
  csrfSeen: string | undefined };

/** Memory storage that counts what was put in it. */
function countingStorage(): FileStorage & { puts: string[] } {
  const inner = memoryStorage();
  const puts: string[] = [];
  return {
    puts,
    put: async (key, bytes, type) => {
      puts.push(key);
      await inner.put(key, bytes, type);
    },
    get: (key) => inner.get(key),
    delete: (key) => inner.delete(key),
  };
}

/** A small app like a module's: formbody, the multipart parser, and a root preValidation hook
 *  that reads the CSRF field the way the access-control hook does. */
async function buildFormApp(storage: FileStorage): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: 1024 * 1024 });
  await app.register(fastifyFormbody);
  app.decorateRequest('csrfSeen', '');
  app.addHook('preValidation', async (request) => {
    const body = request.body as Record<string, unknown> | undefined;
    (request as unknown as { csrfSeen: unknown }).csrfSeen = body?._csrf;
    if (body !== undefined) delete body._csrf;
  });
  await app.register(async (scope) => {
    await registerMultipart(scope);
    scope.post<{ Params: { page: string }; Querystring: { previous?: string } }>(
      '/apply/:page', async (request) => {
        const previous = JSON.parse(request.query.previous ?? '{}') as Answers;
        const { answers, errors } = await readPostedPage(request, passport,
          request.params.page, storage, previous);
        return { answers, errors,
          csrfSeen: (request as unknown as { csrfSeen: unknown }).csrfSeen };
      });
    scope.post<{ Params: { page: string } }>('/raw/:page', async (request) =>
      readFormPost(request, passport, request.params.page, storage));
  });
  await app.ready();
  return app;
}

async function multipart(parts: Readonly<Record<string, string | Readonly<{ bytes: Uint8Array;
  type: string; name: string }>>>): Promise<{ payload: Buffer; contentType: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(parts)) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([new Uint8Array(value.bytes)], { type: value.type }),
      value.name);
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()),
    contentType: request.headers.get('content-type') ?? '' };
}

describe('readFormPost over HTTP', () => {
  const storage = countingStorage();
  let app: FastifyInstance | undefined;
  before(async () => {
    app = await buildFormApp(storage);
  });
  after(async () => {
    await app?.close();
  });

  async function postMultipart(page: string, parts: Parameters<typeof multipart>[0],
    previous: Answers = {}): Promise<{ status: number; reply: Reply }> {
    assert.ok(app !== undefined);
    const { payload, contentType } = await multipart(parts);
    const response = await app.inject({ method: 'POST',
      url: `/apply/${page}?previous=${encodeURIComponent(JSON.stringify(previous))}`,
      headers: { 'content-type': contentType }, payload });
    return { status: response.statusCode, reply: response.json<Reply>() };
  }

  it('reads an urlencoded page, with the CSRF field seen by hooks and not kept', async () => {
    assert.ok(app !== undefined);
    const response = await app.inject({ method: 'POST', url: '/apply/previousPassport',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'hadPassport=yes&previousPassportNumber=AK0123456&_csrf=token-1' });
    assert.equal(response.statusCode, 200);
    const reply = response.json<Reply>();
    assert.deepEqual(reply.answers, { hadPassport: true, previousPassportNumber: 'AK0123456' });
    assert.deepEqual(reply.errors, []);
    assert.equal(reply.csrfSeen, 'token-1');
    const raw = await app.inject({ method: 'POST', url: '/raw/previousPassport',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'hadPassport=no&_csrf=token-1&x=1&x=2' });
    assert.deepEqual(raw.json(), { posted: { fields: { hadPassport: 'no', x: ['1', '2'] },
      files: [] }, errors: [] });
  });

  it('stores a good PNG under a random key and answers with its ref', async () => {
    const bytes = png(5_000);
    const { status, reply } = await postMultipart('photo', { _csrf: 'token-2',
      photo: { bytes, type: 'image/png', name: '../../etc/My photo\u0007.png' } });
    assert.equal(status, 200);
    assert.equal(reply.csrfSeen, 'token-2', 'the CSRF field is there before preValidation');
    assert.deepEqual(reply.errors, []);
    const ref = reply.answers.photo as { fileId: string; name: string; type: string;
      size: number };
    assert.ok(isUuid(ref.fileId));
    assert.deepEqual({ ...ref, fileId: '' }, { fileId: '', name: 'My photo.png',
      type: 'image/png', size: 5_000 });
    const stored = await storage.get(ref.fileId);
    assert.equal(stored?.contentType, 'image/png');
    assert.deepEqual(Buffer.from(stored.bytes), Buffer.from(bytes));
  });

  it('refuses a file whose bytes are not the type it claims, with a field error', async () => {
    const putsBefore = storage.puts.length;
    const html = new TextEncoder().encode('<html><script>alert(1)</script></html>');
    const { status, reply } = await postMultipart('photo', {
      photo: { bytes: html, type: 'image/png', name: 'photo.png' } });
    assert.equal(status, 200);
    assert.deepEqual(reply.errors.map((error) => [error.field, error.messageKey]),
      [['photo', 'forms.error.fileType']]);
    assert.equal(reply.answers.photo, undefined);
    assert.equal(storage.puts.length, putsBefore, 'nothing stored');
    const pdf = new TextEncoder().encode('%PDF-1.7 a real pdf, but not a photo');
    const second = await postMultipart('photo', {
      photo: { bytes: pdf, type: 'image/jpeg', name: 'photo.jpg' } });
    assert.deepEqual(second.reply.errors.map((error) => error.messageKey),
      ['forms.error.fileType']);
  });

  it('refuses an oversize file with a field error (not a 413), keeping the old one', async () => {
    const earlier = { fileId: 'earlier', name: 'old.png', type: 'image/png', size: 10 };
    const { status, reply } = await postMultipart('photo', {
      photo: { bytes: png(2 * 1024 * 1024 + 1), type: 'image/png', name: 'big.png' } },
    { photo: earlier });
    assert.equal(status, 200);
    assert.deepEqual(reply.errors.map((error) => [error.field, error.messageKey]),
      [['photo', 'forms.error.fileTooLarge']]);
    assert.deepEqual(reply.answers.photo, earlier);
  });

  it('keeps the earlier file when no new one is chosen', async () => {
    const earlier = { fileId: 'earlier', name: 'old.png', type: 'image/png', size: 10 };
    const { reply } = await postMultipart('photo', {
      photo: { bytes: new Uint8Array(), type: 'application/octet-stream', name: '' } },
    { photo: earlier });
    assert.deepEqual(reply.errors, []);
    assert.deepEqual(reply.answers.photo, earlier);
  });

  it('ignores, and does not store, a file posted for a field not on the page', async () => {
    const before = storage.puts.length;
    const { reply } = await postMultipart('personal', { fullName: 'Wanjiku Kamau',
      photo: { bytes: png(100), type: 'image/png', name: 'me.png' } });
    assert.equal(storage.puts.length, before);
    assert.equal(reply.answers.photo, undefined);
    assert.equal(reply.answers.fullName, 'Wanjiku Kamau');
  });

  it('answers a malformed multipart body with a 400, and a huge one with a 413', async () => {
    assert.ok(app !== undefined);
    const malformed = await app.inject({ method: 'POST', url: '/apply/photo',
      headers: { 'content-type': 'multipart/form-data; boundary=zzz' }, payload: 'not multipart' });
    assert.equal(malformed.statusCode, 400);
    const huge = await app.inject({ method: 'POST', url: '/apply/photo',
      headers: { 'content-type': 'multipart/form-data; boundary=zzz' },
      payload: Buffer.alloc(multipartBodyBytesMax + 1) });
    assert.equal(huge.statusCode, 413);
    const wordy = await multipart({ fullName: 'x'.repeat(multipartTextBytesMax) });
    const tooMuchText = await app.inject({ method: 'POST', url: '/apply/personal',
      headers: { 'content-type': wordy.contentType }, payload: wordy.payload });
    assert.equal(tooMuchText.statusCode, 400);
  });
});

describe('file checks', () => {
  it('knows PNG, JPEG and PDF by their first bytes, and nothing else', () => {
    assert.equal(detectFileType(png(20)), 'image/png');
    assert.equal(detectFileType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0])), 'image/jpeg');
    assert.equal(detectFileType(new TextEncoder().encode('%PDF-1.4')), 'application/pdf');
    assert.equal(detectFileType(new TextEncoder().encode('GIF89a')), undefined);
    assert.equal(detectFileType(new Uint8Array()), undefined);
  });

  it('keeps only a printable last part of a file name', () => {
    assert.equal(cleanFileName('C:\\Users\\wanjiku\\photo.png'), 'photo.png');
    assert.equal(cleanFileName('../../x\u0000y.pdf'), 'xy.pdf');
    assert.equal(cleanFileName('   '), 'file');
    assert.equal([...cleanFileName(`${'a'.repeat(500)}.png`)].length, 120);
  });
});

describe('files inside a group', () => {
  const label = { en: 'Label', sw: 'Lebo' };
  const def: FormDefinition = { version: 1, pages: [{ id: 'documents', title: label, fields: [
    { id: 'documents', kind: 'group', label, required: true, minItems: 1, maxItems: 3, fields: [
      { id: 'title', kind: 'text', label, required: true },
      { id: 'scan', kind: 'file', label, required: true, accept: ['application/pdf'],
        maxBytes: 1_000 },
    ] },
  ] }] };

  it('stores each slot\'s file under its own path, and refuses a wrong one in place', async () => {
    const storage = memoryStorage();
    const app = Fastify();
    await app.register(async (scope) => {
      await registerMultipart(scope);
      scope.post('/documents', async (request) =>
        readPostedPage(request, def, 'documents', storage, {}));
    });
    try {
      const pdf = new TextEncoder().encode('%PDF-1.4 minutes');
      const { payload, contentType } = await multipart({
        'documents.0.title': 'Minutes', 'documents.0.scan': { bytes: pdf,
          type: 'application/pdf', name: 'minutes.pdf' },
        'documents.2.title': 'Photo', 'documents.2.scan': { bytes: png(50),
          type: 'application/pdf', name: 'photo.pdf' },
        'documents.1.scan': { bytes: png(50), type: 'application/pdf', name: 'alone.pdf' },
        'documents.9.scan': { bytes: pdf, type: 'application/pdf', name: 'no-slot.pdf' },
      });
      const response = await app.inject({ method: 'POST', url: '/documents',
        headers: { 'content-type': contentType }, payload });
      const reply = response.json<Reply>();
      const items = reply.answers.documents as { title: string; scan?: { name: string } }[];
      assert.deepEqual(items.map((item) => [item.title, item.scan?.name]),
        [['Minutes', 'minutes.pdf'], ['Photo', undefined]]);
      assert.deepEqual(reply.errors.map((error) => [error.field, error.messageKey]), [
        ['documents.1.scan', 'forms.error.fileType'],
        ['documents.2.scan', 'forms.error.fileType'],
      ], 'each refused upload is reported once, on the item its slot became (blank ones last)');
    } finally {
      await app.close();
    }
  });
});
