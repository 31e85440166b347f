/** Row types of the catalogue tables (migrations/202611280800_create-catalogue.sql). */
import type { ColumnType, Generated } from 'kysely';

export type Origin = 'demo' | 'ecitizen' | 'synthetic' | 'onboarded';
/** 'sandbox' (migration 202612050100): made on the platform, not yet public nor payable. */
export type OnboardingStatus = 'live' | 'in_progress' | 'not_started' | 'exempt' | 'sandbox';
export type DeliveryMode = 'online' | 'collect_in_person' | 'courier' | 'mixed';
export type AccountType = 'citizen' | 'resident' | 'foreigner' | 'business';

type Timestamps = {
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

/** A `date` column: read as a Date, written as 'YYYY-MM-DD' or a Date. */
type DateColumn = ColumnType<Date, string | Date, string | Date>;

export type MinistryTable = Timestamps & {
  id: string;
  source_id: string | null;
  slug: string;
  name_en: string;
  name_sw: string | null;
  description_en: string | null;
  description_sw: string | null;
  url: string | null;
  origin: Origin;
};

export type DepartmentTable = Timestamps & {
  id: string;
  source_id: string | null;
  ministry_id: string;
  slug: string;
  name_en: string;
  name_sw: string | null;
  url: string | null;
  origin: Origin;
};

export type AgencyTable = Timestamps & {
  id: string;
  source_id: string | null;
  ministry_id: string;
  department_id: string | null;
  slug: string;
  name_en: string;
  name_sw: string | null;
  description_en: string | null;
  description_sw: string | null;
  url: string | null;
  origin: Origin;
};

export type ServiceTable = Timestamps & {
  id: string;
  source_id: string | null;
  agency_id: string;
  slug: string;
  name_en: string;
  name_sw: string | null;
  description_en: string | null;
  description_sw: string | null;
  requirements_en: Generated<string[]>;
  requirements_sw: Generated<string[]>;
  service_url: string | null;
  onboarding_status: Generated<OnboardingStatus>;
  sla_days: number | null;
  delivery_mode: Generated<DeliveryMode>;
  eligible_account_types: Generated<AccountType[]>;
  form_schema: unknown;
  origin: Origin;
  /** What the payer does after paying (migration 202612041101); null: the general line. */
  next_step_en: ColumnType<string | null, string | null | undefined, string | null>;
  next_step_sw: ColumnType<string | null, string | null | undefined, string | null>;
};

export type FeeScheduleVersionTable = {
  id: string;
  service_id: string;
  version: number;
  amount_minor: bigint;
  currency: 'KES' | 'USD';
  effective_from: DateColumn;
  effective_to: DateColumn | null;
  gazette_reference: string | null;
  created_at: Generated<Date>;
};

export type AccessFeeScheduleTable = {
  id: string;
  version: number;
  effective_from: DateColumn;
  effective_to: DateColumn | null;
  gazette_reference: string;
  created_at: Generated<Date>;
};

export type AccessFeeTierTable = {
  schedule_id: string;
  currency: 'KES' | 'USD';
  from_minor: bigint;
  below_minor: bigint | null;
  fee_minor: bigint;
};

/**
 * Uses of a service per Kenyan day, over 64 counters a day (migrations
 * 202612041200_create-service-demand.sql, 202612041300_spread-service-demand-counters.sql).
 */
export type ServiceDemandTable = {
  service_id: string;
  day: DateColumn;
  shard: number;
  count: number;
};

export type CatalogueTables = {
  ministry: MinistryTable;
  department: DepartmentTable;
  agency: AgencyTable;
  service: ServiceTable;
  fee_schedule_version: FeeScheduleVersionTable;
  access_fee_schedule: AccessFeeScheduleTable;
  access_fee_tier: AccessFeeTierTable;
  service_demand: ServiceDemandTable;
};
