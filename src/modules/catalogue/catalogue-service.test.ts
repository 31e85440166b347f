import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import fc from 'fast-check';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { money, type Currency } from '#platform/money/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import type { CatalogueTables } from './catalogue-tables.ts';
import {
  accessFeeFor,
  feeInForce,
  findAgencyById,
  findAgencyByIdOrSlug,
  findAgencyBySlug,
  findMinistryBySlug,
  findServiceById,
  findServiceByIdOrSlug,
  findServiceBySlug,
  hasImportedCatalogue,
  listAgencies,
  listMinistries,
  listServicesOfAgency,
  quoteService,
} from './catalogue-service.ts';

const ids = {
  ministry: '00000000-0000-7000-8000-00000000a001',
  emptyMinistry: '00000000-0000-7000-8000-00000000a002',
  department: '00000000-0000-7000-8000-00000000b001',
  agency: '00000000-0000-7000-8000-00000000c001',
  passport: '00000000-0000-7000-8000-00000000d001',
  visa: '00000000-0000-7000-8000-00000000d002',
  unpriced: '00000000-0000-7000-8000-00000000d003',
  unknown: '00000000-0000-7000-8000-00000000ffff',
};

async function insertFixture(handle: DatabaseHandle): Promise<void> {
  const db = handle.db.withTables<CatalogueTables>();
  await db.insertInto('ministry').values([
    { id: ids.ministry, slug: 'interior', name_en: 'Interior', name_sw: 'Usalama wa Ndani',
      description_en: null, description_sw: null, url: null, origin: 'demo', source_id: null },
    { id: ids.emptyMinistry, slug: 'empty', name_en: 'Empty Office', name_sw: null,
      description_en: null, description_sw: null, url: null, origin: 'demo', source_id: null },
  ]).execute();
  await db.insertInto('department').values({
    id: ids.department, ministry_id: ids.ministry, slug: 'immigration-department',
    name_en: 'Immigration', name_sw: 'Uhamiaji', url: null, origin: 'demo', source_id: null,
  }).execute();
  await db.insertInto('agency').values({
    id: ids.agency, ministry_id: ids.ministry, department_id: ids.department,
    slug: 'immigration', name_en: 'Department of Immigration', name_sw: 'Idara ya Uhamiaji',
    description_en: 'Passports', description_sw: 'Pasipoti', url: null, origin: 'demo',
    source_id: null,
  }).execute();
  const service = (id: string, slug: string, name: string) => ({
    id, agency_id: ids.agency, slug, name_en: name, name_sw: `${name} (sw)`,
    description_en: null, description_sw: null, service_url: null, sla_days: 10,
    origin: 'demo' as const, source_id: null, form_schema: null,
  });
  await db.insertInto('service').values([
    { ...service(ids.passport, 'passport', 'Passport'),
      requirements_en: ['ID card', 'Photo'], requirements_sw: ['Kitambulisho', 'Picha'] },
    service(ids.visa, 'visa', 'Visa'),
    service(ids.unpriced, 'unpriced', 'Lodge a complaint'),
  ]).execute();
  const fee = (id: string, serviceId: string, version: number, amountMinor: bigint,
    currency: Currency, from: string, to: string | null) => ({
    id, service_id: serviceId, version, amount_minor: amountMinor, currency,
    effective_from: from, effective_to: to, gazette_reference: null,
  });
  await db.insertInto('fee_schedule_version').values([
    fee('00000000-0000-7000-8000-00000000e001', ids.passport, 1, 4_050_00n, 'KES',
      '2020-01-01', '2024-01-01'),
    fee('00000000-0000-7000-8000-00000000e002', ids.passport, 2, 4_550_00n, 'KES',
      '2024-01-01', null),
    fee('00000000-0000-7000-8000-00000000e003', ids.visa, 1, 51_00n, 'USD', '2020-01-01', null),
  ]).execute();
}

describeOnDatabases('catalogue reads', (database) => {
  const deps = () => ({ db: database().db });
  before(async () => insertFixture(database()));

  it('lists ministries with their agency and service counts', async () => {
    const ministries = await listMinistries(deps());
    assert.deepEqual(ministries.map((m) => [m.slug, m.agencyCount, m.serviceCount]),
      [['empty', 0, 0], ['interior', 1, 3]]);
    assert.equal(ministries[1]?.nameSw, 'Usalama wa Ndani');
  });

  it('recounts ministries as soon as the catalogue changes (the cache follows its version)',
    async () => {
      const before = await listMinistries(deps());
      assert.equal(await listMinistries(deps()), before, 'unchanged: the cached list');
      const db = database().db.withTables<CatalogueTables>();
      await db.insertInto('agency').values({
        id: '00000000-0000-7000-8000-00000000c002', ministry_id: ids.emptyMinistry,
        department_id: null, slug: 'counted', name_en: 'Counted', name_sw: null,
        description_en: null, description_sw: null, url: null, origin: 'demo', source_id: null,
      }).execute();
      const after = await listMinistries(deps());
      assert.deepEqual(after.map((m) => [m.slug, m.agencyCount]), [['empty', 1], ['interior', 1]]);
      await db.deleteFrom('agency').where('slug', '=', 'counted').execute();
      assert.equal((await listMinistries(deps()))[0]?.agencyCount, 0);
    });

  it('finds ministries and agencies by slug and id, with their parents', async () => {
    assert.equal((await findMinistryBySlug(deps(), 'interior'))?.id, ids.ministry);
    assert.equal(await findMinistryBySlug(deps(), 'nope'), undefined);
    const agency = await findAgencyBySlug(deps(), 'immigration');
    assert.equal(agency?.ministry.slug, 'interior');
    assert.equal(agency?.department?.nameSw, 'Uhamiaji');
    assert.deepEqual(await findAgencyById(deps(), ids.agency), agency);
    assert.deepEqual(await findAgencyByIdOrSlug(deps(), ids.agency), agency);
    assert.deepEqual(await findAgencyByIdOrSlug(deps(), 'immigration'), agency);
    assert.equal(await findAgencyById(deps(), 'not-a-uuid'), undefined);
    assert.equal(await findAgencyById(deps(), ids.unknown), undefined);
  });

  it('pages agencies, optionally of one ministry', async () => {
    const all = await listAgencies(deps(), {}, { page: 1, pageSize: 10 });
    assert.equal(all.total, 1);
    assert.equal(all.items[0]?.serviceCount, 3);
    const none = await listAgencies(deps(), { ministryId: ids.emptyMinistry },
      { page: 1, pageSize: 10 });
    assert.deepEqual([none.total, none.items.length], [0, 0]);
    const beyond = await listAgencies(deps(), {}, { page: 2, pageSize: 10 });
    assert.deepEqual([beyond.total, beyond.items.length], [1, 0]);
    await assert.rejects(listAgencies(deps(), {}, { page: 0, pageSize: 10 }));
  });

  it('pages the services of an agency by name', async () => {
    const first = await listServicesOfAgency(deps(), ids.agency, { page: 1, pageSize: 2 });
    assert.deepEqual(first.items.map((s) => s.slug), ['unpriced', 'passport']);
    assert.equal(first.total, 3);
    const second = await listServicesOfAgency(deps(), ids.agency, { page: 2, pageSize: 2 });
    assert.deepEqual(second.items.map((s) => s.slug), ['visa']);
    assert.equal((await listServicesOfAgency(deps(), 'x', { page: 1, pageSize: 2 })).total, 0);
  });

  it('finds a service with its agency, ministry, department and requirements', async () => {
    const service = await findServiceBySlug(deps(), 'passport');
    assert.deepEqual(service?.requirementsSw, ['Kitambulisho', 'Picha']);
    assert.equal(service?.agency.slug, 'immigration');
    assert.equal(service?.ministry.nameEn, 'Interior');
    assert.equal(service?.department?.slug, 'immigration-department');
    assert.deepEqual(service?.eligibleAccountTypes,
      ['citizen', 'resident', 'foreigner', 'business']);
    assert.deepEqual(await findServiceById(deps(), ids.passport), service);
    assert.deepEqual(await findServiceByIdOrSlug(deps(), 'passport'), service);
    assert.equal(await findServiceByIdOrSlug(deps(), ids.unknown), undefined);
    assert.equal(await findServiceById(deps(), "'; drop table service; --"), undefined);
  });

  it('knows the fee version in force on a Kenyan date', async () => {
    const at = (iso: string) => new Date(iso);
    assert.equal(await feeInForce(deps(), ids.passport, at('2019-12-31T12:00:00Z')), undefined);
    const old = await feeInForce(deps(), ids.passport, at('2023-12-31T20:59:00Z'));
    assert.deepEqual([old?.version, old?.effectiveFrom, old?.effectiveTo],
      [1, '2020-01-01', '2024-01-01']);
    // 21:00 UTC on 31 December is midnight in Nairobi: the new fee applies.
    const current = await feeInForce(deps(), ids.passport, at('2023-12-31T21:00:00Z'));
    assert.deepEqual(current?.fee, money(4_550_00n, 'KES'));
    assert.equal(current?.effectiveTo, null);
  });

  it('quotes service fee + access fee, or says why it cannot', async () => {
    const now = new Date('2025-03-01T09:00:00Z');
    const passport = await quoteService(deps(), ids.passport, now);
    assert.ok(passport.ok);
    assert.deepEqual(passport.value.accessFee, money(50_00n, 'KES'));
    assert.deepEqual(passport.value.total, money(4_600_00n, 'KES'));
    assert.equal(passport.value.feeVersion.version, 2);
    const visa = await quoteService(deps(), ids.visa, now);
    assert.ok(visa.ok);
    assert.deepEqual(visa.value.total, money(52_00n, 'USD'));
    const unpriced = await quoteService(deps(), ids.unpriced, now);
    assert.equal(!unpriced.ok && unpriced.error.code, 'CATALOGUE_FEE_NOT_IN_FORCE');
    const unknown = await quoteService(deps(), ids.unknown, now);
    assert.equal(!unknown.ok && unknown.error.code, 'CATALOGUE_SERVICE_NOT_FOUND');
  });

  it('computes the gazetted access fee at every tier boundary', async () => {
    const now = new Date('2025-03-01T09:00:00Z');
    const cases: ReadonlyArray<readonly [bigint, Currency, bigint]> = [
      [1n, 'KES', 5_00n], [199_99n, 'KES', 5_00n], [200_00n, 'KES', 10_00n],
      [299_99n, 'KES', 10_00n], [300_00n, 'KES', 15_00n], [499_99n, 'KES', 15_00n],
      [500_00n, 'KES', 20_00n], [699_99n, 'KES', 20_00n], [700_00n, 'KES', 25_00n],
      [999_99n, 'KES', 25_00n], [1_000_00n, 'KES', 50_00n], [1_000_000_00n, 'KES', 50_00n],
      [1n, 'USD', 1_00n], [1_000_00n, 'USD', 1_00n], [0n, 'KES', 0n],
    ];
    for (const [amountMinor, currency, expectedMinor] of cases) {
      const fee = await accessFeeFor(deps(), money(amountMinor, currency), now);
      assert.ok(fee.ok);
      assert.deepEqual(fee.value, money(expectedMinor, currency), `${amountMinor} ${currency}`);
    }
    const before2023 = await accessFeeFor(deps(), money(100n, 'KES'), new Date('2023-06-01'));
    assert.equal(!before2023.ok && before2023.error.code, 'CATALOGUE_ACCESS_FEE_NOT_IN_FORCE');
  });

  it('charges an access fee monotone in the service fee (gazetted tiers)', async () => {
    const now = new Date('2025-03-01T09:00:00Z');
    await fc.assert(fc.asyncProperty(
      fc.bigInt({ min: 0n, max: 5_000_00n }), fc.bigInt({ min: 0n, max: 5_000_00n }),
      async (first, second) => {
        const [low, high] = first <= second ? [first, second] : [second, first];
        const lowFee = await accessFeeFor(deps(), money(low, 'KES'), now);
        const highFee = await accessFeeFor(deps(), money(high, 'KES'), now);
        assert.ok(lowFee.ok && highFee.ok);
        assert.ok(lowFee.value.amountMinor <= highFee.value.amountMinor);
      },
    ), { numRuns: 200 });
  });

  it('says whether imported (eCitizen) rows exist', async () => {
    assert.equal(await hasImportedCatalogue(deps()), false);
  });
});
