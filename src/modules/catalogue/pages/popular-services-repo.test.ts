import assert from 'node:assert/strict';
import { after, before, beforeEach, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import type { CatalogueTables } from '../catalogue-tables.ts';
import { importedCatalogue, insertPageTestCatalogue } from './page-test-catalogue.ts';
import {
  listPopularServices,
  popularServicesMax,
  recordServiceDemandInTrx,
} from './popular-services-repo.ts';

const now = new Date('2026-12-03T10:00:00Z');
const dayMs = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(now.getTime() - days * dayMs);

describeOnDatabases('catalogue: popular services come from demand', (database) => {
  const ids = new Map<string, string>();
  const catalogue = () => database().db.withTables<CatalogueTables>();
  const idOf = (slug: string): string => {
    const id = ids.get(slug);
    assert.ok(id !== undefined, slug);
    return id;
  };
  const record = async (slug: string, times: number, at: Date) => {
    for (let time = 0; time < times; time += 1) {
      await recordServiceDemandInTrx(catalogue(), idOf(slug), at);
    }
  };
  const slugsOf = async (at = now) =>
    (await listPopularServices(database().db, popularServicesMax, at)).map((s) => s.slug);

  before(async () => {
    await insertPageTestCatalogue(database());
    const rows = await catalogue().selectFrom('service').select(['id', 'slug']).execute();
    for (const row of rows) ids.set(row.slug, row.id);
  });
  beforeEach(async () => {
    await catalogue().deleteFrom('service_demand').execute();
  });

  it('with no demand, lists live and demo services (demo first), never imported ones', async () => {
    const slugs = await slugsOf();
    assert.equal(slugs.length, popularServicesMax);
    assert.ok(slugs.every((slug) => !slug.startsWith('law-review-')), slugs.join());
  });

  it('orders by the last 30 days\' uses, then fills with live and demo services', async () => {
    const imported = importedCatalogue.serviceSlug;
    await record(imported(3), 2, now);
    await record(imported(7), 5, daysAgo(10));
    await record(imported(9), 1, daysAgo(29));
    await record(imported(11), 9, daysAgo(31)); // outside the window
    const slugs = await slugsOf();
    assert.deepEqual(slugs.slice(0, 3), [imported(7), imported(3), imported(9)]);
    assert.equal(slugs.length, popularServicesMax);
    assert.ok(!slugs.includes(imported(11)), 'old demand does not count');
    assert.equal(new Set(slugs).size, slugs.length, 'no service twice');
  });

  it('counts concurrent uses of one service on one day without losing any', async () => {
    const slug = importedCatalogue.serviceSlug(5);
    await Promise.all(Array.from({ length: 12 }, () => database().db.transaction()
      .execute((trx) => recordServiceDemandInTrx(trx, idOf(slug), now))));
    const rows = await catalogue().selectFrom('service_demand').select(['count', 'day'])
      .where('service_id', '=', idOf(slug)).execute();
    assert.equal(rows.reduce((total, row) => total + row.count, 0), 12,
      'the day\'s counters add up to every use');
    assert.equal(new Set(rows.map((row) => String(row.day))).size, 1, 'all on one day');
  });

  it('days are Kenyan days: 22:00 UTC is the next day in Nairobi', async () => {
    const slug = importedCatalogue.serviceSlug(6);
    await record(slug, 1, new Date('2026-12-02T20:59:00Z'));
    await record(slug, 1, new Date('2026-12-02T21:00:00Z'));
    const rows = await catalogue().selectFrom('service_demand').select('day').distinct()
      .where('service_id', '=', idOf(slug)).execute();
    assert.equal(rows.length, 2, 'two Nairobi days');
  });

  it('property: the ranked head is in non-increasing order of uses in the window', async () => {
    const candidates = Array.from({ length: 12 }, (_, index) =>
      importedCatalogue.serviceSlug(index + 20));
    await fc.assert(fc.asyncProperty(
      fc.array(fc.record({ service: fc.integer({ min: 0, max: 11 }),
        age: fc.integer({ min: 0, max: 40 }) }), { maxLength: 25 }),
      async (uses) => {
        await catalogue().deleteFrom('service_demand').execute();
        const counted = new Map<string, number>();
        for (const use of uses) {
          const slug = candidates[use.service] ?? '';
          await record(slug, 1, daysAgo(use.age));
          if (use.age < 30) counted.set(slug, (counted.get(slug) ?? 0) + 1);
        }
        const slugs = await slugsOf();
        const ranked = slugs.filter((slug) => counted.has(slug));
        assert.equal(ranked.length, Math.min(counted.size, popularServicesMax));
        assert.deepEqual(slugs.slice(0, ranked.length), ranked, 'used services come first');
        for (let index = 1; index < ranked.length; index += 1) {
          assert.ok((counted.get(ranked[index - 1] ?? '') ?? 0) >=
            (counted.get(ranked[index] ?? '') ?? 0));
        }
      }), { numRuns: 15 });
  });
});

describeOnDatabases('catalogue: the home page shows what people use', (database) => {
  let app: FastifyInstance;
  before(async () => {
    await insertPageTestCatalogue(database());
    app = await buildTestApp(database());
  });
  after(async () => {
    await app.close();
  });

  it('a service used today is featured first, before the demo services', async () => {
    const db = database().db.withTables<CatalogueTables>();
    const slug = importedCatalogue.serviceSlug(42);
    const service = await db.selectFrom('service').select('id').where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    await recordServiceDemandInTrx(db, service.id, new Date());
    const home = await app.inject({ url: '/', headers: { accept: 'text/html' } });
    assert.equal(home.statusCode, 200);
    const popular = /<section aria-labelledby="popular-title">([\s\S]*?)<\/section>/
      .exec(home.body)?.[1] ?? '';
    const first = /<a href="\/services\/([^"]+)">/.exec(popular)?.[1];
    assert.equal(first, slug);
  });
});
