/**
 * Fixtures for payments tests: a ministry, an agency and priced services inserted straight
 * into the catalogue tables, and a clock. Fees: KES 1,000.00 (access fee KES 50.00, total
 * KES 1,050.00), KES 250.00 (access fee KES 10.00), USD 50.00 (access fee USD 1.00), and a free
 * service.
 */
import { uuidv7 } from '#platform/ids/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import type { CatalogueTables } from '#modules/catalogue/index.ts';

export const fixtureIds = Object.freeze({
  ministry: '00000000-0000-7000-8000-0000000fa001',
  agency: '00000000-0000-7000-8000-0000000fc001',
  passport: '00000000-0000-7000-8000-0000000fd001',
  permit: '00000000-0000-7000-8000-0000000fd002',
  visa: '00000000-0000-7000-8000-0000000fd003',
  free: '00000000-0000-7000-8000-0000000fd004',
});

export const fixtureNow = new Date('2026-12-01T09:00:00Z');

export async function insertPaymentsFixture(handle: DatabaseHandle): Promise<void> {
  const db = handle.db.withTables<CatalogueTables>();
  const existing = await db.selectFrom('agency').select('id')
    .where('id', '=', fixtureIds.agency).executeTakeFirst();
  if (existing !== undefined) return;
  await db.insertInto('ministry').values({
    id: fixtureIds.ministry, slug: 'fixture-interior', name_en: 'Interior', name_sw: null,
    description_en: null, description_sw: null, url: null, origin: 'demo', source_id: null,
  }).execute();
  await db.insertInto('agency').values({
    id: fixtureIds.agency, ministry_id: fixtureIds.ministry, department_id: null,
    slug: 'fixture-immigration', name_en: 'Immigration', name_sw: 'Uhamiaji',
    description_en: null, description_sw: null, url: null, origin: 'demo', source_id: null,
  }).execute();
  const services: ReadonlyArray<readonly [string, string, bigint, 'KES' | 'USD']> = [
    [fixtureIds.passport, 'fixture-passport', 1_000_00n, 'KES'],
    [fixtureIds.permit, 'fixture-permit', 250_00n, 'KES'],
    [fixtureIds.visa, 'fixture-visa', 50_00n, 'USD'],
    [fixtureIds.free, 'fixture-free', 0n, 'KES'],
  ];
  for (const [id, slug, amountMinor, currency] of services) {
    await db.insertInto('service').values({
      id, agency_id: fixtureIds.agency, slug, name_en: `Service ${slug}`, name_sw: null,
      description_en: null, description_sw: null, service_url: null, sla_days: 10,
      origin: 'demo', source_id: null, form_schema: null,
    }).execute();
    await db.insertInto('fee_schedule_version').values({
      id: uuidv7(), service_id: id, version: 1, amount_minor: amountMinor, currency,
      effective_from: '2024-01-01', effective_to: null, gazette_reference: 'Fixture notice 1',
    }).execute();
  }
}

/** A fresh payer account id (identity owns accounts; invoices only keep the id). */
export function newPayerId(): string {
  return uuidv7();
}
