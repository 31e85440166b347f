import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { manualClock } from '#platform/clock/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { readCatalogueVersion } from './search-repo.ts';
import { createServiceSearch, pageMax, pageSizeMax } from './search-service.ts';
import type { SearchTables } from './search-tables.ts';
import { insertTestCatalogue } from './search-test-catalogue.ts';

const query = (text: string) =>
  ({ text, page: 1, pageSize: 20, language: 'en' as const });

describeOnDatabases('service search engine', (database) => {
  let ids: ReadonlyMap<string, string>;
  const db = () => database().db.withTables<SearchTables>();
  before(async () => {
    ids = await insertTestCatalogue(db());
  });

  const addService = async (slug: string, name: string) => {
    await db().insertInto('service').values({
      id: uuidv7(), slug, name_en: name, agency_id: ids.get('immigration') ?? '',
      origin: 'demo',
    }).execute();
  };

  it('bumps the catalogue version once per changing statement', async () => {
    const before = await readCatalogueVersion(db());
    await db().updateTable('agency').set({ url: 'https://example.go.ke' }).execute();
    await db().updateTable('ministry').set({ url: null }).where('slug', '=', 'lands').execute();
    assert.equal(await readCatalogueVersion(db()), before + 2n);
  });

  it('notices a changed catalogue on its own, without blocking searches', async () => {
    const clock = manualClock(new Date('2026-11-28T08:00:00Z'));
    const search = createServiceSearch(testDeps(database(), { clock }),
      { refreshCheckIntervalMs: 1_000 });
    const first = await search.search(query('photograph'));
    assert.equal(first.total, 0);
    await addService('passport-photograph-upload', 'Passport Photograph Upload');
    assert.equal((await search.search(query('photograph'))).total, 0, 'not checked yet');
    clock.advanceMs(1_001);
    await search.search(query('photograph'));
    for (let tries = 0; tries < 200 && search.status().building; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const later = await search.search(query('photograph'));
    assert.deepEqual(later.items.map((item) => item.slug), ['passport-photograph-upload']);
    assert.equal(search.status().catalogueVersion, await readCatalogueVersion(db()));
  });

  it('serves a repeated search from its cache, never across a rebuild', async () => {
    const search = createServiceSearch(testDeps(database()));
    const first = await search.search(query('passport'));
    assert.deepEqual(await search.search(query(' PASSPORT ')), first);
    assert.equal(search.status().cacheHits, 1);
    await addService('passport-lost-report', 'Lost Passport Report');
    await search.refresh();
    assert.equal(search.status().cacheHits, 0, 'a new index starts with an empty cache');
    const after = await search.search(query('passport'));
    assert.equal(after.total, first.total + 1);
    assert.ok(after.items.some((item) => item.slug === 'passport-lost-report'));
  });

  it('shows the same hits from its caches as without them, per language, fresh after a rebuild',
    async () => {
      const cached = createServiceSearch(testDeps(database()));
      const uncached = createServiceSearch(testDeps(database()), { resultCacheEntries: 0 });
      const queries = [query('passport'), { ...query('pasipoti'), language: 'sw' as const },
        { ...query('passport'), language: 'sw' as const }, query('')];
      for (let round = 0; round < 2; round += 1) {
        for (const wanted of queries) {
          assert.deepEqual(await cached.search(wanted), await uncached.search(wanted));
        }
      }
      const sw = await cached.search({ ...query('passport'), language: 'sw' });
      assert.ok(sw.items.some((item) => item.name === 'Maombi ya Pasipoti'));
      await db().updateTable('service').set({ name_en: 'Ordinary Passport Application' })
        .where('slug', '=', 'passport-application').execute();
      await cached.refresh();
      const renamed = await cached.search(query('ordinary passport'));
      assert.equal(renamed.items[0]?.name, 'Ordinary Passport Application');
      await db().updateTable('service').set({ name_en: 'Passport Application' })
        .where('slug', '=', 'passport-application').execute();
    });

  it('rebuilds at once on refresh(), dropping deleted services', async () => {
    const search = createServiceSearch(testDeps(database()));
    await addService('emergency-certificate', 'Emergency Travel Certificate');
    await search.refresh();
    assert.equal((await search.search(query('emergency'))).total, 1);
    await db().deleteFrom('service').where('slug', '=', 'emergency-certificate').execute();
    await search.refresh();
    assert.equal((await search.search(query('emergency'))).total, 0);
    const status = search.status();
    assert.ok(status.documentCount >= 11);
    assert.ok(status.termCount > 0 && status.postingCount > 0);
    assert.equal(status.building, false);
  });

  it('says which filter is unknown instead of failing', async () => {
    const search = createServiceSearch(testDeps(database()));
    const ministry = await search.search({ ...query(''), ministrySlug: 'nope' });
    assert.equal(ministry.unknownFilter, 'ministry');
    assert.deepEqual(ministry.items, []);
    const agency = await search.search({ ...query('passport'), agencySlug: 'nope' });
    assert.equal(agency.unknownFilter, 'agency');
  });

  it('keeps page and page size within bounds whatever it is given', async () => {
    const search = createServiceSearch(testDeps(database()));
    const cases = [
      { page: 0, pageSize: 0 }, { page: -5, pageSize: 1e9 }, { page: Number.NaN, pageSize: 2.7 },
      { page: 1e12, pageSize: Number.POSITIVE_INFINITY },
    ];
    for (const paging of cases) {
      const result = await search.search({ ...query('application'), ...paging });
      assert.ok(result.page >= 1 && result.page <= pageMax, JSON.stringify(paging));
      assert.ok(result.pageSize >= 1 && result.pageSize <= pageSizeMax);
      assert.ok(result.items.length <= result.pageSize);
    }
  });

  it('answers in Swahili with English where a text has no translation', async () => {
    const search = createServiceSearch(testDeps(database()));
    const result = await search.search({ ...query('kuzaliwa'), language: 'sw' });
    const birth = result.items[0];
    assert.equal(birth?.name, 'Maombi ya Cheti cha Kuzaliwa');
    assert.equal(birth?.ministryName, 'Wizara ya Mambo ya Ndani na Utawala wa Kitaifa');
    assert.match(birth?.id ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(birth?.id, ids.get('birth-certificate'));
  });
});
