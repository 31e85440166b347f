import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { findServiceBySlug, listMinistries, quoteService } from '../catalogue-service.ts';
import type { CatalogueTables } from '../catalogue-tables.ts';
import { syntheticAgency, syntheticService } from './generator-rules.ts';
import { generateCatalogue } from './generator-service.ts';

describe('synthetic catalogue rules', () => {
  it('builds the same row for the same seed and index, and other rows for other seeds', () => {
    fc.assert(fc.property(fc.nat(1_000_000), fc.nat(100_000), (seed, index) => {
      const agency = syntheticAgency(seed, 3);
      const service = syntheticService(seed, index, agency);
      assert.deepEqual(syntheticService(seed, index, agency), service);
      assert.equal(syntheticService(seed, index, agency).sourceId, `synthetic:${seed}:${index}`);
    }));
    const names = new Set(Array.from({ length: 50 },
      (_, seed) => syntheticService(seed, 0, syntheticAgency(seed, 0)).name.en));
    assert.ok(names.size > 10, 'seeds should vary the names');
  });

  it('names services in both languages from the vocabulary, with a town for county agencies',
    () => {
      for (let index = 0; index < 200; index += 1) {
        const agency = syntheticAgency(7, index);
        const service = syntheticService(7, index, agency);
        assert.match(service.name.en,
          /(Permit|Licence|Certificate|Registration|Approval|Inspection)/);
        assert.ok(service.name.sw !== service.name.en && service.name.sw.length > 0);
        assert.equal(service.requirementsEn.length, service.requirementsSw.length);
        if (agency.town !== null) assert.ok(service.name.en.endsWith(`— ${agency.town}`));
        assert.ok(service.fee.amountMinor > 0n);
        if (service.fee.currency === 'USD') {
          assert.deepEqual(service.eligibleAccountTypes, ['foreigner']);
        }
      }
    });
});

describeOnDatabases('catalogue generator', (database) => {
  const deps = () => ({ db: database().db });
  const count = async (table: 'service' | 'agency' | 'fee_schedule_version') => {
    const db = database().db.withTables<CatalogueTables>();
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<bigint>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };

  it('writes N services with fees, and nothing more when run again', async () => {
    const progress: number[] = [];
    const first = await generateCatalogue(deps(),
      { services: 2_500, seed: 42, onProgress: (done) => progress.push(done) });
    assert.deepEqual([first.servicesInserted, first.servicesExisting], [2_500, 0]);
    assert.deepEqual(progress, [1_000, 2_000, 2_500]);
    assert.equal(await count('service'), 2_500);
    assert.equal(await count('fee_schedule_version'), 2_500);
    assert.equal(await count('agency'), first.agencies);
    const again = await generateCatalogue(deps(), { services: 2_500, seed: 42 });
    assert.deepEqual([again.servicesInserted, again.servicesExisting, again.agencies],
      [0, 2_500, first.agencies]);
    assert.equal(await count('service'), 2_500);
  });

  it('extends a smaller run with the same seed, and adds a second seed beside it', async () => {
    const larger = await generateCatalogue(deps(), { services: 3_200, seed: 42 });
    assert.deepEqual([larger.servicesInserted, larger.servicesExisting], [700, 2_500]);
    const other = await generateCatalogue(deps(), { services: 10, seed: 43 });
    assert.equal(other.servicesInserted, 10);
    assert.equal(await count('service'), 3_210);
    const ministries = await listMinistries(deps());
    assert.equal(ministries.reduce((total, m) => total + m.serviceCount, 0), 3_210);
    assert.ok(ministries.every((m) => m.origin === 'synthetic'));
  });

  it('generates services that can be found and quoted like any other', async () => {
    // Every agency has at least five services, so service 2 belongs to agency 0.
    const expected = syntheticService(42, 2, syntheticAgency(42, 0));
    const service = await findServiceBySlug(deps(), expected.slug);
    assert.ok(service !== undefined, expected.slug);
    assert.deepEqual([service.nameEn, service.nameSw, service.origin],
      [expected.name.en, expected.name.sw, 'synthetic']);
    const quote = await quoteService(deps(), service.id, new Date('2026-01-01T10:00:00Z'));
    assert.ok(quote.ok);
    assert.deepEqual(quote.value.serviceFee, expected.fee);
  });
});
