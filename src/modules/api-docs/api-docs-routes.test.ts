/**
 * The documentation pages read no database, so they run on PGlite only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { HudumaModule } from '#platform/module.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { openTestDatabase } from '#test/helpers/databases.ts';
import { apiDocsModule } from './index.ts';

const exampleModule: HudumaModule = {
  name: 'example',
  errors: {},
  messages: { en: {}, sw: {} },
  routes: async (app) => {
    app.get('/api/v1/examples/:slug', {
      config: { access: 'public' },
      schema: {
        tags: ['examples'],
        summary: 'One <example>',
        params: { type: 'object', properties: { slug: { type: 'string' } }, required: ['slug'] },
        querystring: { type: 'object', properties: { page: { type: 'integer' } } },
        response: { 200: { type: 'object' }, 404: { type: 'object', description: 'Not here' } },
      },
    }, async () => ({}));
  },
};

describe('API documentation pages', () => {
  let app: FastifyInstance;
  let dispose: () => Promise<void>;
  before(async () => {
    const database = await openTestDatabase('pglite');
    dispose = database.dispose;
    app = await buildTestApp(database.handle, { modules: [exampleModule, apiDocsModule] });
  });
  after(async () => {
    await app.close();
    await dispose();
  });

  it('/docs lists every operation by tag, with parameters and responses', async () => {
    const response = await app.inject({ url: '/docs', headers: { accept: 'text/html' } });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] ?? '', /^text\/html/);
    const body = response.body;
    assert.match(body, /<h2 id="tag-examples"><span>examples<\/span><\/h2>/);
    assert.match(body, /<h2 id="tag-operations">/);
    assert.match(body, /id="operation-get-api-v1-examples-slug"/);
    assert.match(body, /<code>\/api\/v1\/examples\/\{slug\}<\/code>/);
    assert.match(body, /One &lt;example&gt;/, 'summaries are escaped');
    assert.match(body,
      /<li><code>slug<\/code>\s*\(<code>path<\/code>, <code>string<\/code>, required\)/);
    assert.match(body,
      /<li><code>page<\/code>\s*\(<code>query<\/code>, <code>integer<\/code>, optional\)/);
    assert.match(body, /<li><code>404<\/code> <span>Not here<\/span><\/li>/);
    assert.match(body, /The process is up/);
    assert.match(body, /href="\/docs\/openapi.json"/);
    assert.match(body, /href="\/docs\/errors"/);
  });

  it('/docs in Swahili marks the English API texts with lang="en"', async () => {
    const response = await app.inject({
      url: '/docs', headers: { accept: 'text/html', cookie: 'huduma_lang=sw' },
    });
    assert.match(response.body, /<html lang="sw">/);
    assert.match(response.body, /<h1>Nyaraka za API<\/h1>/);
    assert.match(response.body, /<p lang="en">One &lt;example&gt;<\/p>/);
  });

  it('/docs/errors renders each code with the anchor problem types point at', async () => {
    const response = await app.inject({ url: '/docs/errors', headers: { accept: 'text/html' } });
    assert.equal(response.statusCode, 200);
    assert.match(response.body,
      /<tr id="platform_not_found">\s*<th scope="row"><code>PLATFORM_NOT_FOUND<\/code><\/th>/);
    const problem = await app.inject('/api/v1/nothing');
    const type = String(problem.json().type);
    assert.equal(type, '/docs/errors#platform_not_found');
    assert.match(response.body, /<code>detail<\/code>/, 'backticks become code');
  });

  it('the documentation pages are not themselves API operations', async () => {
    const document = (await app.inject('/docs/openapi.json')).json();
    assert.equal(document.paths['/docs'], undefined);
    assert.equal(document.paths['/docs/errors'], undefined);
  });
});
