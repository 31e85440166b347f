/**
 * Fee change requests (SQL). Dates are read as 'YYYY-MM-DD' text, never as a JS Date. Callers
 * pass ids already known to be UUIDs, and the agency scope goes into the query.
 */
import { sql } from 'kysely';
import { agencyScopeCondition, type AgencyScope } from '#modules/authorisation/index.ts';
import type { Currency } from '#platform/money/index.ts';
import type { FeeChangeStatus, OnboardingDb } from './onboarding-tables.ts';

export type FeeChange = Readonly<{
  id: string;
  serviceId: string;
  serviceName: string;
  agencyId: string;
  amountMinor: bigint;
  currency: Currency;
  effectiveFrom: string;
  gazetteReference: string;
  status: FeeChangeStatus;
  proposedByStaffId: string;
  proposedByName: string;
  proposedAt: Date;
  decidedByStaffId: string | null;
  decidedAt: Date | null;
  rejectionReason: string | null;
  feeScheduleVersionId: string | null;
}>;

function selectChanges(db: OnboardingDb) {
  return db.selectFrom('fee_change_request as c')
    .innerJoin('service as s', 's.id', 'c.service_id')
    .innerJoin('staff_member as p', 'p.id', 'c.proposed_by_staff_id')
    .select(['c.id', 'c.service_id', 's.name_en as service_name', 'c.agency_id',
      'c.amount_minor', 'c.currency', 'c.gazette_reference', 'c.status',
      'c.proposed_by_staff_id', 'p.display_name as proposed_by_name', 'c.proposed_at',
      'c.decided_by_staff_id', 'c.decided_at', 'c.rejection_reason',
      'c.fee_schedule_version_id',
      sql<string>`to_char(c.effective_from, 'YYYY-MM-DD')`.as('effective_from_text')]);
}

type ChangeRow = Awaited<ReturnType<ReturnType<typeof selectChanges>['executeTakeFirstOrThrow']>>;

function toFeeChange(row: ChangeRow): FeeChange {
  return {
    id: row.id, serviceId: row.service_id, serviceName: row.service_name,
    agencyId: row.agency_id, amountMinor: row.amount_minor, currency: row.currency,
    effectiveFrom: row.effective_from_text, gazetteReference: row.gazette_reference,
    status: row.status, proposedByStaffId: row.proposed_by_staff_id,
    proposedByName: row.proposed_by_name, proposedAt: row.proposed_at,
    decidedByStaffId: row.decided_by_staff_id, decidedAt: row.decided_at,
    rejectionReason: row.rejection_reason, feeScheduleVersionId: row.fee_schedule_version_id,
  };
}

export async function findFeeChange(db: OnboardingDb, scope: AgencyScope, changeId: string):
Promise<FeeChange | undefined> {
  const row = await selectChanges(db).where('c.id', '=', changeId)
    .where(agencyScopeCondition('c.agency_id', scope)).executeTakeFirst();
  return row === undefined ? undefined : toFeeChange(row);
}

/** Locks the request's row until the transaction ends, then reads it in a new statement. */
export async function lockFeeChangeInTrx(trx: OnboardingDb, scope: AgencyScope,
  changeId: string): Promise<FeeChange | undefined> {
  const locked = await trx.selectFrom('fee_change_request').select('id')
    .where('id', '=', changeId).where(agencyScopeCondition('agency_id', scope))
    .forUpdate().executeTakeFirst();
  return locked === undefined ? undefined : findFeeChange(trx, scope, changeId);
}

/** An agency's fee changes (one service's, when given), pending first then newest. */
export async function listFeeChanges(db: OnboardingDb, filter: Readonly<{ agencyId: string;
  serviceId?: string; pendingOnly?: boolean }>, limit: number): Promise<FeeChange[]> {
  let query = selectChanges(db).where('c.agency_id', '=', filter.agencyId);
  if (filter.serviceId !== undefined) query = query.where('c.service_id', '=', filter.serviceId);
  if (filter.pendingOnly === true) query = query.where('c.status', '=', 'pending');
  const rows = await query.orderBy(sql`c.status = 'pending'`, 'desc')
    .orderBy('c.proposed_at', 'desc').orderBy('c.id', 'desc').limit(limit).execute();
  return rows.map(toFeeChange);
}

export async function hasPendingFeeChangeInTrx(trx: OnboardingDb, serviceId: string):
Promise<boolean> {
  return await trx.selectFrom('fee_change_request').select('id')
    .where('service_id', '=', serviceId).where('status', '=', 'pending')
    .executeTakeFirst() !== undefined;
}

export async function markFeeChangeDecidedInTrx(trx: OnboardingDb, changeId: string,
  decision: Readonly<{ status: 'approved' | 'rejected'; staffId: string; at: Date;
    reason: string | null; feeScheduleVersionId: string | null }>): Promise<void> {
  await trx.updateTable('fee_change_request').set({ status: decision.status,
    decided_by_staff_id: decision.staffId, decided_at: decision.at,
    rejection_reason: decision.reason, fee_schedule_version_id: decision.feeScheduleVersionId })
    .where('id', '=', changeId).where('status', '=', 'pending').execute();
}
