import assert from 'node:assert/strict';
import { it } from 'node:test';
import { money } from '#platform/money/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  findServiceBySlug,
  listMinistries,
  listServicesOfAgency,
  quoteService,
} from '../catalogue-service.ts';
import type { CatalogueTables } from '../catalogue-tables.ts';
import { demoServices } from './demo-services.ts';
import { seedDemoCatalogue } from './demo-seed.ts';

describeOnDatabases('demo catalogue', (database) => {
  const deps = () => ({ db: database().db });
  const now = new Date('2026-01-15T08:00:00Z');

  it('loads into an empty catalogue once, and never again', async () => {
    assert.deepEqual(await seedDemoCatalogue(deps()),
      { seeded: true, services: demoServices.length });
    assert.deepEqual(await seedDemoCatalogue(deps()), { seeded: false, services: 0 });
    const db = database().db.withTables<CatalogueTables>();
    const count = await db.selectFrom('service').select((eb) => eb.fn.countAll<bigint>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(count.n, BigInt(demoServices.length));
    const ministries = await listMinistries(deps());
    assert.equal(ministries.reduce((total, m) => total + m.serviceCount, 0), demoServices.length);
  });

  it('prices the three ordinary passports as publicly listed, plus the access fee', async () => {
    const expected = [[34, 4_550_00n], [50, 6_050_00n], [66, 7_550_00n]] as const;
    for (const [pages, feeMinor] of expected) {
      const service = await findServiceBySlug(deps(), `ordinary-passport-${pages}-pages`);
      assert.ok(service !== undefined);
      const quote = await quoteService(deps(), service.id, now);
      assert.ok(quote.ok);
      assert.deepEqual(quote.value.serviceFee, money(feeMinor, 'KES'));
      assert.deepEqual(quote.value.total, money(feeMinor + 50_00n, 'KES'));
    }
  });

  it('has USD services whose access fee is USD 1', async () => {
    const visa = await findServiceBySlug(deps(), 'electronic-travel-authorisation');
    assert.ok(visa !== undefined);
    assert.deepEqual(visa.eligibleAccountTypes, ['foreigner']);
    const quote = await quoteService(deps(), visa.id, now);
    assert.ok(quote.ok);
    assert.deepEqual([quote.value.accessFee, quote.value.total],
      [money(1_00n, 'USD'), money(31_00n, 'USD')]);
  });

  it('names, describes and lists requirements in English and Swahili for every service',
    async () => {
      for (const demo of demoServices) {
        const service = await findServiceBySlug(deps(), demo.slug);
        assert.ok(service !== undefined, demo.slug);
        assert.ok(service.nameSw !== null && service.descriptionSw !== null, demo.slug);
        assert.ok(service.requirementsEn.length > 0, demo.slug);
        assert.equal(service.requirementsSw.length, service.requirementsEn.length, demo.slug);
        assert.equal(service.origin, 'demo');
        const agencyServices = await listServicesOfAgency(deps(), service.agency.id,
          { page: 1, pageSize: 100 });
        assert.ok(agencyServices.items.some((item) => item.id === service.id));
      }
    });
});
