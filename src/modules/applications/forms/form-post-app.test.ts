/**
 * A multipart form post through the real app: the access-control hook finds the CSRF field
 * of a multipart body (parsed before any hook), refuses a post without it, and the input
 * guard and error pages leave the files alone.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { csrfField } from '#modules/authorisation/index.ts';
import type { HudumaModule } from '#platform/module.ts';
import { memoryStorage } from '#platform/storage/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { FormClient } from '#test/helpers/form-client.ts';
import { modules } from '../../../modules.ts';
import { demoForms, readPostedPage, registerMultipart, type FormDefinition } from './index.ts';

const passport = demoForms['ordinary-passport-34-pages'] as FormDefinition;
const page = { access: 'public' } as const;

async function multipartPayload(csrf: string | undefined, bytes: Uint8Array):
Promise<{ payload: Buffer; contentType: string }> {
  const form = new FormData();
  if (csrf !== undefined) form.append('_csrf', csrf);
  form.append('photo', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'me.png');
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()),
    contentType: request.headers.get('content-type') ?? '' };
}

describeOnDatabases('multipart form posts through the real app', (database) => {
  const storage = memoryStorage();
  let app: FastifyInstance | undefined;
  const testModule: HudumaModule = {
    name: 'forms-test',
    errors: {},
    messages: { en: {}, sw: {} },
    routes: async (scope) => {
      await registerMultipart(scope);
      scope.get('/forms-test', { config: page }, async (request, reply) =>
        reply.type('text/html').send(`<form>${csrfField(request).value}</form>`));
      scope.post('/forms-test', { config: page }, async (request) =>
        readPostedPage(request, passport, 'photo', storage, {}));
    },
  };
  before(async () => {
    app = await buildTestApp(database(), { modules: [...modules, testModule] });
  });
  after(async () => {
    await app?.close();
  });

  it('accepts a multipart post carrying its CSRF field, and refuses one without', async () => {
    assert.ok(app !== undefined);
    const client = new FormClient(app);
    assert.equal((await client.get('/forms-test')).statusCode, 200);
    const token = client.csrfToken;
    assert.ok(token !== undefined);
    const png = new Uint8Array(300).fill(1);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const good = await multipartPayload(token, png);
    const accepted = await app.inject({ method: 'POST', url: '/forms-test',
      headers: { cookie: client.cookieHeader, 'content-type': good.contentType },
      payload: good.payload });
    assert.equal(accepted.statusCode, 200, accepted.body.slice(0, 300));
    const reply = accepted.json<{ answers: { photo?: { name: string; fileId: string } };
      errors: unknown[] }>();
    assert.deepEqual(reply.errors, []);
    assert.equal(reply.answers.photo?.name, 'me.png');
    assert.ok(await storage.get(reply.answers.photo.fileId) !== undefined);

    const forged = await multipartPayload(undefined, png);
    const refused = await app.inject({ method: 'POST', url: '/forms-test',
      headers: { cookie: client.cookieHeader, 'content-type': forged.contentType,
        accept: 'text/html' }, payload: forged.payload });
    assert.equal(refused.statusCode, 403);
  });
});
