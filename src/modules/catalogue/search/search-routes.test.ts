import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import type { SearchTables } from './search-tables.ts';
import { insertTestCatalogue, testServices } from './search-test-catalogue.ts';

type Body = {
  items: { slug: string; name: string; agencySlug: string; ministrySlug: string;
    summary: string | null; agencyName: string }[];
  total: number;
  page: number;
  pageSize: number;
  code?: string;
  detail?: string;
};

describeOnDatabases('GET /api/v1/services', (database) => {
  let app: FastifyInstance;
  before(async () => {
    await insertTestCatalogue(database().db.withTables<SearchTables>());
    app = await buildTestApp(database());
  });
  after(async () => {
    await app.close();
  });

  const get = async (query: string) => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/services?${query}` });
    return { status: response.statusCode, headers: response.headers, body: response.json<Body>() };
  };
  const slugs = (body: Body) => body.items.map((item) => item.slug);

  it('ranks a service named for the word above one that only mentions it', async () => {
    const { status, body } = await get('q=passport');
    assert.equal(status, 200);
    const found = slugs(body);
    assert.deepEqual(found.slice(0, 2).sort(),
      ['lost-passport-replacement', 'passport-application']);
    assert.ok(found.includes('travel-document-collection'), 'description match is found');
    assert.equal(body.total, found.length);
  });

  it('completes prefixes', async () => {
    for (const prefix of ['pass', 'passp', 'PASSPO']) {
      const { body } = await get(`q=${prefix}`);
      assert.ok(slugs(body).includes('passport-application'), prefix);
    }
    const { body } = await get('q=birth%20cert');
    assert.equal(slugs(body)[0], 'birth-certificate');
  });

  it('tolerates typos', async () => {
    const pasport = await get('q=pasport');
    assert.ok(['passport-application', 'lost-passport-replacement']
      .includes(slugs(pasport.body)[0] ?? ''));
    const licens = await get('q=licens');
    assert.deepEqual(slugs(licens.body).sort(),
      ['driving-licence-renewal', 'smart-driving-licence']);
    const swapped = await get('q=vheicle%20inspection');
    assert.equal(slugs(swapped.body)[0], 'motor-vehicle-inspection');
  });

  it('finds services from Swahili words, and names them in Swahili when asked', async () => {
    const pasipoti = await get('q=pasipoti');
    assert.deepEqual(slugs(pasipoti.body).slice(0, 2).sort(),
      ['lost-passport-replacement', 'passport-application']);
    const leseni = await get('q=leseni&lang=sw');
    assert.equal(slugs(leseni.body)[0], 'driving-licence-renewal');
    assert.ok(slugs(leseni.body).includes('smart-driving-licence'), 'English-only name found');
    assert.equal(leseni.body.items[0]?.name, 'Kuhuisha Leseni ya Udereva');
    assert.equal(leseni.body.items[0]?.agencyName, 'Mamlaka ya Taifa ya Usafiri na Usalama');
    const english = leseni.body.items.find((item) => item.slug === 'smart-driving-licence');
    assert.equal(english?.name, 'Smart Driving Licence Application', 'English where untranslated');
  });

  it('needs every word to match, and falls back to any word when none matches all', async () => {
    const both = await get('q=lost%20passport');
    assert.deepEqual(slugs(both.body), ['lost-passport-replacement']);
    const fallback = await get('q=passport%20qqqzzzxxx');
    assert.ok(fallback.body.total >= 3);
  });

  it('matches agency and ministry text for all their services', async () => {
    // The agency's name first, then its ministry's description ("... immigration ...").
    const { body } = await get('q=immigration');
    assert.deepEqual(slugs(body).slice(0, 4).sort(), ['lost-passport-replacement',
      'passport-application', 'travel-document-collection', 'visa-application']);
    assert.deepEqual(slugs(body).slice(4).sort(), ['birth-certificate', 'death-certificate']);
  });

  it('filters by ministry and agency', async () => {
    const interior = await get('ministry=interior&q=application');
    assert.deepEqual(slugs(interior.body).sort(), ['birth-certificate', 'death-certificate',
      'passport-application', 'visa-application']);
    assert.ok(interior.body.items.every((item) => item.ministrySlug === 'interior'));
    const ntsa = await get('agency=ntsa');
    assert.deepEqual(slugs(ntsa.body),
      ['driving-licence-renewal', 'motor-vehicle-inspection', 'smart-driving-licence']);
    const mismatch = await get('ministry=transport&agency=immigration');
    assert.equal(mismatch.status, 200);
    assert.deepEqual(mismatch.body, { items: [], total: 0, page: 1, pageSize: 20 });
  });

  it('answers 404 with a stable code for an unknown ministry or agency', async () => {
    const ministry = await get('ministry=no-such-ministry');
    assert.equal(ministry.status, 404);
    assert.match(String(ministry.headers['content-type']), /application\/problem\+json/);
    assert.equal(ministry.body.code, 'CATALOGUE_SEARCH_MINISTRY_NOT_FOUND');
    assert.match(ministry.body.detail ?? '', /no-such-ministry/);
    const agency = await get('agency=no-such-agency&q=passport');
    assert.equal(agency.status, 404);
    assert.equal(agency.body.code, 'CATALOGUE_SEARCH_AGENCY_NOT_FOUND');
  });

  it('browses everything by name when there is no query, in stable pages', async () => {
    const total = Object.keys(testServices).length;
    const seen: string[] = [];
    for (let page = 1; page <= 3; page += 1) {
      const { body, headers } = await get(`pageSize=4&page=${page}`);
      assert.equal(body.total, total);
      assert.equal(body.page, page);
      assert.equal(body.pageSize, 4);
      assert.equal(headers['cache-control'], 'public, max-age=60');
      seen.push(...body.items.map((item) => item.name));
    }
    assert.equal(seen.length, total);
    assert.deepEqual(seen, [...seen].sort((a, b) => a.toLowerCase() < b.toLowerCase() ? -1 : 1));
    const beyond = await get('pageSize=4&page=4');
    assert.deepEqual(beyond.body.items, []);
    assert.equal(beyond.body.total, total);
  });

  it('pages ranked results without repeating or losing any', async () => {
    const all = await get('q=application&pageSize=100');
    const paged: string[] = [];
    for (let page = 1; page <= Math.ceil(all.body.total / 2); page += 1) {
      paged.push(...slugs((await get(`q=application&pageSize=2&page=${page}`)).body));
    }
    assert.deepEqual(paged, slugs(all.body));
  });

  it('answers 400 naming the parameter for malformed ones', async () => {
    const cases: readonly [string, RegExp][] = [
      ['page=0', /page/], ['page=abc', /page/], ['page=1.5', /page/], ['page=1001', /page/],
      ['pageSize=101', /pageSize/], ['pageSize=0', /pageSize/], ['lang=fr', /lang/],
      ['ministry=Not%20A%20Slug', /ministry/], ['agency=%3Cscript%3E', /agency/],
      [`q=${'a'.repeat(201)}`, /q/], ['page=1&page=2', /page/],
    ];
    for (const [query, parameter] of cases) {
      const { status, body } = await get(query);
      assert.equal(status, 400, query);
      assert.equal(body.code, 'PLATFORM_VALIDATION_FAILED', query);
      assert.match(body.detail ?? '', parameter, query);
    }
  });

  it('never fails with a 500, whatever the query string', async () => {
    const parameter = fc.constantFrom('q', 'ministry', 'agency', 'page', 'pageSize', 'lang', 'x');
    await fc.assert(fc.asyncProperty(
      fc.array(fc.tuple(parameter, fc.string({ unit: 'grapheme', maxLength: 60 })),
        { maxLength: 4 }),
      async (pairs) => {
        const query = pairs.map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
          .join('&');
        const { status } = await get(query);
        assert.ok([200, 400, 404].includes(status), `${query} -> ${status}`);
      },
    ), { numRuns: 150 });
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (q) => {
      const { status, body } = await get(`q=${encodeURIComponent(q)}`);
      // The edge refuses the NUL character everywhere (platform/http/input-guard.ts).
      assert.equal(status, q.includes('\u0000') ? 400 : 200);
      if (status === 200) assert.ok(body.items.length <= 20);
    }), { numRuns: 150 });
  });
});
