import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summariseOpenApi, untaggedGroupName } from './openapi-summary.ts';

const document = {
  openapi: '3.0.3',
  info: { title: 'Huduma API', version: '1', description: 'Errors are problem+json.' },
  tags: [{ name: 'payments', description: 'Invoices and payments' }, { name: 'catalogue' }],
  paths: {
    '/api/v1/services/{slug}': {
      get: {
        summary: 'One service',
        tags: ['catalogue'],
        parameters: [
          { name: 'slug', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'lang', in: 'query', schema: { enum: ['en', 'sw'], description: 'Language' } },
        ],
        responses: {
          404: { description: 'No such service' },
          200: { description: 'Default Response' },
        },
      },
    },
    '/api/v1/invoices': {
      post: {
        tags: ['payments'],
        requestBody: { content: { 'application/json': {} } },
        responses: { 201: { description: 'Created' } },
      },
      get: { tags: ['payments'], deprecated: true, responses: {} },
    },
    '/healthz': { get: { tags: ['operations'], responses: {} } },
    '/odd': { get: { responses: {} }, parameters: [] },
  },
};

describe('summariseOpenApi', () => {
  const summary = summariseOpenApi(document);

  it('groups by tag: declared tags in document order, then others by name, untagged last', () => {
    assert.deepEqual(summary.groups.map((group) => group.tag),
      ['payments', 'catalogue', 'operations', untaggedGroupName]);
    assert.equal(summary.groups[0]?.description, 'Invoices and payments');
    assert.equal(summary.groups[1]?.description, undefined);
  });

  it('orders operations by path, then GET before POST', () => {
    const payments = summary.groups[0]?.operations ?? [];
    assert.deepEqual(payments.map((o) => `${o.method} ${o.path}`),
      ['GET /api/v1/invoices', 'POST /api/v1/invoices']);
    assert.equal(payments[0]?.deprecated, true);
    assert.deepEqual(payments[1]?.requestContentTypes, ['application/json']);
  });

  it('reads parameters and responses, hiding the placeholder description', () => {
    const operation = summary.groups[1]?.operations[0];
    assert.equal(operation?.summary, 'One service');
    assert.equal(operation?.anchor, 'operation-get-api-v1-services-slug');
    assert.deepEqual(operation?.parameters, [
      { name: 'slug', location: 'path', required: true, type: 'string', description: undefined },
      { name: 'lang', location: 'query', required: false, type: 'enum', description: 'Language' },
    ]);
    assert.deepEqual(operation?.responses, [
      { status: '200', description: undefined },
      { status: '404', description: 'No such service' },
    ]);
  });

  it('keeps the title and version, and survives a document that is not one', () => {
    assert.equal(summary.title, 'Huduma API');
    assert.equal(summary.version, '1');
    for (const odd of [undefined, null, 42, 'x', [], { paths: [] }, { paths: { '/a': 3 } }]) {
      const result = summariseOpenApi(odd);
      assert.deepEqual(result.groups, []);
    }
  });
});
