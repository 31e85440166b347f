/**
 * Lists of applications, read from the projection (application_state) with one indexed query
 * each: the applicant's, those awaiting a second party's confirmation, and the agency's work
 * queue (filtered in the query by the caller's agency scope, sorted by SLA due date).
 */
import type { AgencyScope } from '#modules/authorisation/index.ts';
import type { ApplicationsDb } from './application-repo.ts';
import type { ApplicationStatus } from './application-status.ts';

export type ApplicationSummary = Readonly<{
  id: string;
  reference: string;
  status: ApplicationStatus;
  serviceId: string;
  serviceNameEn: string;
  serviceNameSw: string | null;
  agencyId: string;
  createdAt: Date;
  updatedAt: Date;
  slaDueAt: Date | null;
  escalatedAt: Date | null;
  assignedStaffId: string | null;
  assignedStaffName: string | null;
}>;

function summaries(db: ApplicationsDb) {
  return db.selectFrom('application_state as s')
    .innerJoin('application as a', 'a.id', 's.application_id')
    .innerJoin('service as v', 'v.id', 's.service_id')
    .leftJoin('staff_member as m', 'm.id', 's.assigned_staff_id')
    .select(['a.id', 'a.reference', 's.status', 's.service_id', 'v.name_en', 'v.name_sw',
      's.agency_id', 'a.created_at', 's.updated_at', 's.sla_due_at', 's.escalated_at',
      's.assigned_staff_id', 'm.display_name']);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaries>['execute']>>[number];

function summaryOf(row: SummaryRow): ApplicationSummary {
  return {
    id: row.id, reference: row.reference, status: row.status, serviceId: row.service_id,
    serviceNameEn: row.name_en, serviceNameSw: row.name_sw, agencyId: row.agency_id,
    createdAt: row.created_at, updatedAt: row.updated_at, slaDueAt: row.sla_due_at,
    escalatedAt: row.escalated_at, assignedStaffId: row.assigned_staff_id,
    assignedStaffName: row.display_name,
  };
}

export async function listApplicationsOf(db: ApplicationsDb, accountId: string,
  options: Readonly<{ limit: number; serviceId?: string; openOnly?: boolean }>):
  Promise<ApplicationSummary[]> {
  let query = summaries(db).where('s.applicant_account_id', '=', accountId);
  if (options.serviceId !== undefined) query = query.where('s.service_id', '=', options.serviceId);
  if (options.openOnly === true) {
    query = query.where('s.status', 'not in', ['issued', 'rejected', 'cancelled']);
  }
  const rows = await query.orderBy('s.updated_at', 'desc').orderBy('a.id', 'desc')
    .limit(options.limit).execute();
  return rows.map(summaryOf);
}

/** Drafts (and returned ones) naming the account as second party: a confirmation to give. */
export async function listToConfirm(db: ApplicationsDb, accountId: string):
  Promise<ApplicationSummary[]> {
  const rows = await summaries(db).where('s.second_party_account_id', '=', accountId)
    .where('s.status', 'in', ['draft', 'returned']).orderBy('s.updated_at', 'desc').limit(50)
    .execute();
  return rows.map(summaryOf);
}

export type QueueFilter = Readonly<{
  scope: AgencyScope;
  serviceId?: string;
  status?: ApplicationStatus;
  assignedTo?: string;
  /** Only those past their SLA due date at `now`. */
  breachedAt?: Date;
  page: number;
  pageSize: number;
}>;

/** The statuses an agency works on (a draft is the applicant's own business). */
export const queueStatuses: readonly ApplicationStatus[] = [
  'paid', 'in-review', 'returned', 'resubmitted', 'approved', 'submitted', 'awaiting-payment',
  'issued', 'rejected',
];

export async function listQueue(db: ApplicationsDb, filter: QueueFilter):
  Promise<{ items: ApplicationSummary[]; total: number }> {
  let query = summaries(db);
  let count = db.selectFrom('application_state as s');
  if (filter.scope !== 'all') {
    query = query.where('s.agency_id', '=', filter.scope);
    count = count.where('s.agency_id', '=', filter.scope);
  }
  const statuses = filter.status === undefined
    ? ['paid', 'in-review', 'resubmitted', 'approved'] as ApplicationStatus[] : [filter.status];
  query = query.where('s.status', 'in', statuses);
  count = count.where('s.status', 'in', statuses);
  if (filter.serviceId !== undefined) {
    query = query.where('s.service_id', '=', filter.serviceId);
    count = count.where('s.service_id', '=', filter.serviceId);
  }
  if (filter.assignedTo !== undefined) {
    query = query.where('s.assigned_staff_id', '=', filter.assignedTo);
    count = count.where('s.assigned_staff_id', '=', filter.assignedTo);
  }
  if (filter.breachedAt !== undefined) {
    query = query.where('s.sla_due_at', '<', filter.breachedAt);
    count = count.where('s.sla_due_at', '<', filter.breachedAt);
  }
  const [rows, total] = await Promise.all([
    query.orderBy('s.sla_due_at', (order) => order.asc().nullsLast())
      .orderBy('s.updated_at').orderBy('a.id')
      .limit(filter.pageSize).offset((filter.page - 1) * filter.pageSize).execute(),
    count.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(summaryOf), total: Number(total.n) };
}

/** The services an agency has applications for (the queue's service filter). */
export async function listQueueServices(db: ApplicationsDb, scope: AgencyScope):
  Promise<{ id: string; nameEn: string; nameSw: string | null }[]> {
  let query = db.selectFrom('service as v')
    .where('v.form_schema', 'is not', null)
    .select(['v.id', 'v.name_en', 'v.name_sw']);
  if (scope !== 'all') query = query.where('v.agency_id', '=', scope);
  const rows = await query.orderBy('v.name_en').limit(200).execute();
  return rows.map((row) => ({ id: row.id, nameEn: row.name_en, nameSw: row.name_sw }));
}
