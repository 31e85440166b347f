/**
 * Every page type, with everything it loads, is under 50 KB compressed, and loads nothing
 * from another origin. Measured over a catalogue as large per page as the real one gets
 * (30 ministries, a ministry of 100 agencies, agencies of 50+ services with long texts), in
 * both languages. The weight does not depend on the database engine: PGlite only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { openTestDatabase } from '#test/helpers/databases.ts';
import { stylesheet } from '#web/index.ts';
import type { CatalogueTables } from '../catalogue-tables.ts';
import {
  demoCatalogue as demo,
  importedCatalogue as imported,
  insertPageTestCatalogue,
} from './page-test-catalogue.ts';

const pageWeightBytesMax = 50 * 1024;

const longText = (seed: number) =>
  `Service ${seed}: apply for, renew or replace this permit with the relevant county office, `
    .repeat(3);

/** Many ministries, and one of them with many agencies with long names and descriptions. */
async function insertLargeCatalogue(handle: DatabaseHandle): Promise<string> {
  const db = handle.db.withTables<CatalogueTables>();
  const ministries = Array.from({ length: 30 }, (_, index) => ({
    id: uuidv7(), source_id: `large-m-${index}`, slug: `large-ministry-${index}`,
    name_en: `State Department for Large Scale Public Sector Coordination Number ${index}`,
    name_sw: null, description_en: longText(index), description_sw: null, url: null,
    origin: 'ecitizen' as const,
  }));
  await db.insertInto('ministry').values(ministries).execute();
  const ministryId = ministries[0]?.id ?? '';
  await db.insertInto('agency').values(Array.from({ length: 100 }, (_, index) => ({
    id: uuidv7(), source_id: `large-a-${index}`, ministry_id: ministryId, department_id: null,
    slug: `large-agency-${index}`,
    name_en: `National Authority for Large Scale Regulation and Licensing Number ${index}`,
    name_sw: null, description_en: longText(index), description_sw: null, url: null,
    origin: 'ecitizen' as const,
  }))).execute();
  return ministries[0]?.slug ?? '';
}

function thirdPartyReferences(html: string): string[] {
  const tags = html.match(/<(?:link|script|img|iframe|source|audio|video|embed|object)\b[^>]*>/gi)
    ?? [];
  return tags.filter((tag) => /\b(?:src|href|srcset|data)\s*=\s*["']?\s*(?:https?:)?\/\//i
    .test(tag));
}

function sameOriginResources(html: string): string[] {
  const found = [...html.matchAll(
    /<(?:link|script|img)\b[^>]*\b(?:src|href)="(\/[^"/][^"]*)"/gi)];
  return found.map((match) => (match[1] ?? '').replaceAll('&amp;', '&'));
}

describe('page weight and third-party requests', () => {
  let app: FastifyInstance;
  let dispose: () => Promise<void>;
  let largeMinistrySlug = '';
  before(async () => {
    const database = await openTestDatabase('pglite');
    dispose = database.dispose;
    await insertPageTestCatalogue(database.handle);
    largeMinistrySlug = await insertLargeCatalogue(database.handle);
    app = await buildTestApp(database.handle);
  });
  after(async () => {
    await app.close();
    await dispose();
  });

  const compressedSize = async (url: string, language: string) => {
    const response = await app.inject({ url, headers: {
      accept: 'text/html', 'accept-encoding': 'gzip', cookie: `huduma_lang=${language}` } });
    const bytes = response.rawPayload.length;
    const gzipped = response.headers['content-encoding'] === 'gzip';
    if (bytes > 1024) assert.ok(gzipped, `${url} is not compressed`);
    const text = gzipped ? gunzipSync(response.rawPayload).toString('utf8') : response.body;
    return { status: response.statusCode, text, bytes };
  };

  const pages = () => [
    '/', '/services?q=passport', '/services?q=qqqqxxxxzzzz', '/services',
    `/services?ministry=${largeMinistrySlug}`, '/ministries', `/ministries/${demo.ministrySlug}`,
    `/ministries/${largeMinistrySlug}`, `/agencies/${imported.agencySlug}`,
    `/services/${demo.serviceSlug}`, `/services/${imported.serviceSlug(1)}`,
    '/help', '/verify', '/about', '/docs', '/docs/errors',
    '/services/no-such-service', '/services?page=0',
  ];

  for (const language of ['en', 'sw']) {
    it(`every page type, with what it loads, is under 50 KB compressed (${language})`,
      async (t) => {
        const report: string[] = [];
        for (const url of pages()) {
          const page = await compressedSize(url, language);
          assert.ok(page.status < 500, url);
          let total = page.bytes;
          const resources = sameOriginResources(page.text);
          assert.ok(resources.length > 0, `${url} loads its stylesheet`);
          for (const resource of resources) {
            total += (await compressedSize(resource, language)).bytes;
          }
          report.push(`${url}: ${total} bytes`);
          assert.ok(total < pageWeightBytesMax, `${url} weighs ${total} bytes compressed`);
        }
        assert.equal(report.length, pages().length);
        t.diagnostic(report.join('; '));
      });
  }

  it('no page references another origin from link, script or img tags', async () => {
    for (const url of pages()) {
      const response = await app.inject({ url, headers: { accept: 'text/html' } });
      assert.deepEqual(thirdPartyReferences(response.body), [], url);
      assert.ok(sameOriginResources(response.body).length > 0, `${url} has its stylesheet`);
    }
    const css = (await app.inject(stylesheet.path)).body;
    assert.doesNotMatch(css, /@import|url\(\s*["']?\s*(?:https?:)?\/\//i);
  });

  it('the checks see what they are looking for', () => {
    assert.deepEqual(thirdPartyReferences(
      '<link rel="stylesheet" href="https://cdn.example/x.css"><img src=//x.example/a.png>' +
      '<a href="https://agency.example/">fine</a><script src="/local.js"></script>'),
    ['<link rel="stylesheet" href="https://cdn.example/x.css">',
      '<img src=//x.example/a.png>']);
    assert.deepEqual(sameOriginResources('<link rel="stylesheet" href="/assets/site.1.css">'),
      ['/assets/site.1.css']);
  });
});
