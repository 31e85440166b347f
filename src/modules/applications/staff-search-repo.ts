/**
 * The staff search's reads from the applications tables. The agency scope is a condition of
 * the query, so an application of another agency is simply not found.
 */
import { agencyScopeCondition, type AgencyScope } from '#modules/authorisation/index.ts';
import type { ApplicationsDb } from './application-repo.ts';
import type { ApplicationStatus } from './application-status.ts';

/** An application as the search shows it: no answers, no applicant (no personal data). */
export type FoundApplication = Readonly<{
  id: string;
  reference: string;
  status: ApplicationStatus;
  serviceNameEn: string;
  serviceNameSw: string | null;
  agencyId: string;
  submittedAt: Date | null;
  updatedAt: Date;
}>;

export type ApplicationKey = Readonly<{ reference: string }> | Readonly<{ id: string }>;

export async function findApplicationInScope(db: ApplicationsDb, key: ApplicationKey,
  scope: AgencyScope): Promise<FoundApplication | undefined> {
  const query = db.selectFrom('application_state as s')
    .innerJoin('application as a', 'a.id', 's.application_id')
    .innerJoin('service as v', 'v.id', 's.service_id')
    .select(['a.id', 'a.reference', 's.status', 'v.name_en', 'v.name_sw', 's.agency_id',
      's.submitted_at', 's.updated_at'])
    .where(agencyScopeCondition('s.agency_id', scope));
  const row = await ('reference' in key ? query.where('a.reference', '=', key.reference)
    : query.where('a.id', '=', key.id)).executeTakeFirst();
  return row === undefined ? undefined : {
    id: row.id, reference: row.reference, status: row.status, serviceNameEn: row.name_en,
    serviceNameSw: row.name_sw, agencyId: row.agency_id, submittedAt: row.submitted_at,
    updatedAt: row.updated_at,
  };
}

/** What an invoice pays for ('application:<id>'), if it was issued with a subject. */
export async function findInvoiceSubject(db: ApplicationsDb, invoiceId: string):
  Promise<string | undefined> {
  const row = await db.selectFrom('invoice').select('subject').where('id', '=', invoiceId)
    .executeTakeFirst();
  return row?.subject ?? undefined;
}
