/**
 * Bulk inserts of the generator. A batch travels as ONE jsonb parameter expanded by
 * jsonb_to_recordset, not as a VALUES list of ~17,000 parameters: PostgreSQL parses and plans
 * one small statement instead of a huge one. Amounts travel as decimal strings, never as JSON
 * numbers, so no amount passes through a float.
 */
import { sql, type Transaction } from 'kysely';
import type {
  AccountType,
  CatalogueTables,
  DeliveryMode,
  OnboardingStatus,
} from '../catalogue-tables.ts';

export type GeneratedServiceRow = Readonly<{
  id: string;
  source_id: string;
  slug: string;
  agency_id: string;
  name_en: string;
  name_sw: string;
  description_en: string;
  description_sw: string;
  requirements_en: readonly string[];
  requirements_sw: readonly string[];
  onboarding_status: OnboardingStatus;
  sla_days: number;
  delivery_mode: DeliveryMode;
  eligible_account_types: readonly AccountType[];
}>;

export type GeneratedFeeRow = Readonly<{
  id: string;
  service_id: string;
  amount_minor: string;
  currency: 'KES' | 'USD';
  effective_from: string;
}>;

/** Inserts the services that do not exist yet; returns the source ids it inserted. */
export async function insertServicesInTrx(
  trx: Transaction<CatalogueTables>,
  rows: readonly GeneratedServiceRow[],
): Promise<Set<string>> {
  const result = await sql<{ source_id: string }>`
    insert into service (id, source_id, slug, agency_id, name_en, name_sw, description_en,
      description_sw, requirements_en, requirements_sw, onboarding_status, sla_days,
      delivery_mode, eligible_account_types, origin)
    select id, source_id, slug, agency_id, name_en, name_sw, description_en, description_sw,
      requirements_en, requirements_sw, onboarding_status, sla_days, delivery_mode,
      eligible_account_types, 'synthetic'
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as row (id uuid, source_id text,
      slug text, agency_id uuid, name_en text, name_sw text, description_en text,
      description_sw text, requirements_en text[], requirements_sw text[],
      onboarding_status text, sla_days integer, delivery_mode text,
      eligible_account_types text[])
    on conflict do nothing
    returning source_id`.execute(trx);
  return new Set(result.rows.map((row) => row.source_id));
}

export async function insertFeesInTrx(
  trx: Transaction<CatalogueTables>,
  rows: readonly GeneratedFeeRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into fee_schedule_version (id, service_id, version, amount_minor, currency,
      effective_from)
    select id, service_id, 1, amount_minor, currency, effective_from
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as row (id uuid, service_id uuid,
      amount_minor bigint, currency text, effective_from date)
    on conflict do nothing`.execute(trx);
}
