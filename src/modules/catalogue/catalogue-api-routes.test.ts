import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { catalogueUuid } from './catalogue-ids.ts';
import type { CatalogueTables } from './catalogue-tables.ts';
import { seedDemoCatalogue } from './demo/demo-seed.ts';

const interior = 'ministry-of-interior-and-national-administration';
const unpricedSlug = 'lodge-a-complaint';

describeOnDatabases('catalogue JSON API', (database) => {
  let app: FastifyInstance;
  const get = (url: string) => app.inject({ method: 'GET', url });
  const json = async (url: string, status = 200) => {
    const response = await get(url);
    assert.equal(response.statusCode, status, `${url}: ${response.body}`);
    return response.json();
  };

  before(async () => {
    await seedDemoCatalogue({ db: database().db });
    // An imported-style service: no fee, from the eCitizen dataset.
    const db = database().db.withTables<CatalogueTables>();
    const agency = await db.selectFrom('agency').select('id')
      .where('slug', '=', 'registrar-of-marriages').executeTakeFirstOrThrow();
    await db.insertInto('service').values({
      id: catalogueUuid('test:unpriced'), source_id: 'abc123', agency_id: agency.id,
      slug: unpricedSlug, name_en: 'Lodge a complaint', name_sw: null, description_en: null,
      description_sw: null, service_url: null, sla_days: null, origin: 'ecitizen',
      form_schema: null,
    }).execute();
    app = await buildTestApp(database());
  });
  after(async () => app.close());

  it('lists ministries with counts', async () => {
    const body = await json('/api/v1/ministries');
    assert.equal(body.items.length, 3);
    const ministry = body.items.find((m: { slug: string }) => m.slug === interior);
    assert.deepEqual([ministry.agencyCount, ministry.serviceCount, ministry.source],
      [3, 7, null]);
    assert.equal(ministry.nameSw, 'Wizara ya Usalama wa Ndani na Utawala wa Kitaifa');
  });

  it('shows a ministry with a page of its agencies', async () => {
    const body = await json(`/api/v1/ministries/${interior}?pageSize=2`);
    assert.equal(body.agencies.total, 3);
    assert.equal(body.agencies.items.length, 2);
    assert.equal(body.agencies.items[0].ministry.slug, interior);
    const second = await json(`/api/v1/ministries/${interior}?pageSize=2&page=2`);
    assert.equal(second.agencies.items.length, 1);
  });

  it('pages agencies, optionally of one ministry', async () => {
    const all = await json('/api/v1/agencies');
    assert.deepEqual([all.total, all.page, all.pageSize], [6, 1, 20]);
    const some = await json(`/api/v1/agencies?ministry=${interior}`);
    assert.equal(some.total, 3);
    const ministriesOf = some.items.map((a: { ministry: { slug: string } }) => a.ministry.slug);
    assert.deepEqual(new Set(ministriesOf), new Set([interior]));
  });

  it('shows an agency by slug or id, with its services', async () => {
    const bySlug = await json('/api/v1/agencies/department-of-immigration-services');
    assert.equal(bySlug.services.total, 5);
    assert.equal(bySlug.department.slug, 'state-department-for-immigration-and-citizen-services');
    const byId = await json(`/api/v1/agencies/${String(bySlug.id).toUpperCase()}`);
    assert.equal(byId.slug, bySlug.slug);
  });

  it('shows a service with its fee, access fee and total as exact decimal strings', async () => {
    const body = await json('/api/v1/services/ordinary-passport-34-pages');
    assert.deepEqual(body.fee.amount, { amountMinor: '455000', currency: 'KES' });
    assert.deepEqual(body.accessFee, { amountMinor: '5000', currency: 'KES' });
    assert.deepEqual(body.total, { amountMinor: '460000', currency: 'KES' });
    assert.equal(body.fee.effectiveFrom, '2023-07-01');
    assert.equal(body.agency.slug, 'department-of-immigration-services');
    assert.equal(body.ministry.slug, interior);
    assert.equal(body.requirementsSw.length, body.requirementsEn.length);
    const response = await get(`/api/v1/services/${body.id}`);
    assert.equal(response.json().slug, 'ordinary-passport-34-pages');
    assert.equal(response.headers['cache-control'], 'public, max-age=60');
    const visa = await json('/api/v1/services/east-africa-tourist-visa');
    assert.deepEqual(visa.total, { amountMinor: '10100', currency: 'USD' });
  });

  it('shows a service without a fee, crediting the eCitizen dataset', async () => {
    const body = await json(`/api/v1/services/${unpricedSlug}`);
    assert.deepEqual([body.fee, body.accessFee, body.total], [null, null, null]);
    assert.equal(body.source.licence, 'CC BY 4.0');
    assert.equal(body.source.author, 'karaalv');
  });

  it('answers unknown ids and slugs with 404 problem+json and a stable code', async () => {
    const cases = [
      ['/api/v1/ministries/no-such-ministry', 'CATALOGUE_MINISTRY_NOT_FOUND'],
      ['/api/v1/agencies?ministry=no-such-ministry', 'CATALOGUE_MINISTRY_NOT_FOUND'],
      ['/api/v1/agencies/no-such-agency', 'CATALOGUE_AGENCY_NOT_FOUND'],
      [`/api/v1/agencies/${catalogueUuid('nothing')}`, 'CATALOGUE_AGENCY_NOT_FOUND'],
      ['/api/v1/services/no-such-service', 'CATALOGUE_SERVICE_NOT_FOUND'],
      [`/api/v1/services/${catalogueUuid('nothing')}`, 'CATALOGUE_SERVICE_NOT_FOUND'],
    ] as const;
    for (const [url, code] of cases) {
      const response = await get(url);
      assert.equal(response.statusCode, 404, url);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      assert.equal(response.json().code, code, url);
    }
  });

  it('answers malformed parameters with 400 naming the parameter', async () => {
    const cases = ['/api/v1/agencies?page=0', '/api/v1/agencies?page=abc',
      '/api/v1/agencies?page=1.5', '/api/v1/agencies?page=1001', '/api/v1/agencies?pageSize=101',
      '/api/v1/agencies?pageSize=0', '/api/v1/agencies?ministry=Not%20A%20Slug',
      `/api/v1/ministries/${interior}?page=-1`, '/api/v1/services/bad%20slug',
      `/api/v1/agencies?ministry=${'a'.repeat(101)}`];
    for (const url of cases) {
      const response = await get(url);
      assert.equal(response.statusCode, 400, url);
      const body = response.json();
      assert.equal(body.code, 'PLATFORM_VALIDATION_FAILED', url);
      assert.match(body.detail, /(querystring|params)/, url);
    }
    const tooLong = await get(`/api/v1/services/${'a'.repeat(101)}`);
    assert.equal(tooLong.statusCode, 414);
  });

  it('documents every route, with its schemas, in the OpenAPI document', async () => {
    const document = await json('/docs/openapi.json');
    for (const path of ['/api/v1/ministries', '/api/v1/ministries/{slug}', '/api/v1/agencies',
      '/api/v1/agencies/{idOrSlug}', '/api/v1/services/{idOrSlug}']) {
      const operation = document.paths[path]?.get;
      assert.ok(operation !== undefined, path);
      assert.deepEqual(operation.tags, ['catalogue'], path);
      assert.ok(operation.responses['200'] !== undefined, path);
    }
    const service = document.paths['/api/v1/services/{idOrSlug}'].get;
    assert.match(JSON.stringify(service.responses['200']), /decimal string/);
  });

  it('never answers 500, whatever the input', async () => {
    const paths = ['/api/v1/ministries/', '/api/v1/agencies/', '/api/v1/services/'];
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...paths), fc.string({ unit: 'binary', maxLength: 120 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      async (path, segment, page) => {
        const url = `${path}${encodeURIComponent(segment)}?page=${encodeURIComponent(page)}` +
          `&ministry=${encodeURIComponent(segment)}`;
        const response = await get(url);
        assert.ok([200, 400, 404, 414].includes(response.statusCode),
          `${url} -> ${response.statusCode} ${response.body}`);
      },
    ), { numRuns: 150 });
    for (const raw of ['/api/v1/services/%', '/api/v1/services/%00', '/api/v1/agencies?page=%',
      '/api/v1/agencies?page[]=1&page[]=2', '/api/v1/ministries/..%2F..%2Fetc']) {
      const response = await get(raw);
      assert.ok(response.statusCode < 500, `${raw} -> ${response.statusCode}`);
    }
  });
});
