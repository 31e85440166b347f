/** Row types of onboarding's tables (migrations/202612050100_add-agency-onboarding.sql). */
import type { Kysely } from 'kysely';
import type { Database } from '#platform/db/index.ts';

export type FeeChangeStatus = 'pending' | 'approved' | 'rejected';

export type AgencyContactTable = {
  id: string;
  agency_id: string;
  name: string;
  email: string;
  phone: string;
  created_at: Date;
};

export type FeeChangeRequestTable = {
  id: string;
  service_id: string;
  agency_id: string;
  amount_minor: bigint;
  currency: 'KES' | 'USD';
  /** A `date`: written as 'YYYY-MM-DD', read through to_char (never a JS Date). */
  effective_from: string;
  gazette_reference: string;
  status: FeeChangeStatus;
  proposed_by_staff_id: string;
  proposed_at: Date;
  decided_by_staff_id: string | null;
  decided_at: Date | null;
  rejection_reason: string | null;
  fee_schedule_version_id: string | null;
};

/** The few columns onboarding reads of tables other modules own (names, staff names). */
type ReadOnlyNames = {
  agency: { id: string; name_en: string; name_sw: string | null; ministry_id: string;
    department_id: string | null; slug: string; origin: string };
  ministry: { id: string; name_en: string };
  department: { id: string; name_en: string };
  service: { id: string; agency_id: string; name_en: string };
  staff_member: { id: string; display_name: string };
};

export type OnboardingTables = ReadOnlyNames & {
  agency_contact: AgencyContactTable;
  fee_change_request: FeeChangeRequestTable;
};

export type OnboardingDb = Kysely<OnboardingTables>;

export function onboardingDb(db: Database | Readonly<{ isTransaction: boolean }>): OnboardingDb {
  return db as unknown as OnboardingDb;
}
