/**
 * Fee changes with two people (maker-checker): one person proposes a service's new fee (amount
 * parsed exactly from the text typed, a gazette reference, an effective date from today in
 * Kenya) as a PENDING request; a second, different person holding catalogue.manage for the
 * agency (its administrator, or a platform administrator) approves or rejects it. Only the
 * approval writes the new fee_schedule_version (the next version number, in force from the
 * effective date; the version before it ends that day), so findFeeInForce answers the old fee
 * before the date and the new one from it. Invoices already issued keep the version they
 * snapshotted. Two deciders at once: the request's row is locked, then read again in a new
 * statement, so exactly one decides and the other is told it is no longer pending.
 */
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { agencyScopeOf, auditActorOf, type StaffActor } from '#modules/authorisation/index.ts';
import {
  findStaffService,
  kenyanDate,
  lockStaffServiceInTrx,
  writeFeeVersionInTrx,
  type StaffFeeVersion,
} from '#modules/catalogue/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import { toMajorString } from '#platform/money/index.ts';
import {
  hasPendingFeeChangeInTrx,
  lockFeeChangeInTrx,
  markFeeChangeDecidedInTrx,
  type FeeChange,
} from './fee-change-repo.ts';
import type { OnboardingDeps } from './onboarding-service.ts';
import { decideFeeChange, readFeeChangeForm } from './onboarding-rules.ts';
import { onboardingDb, type OnboardingDb } from './onboarding-tables.ts';
import { managesAgency } from './services-service.ts';

export type FeeChangeFailure = Failure<'AGENCY_ONBOARDING_SERVICE_NOT_FOUND' |
  'AGENCY_FEE_CHANGE_INVALID' | 'AGENCY_FEE_CHANGE_ALREADY_PENDING' |
  'AGENCY_FEE_CHANGE_NOT_FOUND' | 'AGENCY_FEE_CHANGE_SAME_PERSON' |
  'AGENCY_FEE_CHANGE_NOT_PENDING' | 'AGENCY_FEE_CHANGE_DATE_PASSED'>;

export const rejectionReasonLengthMax = 500;

export type ProposeFeeChangeInput = Readonly<{
  agencyId: string;
  serviceId: string;
  /** As posted: currency ('KES' | 'USD'), amount ("1,050.00"), gazetteReference, effectiveFrom. */
  fields: Readonly<Record<string, string>>;
}>;

/**
 * Proposes a fee change (the maker), audited FEE_CHANGE_PROPOSED. Nothing is charged
 * differently until a second person approves it.
 * @returns err AGENCY_ONBOARDING_SERVICE_NOT_FOUND (not the caller's agency's service),
 *   AGENCY_FEE_CHANGE_INVALID (fields name each problem), AGENCY_FEE_CHANGE_ALREADY_PENDING.
 */
export async function proposeFeeChange(deps: OnboardingDeps, actor: StaffActor,
  input: ProposeFeeChangeInput): Promise<Result<{ changeId: string }, FeeChangeFailure>> {
  const notFound = err(failure('AGENCY_ONBOARDING_SERVICE_NOT_FOUND'));
  if (!managesAgency(actor, input.agencyId) || !isUuid(input.serviceId)) return notFound;
  if (await findStaffService(deps.db, input.agencyId, input.serviceId) === undefined) {
    return notFound;
  }
  const now = deps.clock.now();
  const form = readFeeChangeForm(input.fields, kenyanDate(now));
  if (!form.ok) return err(failure('AGENCY_FEE_CHANGE_INVALID', undefined, form.fields));
  const { fee, effectiveFrom, gazetteReference } = form.value;
  const changeId = uuidv7(now.getTime());
  const outcome = await deps.db.transaction().execute(async (trx) => {
    // The service's lock makes "one pending change per service" a check, not a failed insert.
    const service = await lockStaffServiceInTrx(trx, input.agencyId, input.serviceId);
    if (service === undefined) return 'AGENCY_ONBOARDING_SERVICE_NOT_FOUND' as const;
    const db = onboardingDb(trx);
    if (await hasPendingFeeChangeInTrx(db, service.id)) {
      return 'AGENCY_FEE_CHANGE_ALREADY_PENDING' as const;
    }
    await db.insertInto('fee_change_request').values({ id: changeId, service_id: service.id,
      agency_id: service.agencyId, amount_minor: fee.amountMinor, currency: fee.currency,
      effective_from: effectiveFrom, gazette_reference: gazetteReference, status: 'pending',
      proposed_by_staff_id: actor.staffId, proposed_at: now, decided_by_staff_id: null,
      decided_at: null, rejection_reason: null, fee_schedule_version_id: null }).execute();
    await recordAuditInTrx(trx, { action: 'FEE_CHANGE_PROPOSED', actor: auditActorOf(actor),
      subject: { type: 'fee_change_request', id: changeId }, agencyId: service.agencyId,
      detail: { serviceId: service.id, amount: toMajorString(fee), currency: fee.currency,
        effectiveFrom, gazetteReference } }, now);
    return undefined;
  });
  return outcome === undefined ? ok({ changeId }) : err(failure(outcome));
}

export type DecideFeeChangeInput = Readonly<{ agencyId: string; changeId: string }>;

/**
 * The pending change, locked, that this actor may decide now (lock first, then read: the
 * repository reads it again after the lock).
 */
async function lockDecidableInTrx(db: OnboardingDb, actor: StaffActor,
  input: DecideFeeChangeInput, decision: Readonly<{ approve: boolean; now: Date }>):
  Promise<Result<FeeChange, FeeChangeFailure>> {
  const change = await lockFeeChangeInTrx(db, agencyScopeOf(actor), input.changeId);
  if (change === undefined || change.agencyId !== input.agencyId) {
    return err(failure('AGENCY_FEE_CHANGE_NOT_FOUND'));
  }
  const refusal = decideFeeChange(change, { deciderStaffId: actor.staffId,
    approve: decision.approve, today: kenyanDate(decision.now) });
  return refusal === undefined ? ok(change) : err(failure(refusal));
}

/**
 * Approves a pending fee change (the checker, not its proposer): writes the next fee version
 * and audits FEE_CHANGE_APPROVED, in one transaction.
 * @returns err AGENCY_FEE_CHANGE_NOT_FOUND (none in the caller's scope),
 *   AGENCY_FEE_CHANGE_SAME_PERSON, AGENCY_FEE_CHANGE_NOT_PENDING (decided already, e.g. by
 *   someone who got there first), AGENCY_FEE_CHANGE_DATE_PASSED (propose it again).
 */
export async function approveFeeChange(deps: OnboardingDeps, actor: StaffActor,
  input: DecideFeeChangeInput): Promise<Result<{ version: StaffFeeVersion },
    FeeChangeFailure>> {
  if (!managesAgency(actor, input.agencyId) || !isUuid(input.changeId)) {
    return err(failure('AGENCY_FEE_CHANGE_NOT_FOUND'));
  }
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const db = onboardingDb(trx);
    const decidable = await lockDecidableInTrx(db, actor, input, { approve: true, now });
    if (!decidable.ok) return decidable;
    const change = decidable.value;
    const service = await lockStaffServiceInTrx(trx, change.agencyId, change.serviceId);
    if (service === undefined) throw new Error(`fee change ${change.id} lost its service`);
    const version = await writeFeeVersionInTrx(trx, { id: uuidv7(now.getTime()),
      serviceId: change.serviceId, amountMinor: change.amountMinor, currency: change.currency,
      effectiveFrom: change.effectiveFrom, gazetteReference: change.gazetteReference, now });
    await markFeeChangeDecidedInTrx(db, change.id, { status: 'approved',
      staffId: actor.staffId, at: now, reason: null, feeScheduleVersionId: version.id });
    await recordAuditInTrx(trx, { action: 'FEE_CHANGE_APPROVED', actor: auditActorOf(actor),
      subject: { type: 'fee_change_request', id: change.id }, agencyId: change.agencyId,
      detail: { serviceId: change.serviceId, proposedBy: change.proposedByStaffId,
        feeScheduleVersionId: version.id, version: version.version,
        effectiveFrom: version.effectiveFrom } }, now);
    return ok({ version });
  });
}

/**
 * Rejects a pending fee change (anyone but its proposer), with an optional reason, audited
 * FEE_CHANGE_REJECTED. No fee version is written.
 * @returns err AGENCY_FEE_CHANGE_NOT_FOUND, AGENCY_FEE_CHANGE_SAME_PERSON,
 *   AGENCY_FEE_CHANGE_NOT_PENDING, AGENCY_FEE_CHANGE_INVALID (a reason over 500 characters).
 */
export async function rejectFeeChange(deps: OnboardingDeps, actor: StaffActor,
  input: DecideFeeChangeInput & Readonly<{ reason: string }>):
  Promise<Result<{ changeId: string }, FeeChangeFailure>> {
  if (!managesAgency(actor, input.agencyId) || !isUuid(input.changeId)) {
    return err(failure('AGENCY_FEE_CHANGE_NOT_FOUND'));
  }
  const reason = input.reason.trim();
  if (reason.length > rejectionReasonLengthMax) {
    return err(failure('AGENCY_FEE_CHANGE_INVALID', undefined,
      { reason: 'agencies.onboarding.field.reason' }));
  }
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const db = onboardingDb(trx);
    const decidable = await lockDecidableInTrx(db, actor, input, { approve: false, now });
    if (!decidable.ok) return decidable;
    const change = decidable.value;
    await markFeeChangeDecidedInTrx(db, change.id, { status: 'rejected', staffId: actor.staffId,
      at: now, reason: reason === '' ? null : reason, feeScheduleVersionId: null });
    await recordAuditInTrx(trx, { action: 'FEE_CHANGE_REJECTED', actor: auditActorOf(actor),
      subject: { type: 'fee_change_request', id: change.id }, agencyId: change.agencyId,
      detail: { serviceId: change.serviceId, proposedBy: change.proposedByStaffId } }, now);
    return ok({ changeId: change.id });
  });
}
