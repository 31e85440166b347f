/**
 * No input gives a 500: odd text, broken percent-encoding, NUL bytes, invalid UTF-8, huge
 * numbers, repeated parameters, in every query parameter and slug of the catalogue's pages.
 * PostgreSQL is the stricter engine (it refuses NUL in text), so both databases run it.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { demoCatalogue, insertPageTestCatalogue } from './page-test-catalogue.ts';

const percentEncodedBytes = fc.uint8Array({ maxLength: 24 }).map((bytes) =>
  [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join(''));

const encodedText = fc.string({ unit: 'binary', maxLength: 40 }).map((text) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, ''));
  }
});

const nasty = fc.constantFrom('', '%', '%%', '%zz', '%00', '%C0%80', '%ED%A0%80', '%FF',
  '0', '-1', '1e3', '1.0', '99999999999999999999', 'NaN', 'Infinity', ' 1', '%201', '0x10',
  '..', '.', '%2F', '%2E%2E', '\'', '%27%3B--', '%3Cscript%3E', 'a'.repeat(250),
  demoCatalogue.ministrySlug, demoCatalogue.agencySlug);

/** A raw, already-encoded query or path value: anything a browser or a robot might send. */
const rawValue = fc.oneof(percentEncodedBytes, encodedText, nasty);

const parameterName = fc.constantFrom('q', 'page', 'ministry', 'agency', 'other');

const rawQuery = fc.array(fc.tuple(parameterName, rawValue), { maxLength: 6 })
  .map((pairs) => pairs.map(([name, value]) => `${name}=${value}`).join('&'));

const runs = { numRuns: 120 };

describeOnDatabases('catalogue pages under odd input', (database) => {
  let app: FastifyInstance;
  before(async () => {
    await insertPageTestCatalogue(database());
    app = await buildTestApp(database());
  });
  after(async () => {
    await app.close();
  });

  const get = (url: string) => app.inject({ url, headers: { accept: 'text/html' } });

  it('the search page answers 200 or a 400 page, never a 500', async () => {
    await fc.assert(fc.asyncProperty(rawQuery, async (query) => {
      const response = await get(`/services?${query}`);
      assert.ok([200, 400].includes(response.statusCode),
        `/services?${query} answered ${response.statusCode}`);
      assert.match(response.headers['content-type'] ?? '', /^text\/html/);
    }), runs);
  });

  it('the browse pages answer 200, 400 or 404, never a 500', async () => {
    const page = fc.oneof(fc.constant(''), rawQuery);
    await fc.assert(fc.asyncProperty(
      fc.constantFrom('/ministries/', '/agencies/'), fc.oneof(rawValue, nasty), page,
      async (prefix, slug, query) => {
        const url = `${prefix}${slug}?${query}`;
        const response = await get(url);
        assert.ok(response.statusCode < 500, `${url} answered ${response.statusCode}`);
      }), runs);
  });

  it('service and apply pages answer 200 or 404 (400/414 for broken URLs), never a 500',
    async () => {
      await fc.assert(fc.asyncProperty(
        rawValue, fc.constantFrom('', '/apply'), async (slug, suffix) => {
          const url = `/services/${slug}${suffix}`;
          const response = await get(url);
          assert.ok(response.statusCode < 500, `${url} answered ${response.statusCode}`);
        }), runs);
    });

  it('known pages still answer after all that', async () => {
    const response = await get(`/services/${demoCatalogue.serviceSlug}`);
    assert.equal(response.statusCode, 200);
  });
});
