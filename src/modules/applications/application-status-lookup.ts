/**
 * An application's status for the phone that asks (the USSD channel): found only when the
 * reference is typed right AND the phone is the applicant's own account phone, so a guessed
 * reference tells another person nothing. No names, no answers: the service and the status.
 */
import type { Database } from '#platform/db/index.ts';
import { normaliseApplicationReference } from './application-reference.ts';
import type { ApplicationStatus } from './application-status.ts';
import type { ApplicationsTables } from './applications-tables.ts';

export type ApplicationStatusForPhone = Readonly<{
  reference: string;
  status: ApplicationStatus;
  serviceNameEn: string;
  serviceNameSw: string | null;
}>;

/** `phone` as identity keeps it (+2547XXXXXXXX); `typed` forgives case, spaces and hyphens. */
export async function findApplicationStatusForPhone(
  deps: Readonly<{ db: Database }>,
  typed: string,
  phone: string,
): Promise<ApplicationStatusForPhone | undefined> {
  const reference = normaliseApplicationReference(typed);
  if (reference === undefined) return undefined;
  const row = await deps.db.withTables<ApplicationsTables>().selectFrom('application')
    .innerJoin('application_state', 'application_state.application_id', 'application.id')
    .innerJoin('account', 'account.id', 'application.applicant_account_id')
    .innerJoin('service', 'service.id', 'application.service_id')
    .select(['application.reference', 'application_state.status', 'service.name_en',
      'service.name_sw'])
    .where('application.reference', '=', reference)
    .where('account.phone', '=', phone)
    .executeTakeFirst();
  return row === undefined ? undefined : {
    reference: row.reference, status: row.status, serviceNameEn: row.name_en,
    serviceNameSw: row.name_sw,
  };
}
