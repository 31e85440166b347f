/**
 * Fee reads (SQL): a service's fee schedule versions and the gazetted access-fee schedules.
 * Dates are read as 'YYYY-MM-DD' text, never as a JS Date, so no time zone can shift them.
 */
import { sql } from 'kysely';
import { money } from '#platform/money/index.ts';
import type { AccessFeeSchedule, AccessFeeTier } from './access-fee-rules.ts';
import type { CatalogueDb } from './catalogue-repo.ts';
import type { CalendarDate, FeeVersion } from './catalogue-types.ts';

const effectiveFromText = sql<string>`to_char(effective_from, 'YYYY-MM-DD')`;
const effectiveToText = sql<string | null>`to_char(effective_to, 'YYYY-MM-DD')`;

/** The version of a service's fee in force on a date, or undefined when none is. */
export async function findFeeInForce(
  db: CatalogueDb,
  serviceId: string,
  date: CalendarDate,
): Promise<FeeVersion | undefined> {
  const row = await db.selectFrom('fee_schedule_version')
    .select([
      'id', 'service_id', 'version', 'amount_minor', 'currency', 'gazette_reference',
      effectiveFromText.as('effective_from_text'), effectiveToText.as('effective_to_text'),
    ])
    .where('service_id', '=', serviceId)
    .where(sql<boolean>`effective_from <= ${date}::date`)
    .where(sql<boolean>`(effective_to is null or effective_to > ${date}::date)`)
    .orderBy('effective_from', 'desc').orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id,
    serviceId: row.service_id,
    version: row.version,
    fee: money(row.amount_minor, row.currency),
    effectiveFrom: row.effective_from_text,
    effectiveTo: row.effective_to_text,
    gazetteReference: row.gazette_reference,
  };
}

/** Every gazetted access-fee schedule with its tiers (a handful of rows; callers cache it). */
export async function listAccessFeeSchedules(db: CatalogueDb): Promise<AccessFeeSchedule[]> {
  const schedules = await db.selectFrom('access_fee_schedule')
    .select([
      'id', 'version', 'gazette_reference',
      effectiveFromText.as('effective_from_text'), effectiveToText.as('effective_to_text'),
    ])
    .orderBy('version')
    .execute();
  const tiers = await db.selectFrom('access_fee_tier')
    .select(['schedule_id', 'currency', 'from_minor', 'below_minor', 'fee_minor'])
    .orderBy('schedule_id').orderBy('currency').orderBy('from_minor')
    .execute();
  const tiersBySchedule = new Map<string, AccessFeeTier[]>();
  for (const tier of tiers) {
    const list = tiersBySchedule.get(tier.schedule_id) ?? [];
    list.push({
      currency: tier.currency,
      fromMinor: tier.from_minor,
      belowMinor: tier.below_minor,
      feeMinor: tier.fee_minor,
    });
    tiersBySchedule.set(tier.schedule_id, list);
  }
  return schedules.map((schedule) => ({
    id: schedule.id,
    version: schedule.version,
    effectiveFrom: schedule.effective_from_text,
    effectiveTo: schedule.effective_to_text,
    gazetteReference: schedule.gazette_reference,
    tiers: tiersBySchedule.get(schedule.id) ?? [],
  }));
}
