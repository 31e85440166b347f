/**
 * The compliance register's use cases. The agency (compliance.respond, its own agency only)
 * declares its legacy paybills, records one closed, and declares revenue collected outside
 * the platform month by month; the compliance desk (compliance.manage) records exemptions,
 * which a different person of the desk approves (maker-checker). Each change is audited in
 * its own transaction.
 */
import { sql, type Transaction } from 'kysely';
import { recordAuditInTrx, type AuditActor } from '#modules/audit/index.ts';
import { isInAgencyScope, type AgencyScope } from '#modules/authorisation/index.ts';
import type { Database } from '#platform/db/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import { isCurrency, parseMajor } from '#platform/money/index.ts';
import type { ComplianceErrorCode } from './compliance-errors.ts';
import {
  isIsoDate,
  monthStart,
  nairobiDate,
  paybillNumberPattern,
  subjectLengthMax,
  textLengthMax,
} from './compliance-rules.ts';
import { complianceDb, type ComplianceTables } from './compliance-tables.ts';

export type ComplianceFailure = Failure<ComplianceErrorCode>;
type Trx = Transaction<ComplianceTables>;

type Common = Readonly<{ actor: AuditActor; now: Date }>;

export function actorIdOf(actor: AuditActor): string {
  return actor.id ?? actor.kind;
}

/** Text present, trimmed, at most `max` characters; undefined if not. */
export function requiredText(value: string | undefined, max: number): string | undefined {
  const text = (value ?? '').trim();
  return text.length === 0 || text.length > max ? undefined : text;
}

/** The agency, if it exists and is in scope (a stranger's agency is simply not found). */
async function agencyInScope(db: Database, scope: AgencyScope, agencyId: string):
Promise<boolean> {
  if (!isUuid(agencyId) || !isInAgencyScope(scope, agencyId)) return false;
  const found = await complianceDb(db).selectFrom('agency').select('id')
    .where('id', '=', agencyId).executeTakeFirst();
  return found !== undefined;
}

export type DeclarePaybillInput = Common & Readonly<{
  scope: AgencyScope; agencyId: string; paybillNumber: string; accountName: string;
  closureDueOn: string;
}>;

/** @returns err COMPLIANCE_AGENCY_NOT_FOUND, _PAYBILL_NUMBER_INVALID, _PAYBILL_NAME_REQUIRED,
 * _DATE_INVALID, _PAYBILL_ALREADY_DECLARED. */
export async function declareLegacyPaybill(db: Database, input: DeclarePaybillInput):
Promise<Result<{ id: string }, ComplianceFailure>> {
  if (!await agencyInScope(db, input.scope, input.agencyId)) {
    return err(failure('COMPLIANCE_AGENCY_NOT_FOUND'));
  }
  const paybillNumber = input.paybillNumber.trim();
  if (!paybillNumberPattern.test(paybillNumber)) {
    return err(failure('COMPLIANCE_PAYBILL_NUMBER_INVALID'));
  }
  const accountName = requiredText(input.accountName, subjectLengthMax);
  if (accountName === undefined) return err(failure('COMPLIANCE_PAYBILL_NAME_REQUIRED'));
  const closureDueOn = input.closureDueOn.trim();
  if (!isIsoDate(closureDueOn)) return err(failure('COMPLIANCE_DATE_INVALID'));
  const id = uuidv7(input.now.getTime());
  const inserted = await complianceDb(db).transaction().execute(async (trx) => {
    const rows = await trx.insertInto('compliance_legacy_paybill').values({
      id, agency_id: input.agencyId, paybill_number: paybillNumber, account_name: accountName,
      closure_due_on: closureDueOn, declared_by: actorIdOf(input.actor),
      declared_at: input.now,
    }).onConflict((conflict) => conflict.constraint('compliance_legacy_paybill_number_key')
      .doNothing()).returning('id').execute();
    if (rows.length === 0) return false;
    await recordAuditInTrx(trx, { action: 'COMPLIANCE_PAYBILL_DECLARED', actor: input.actor,
      subject: { type: 'compliance-legacy-paybill', id }, agencyId: input.agencyId,
      detail: { paybillNumber, closureDueOn } }, input.now);
    return true;
  });
  return inserted ? ok({ id }) : err(failure('COMPLIANCE_PAYBILL_ALREADY_DECLARED'));
}

export type ClosePaybillInput = Common & Readonly<{
  scope: AgencyScope; agencyId: string; paybillId: string; closedOn: string;
}>;

/** @returns err COMPLIANCE_PAYBILL_NOT_FOUND, _DATE_INVALID, _DATE_IN_FUTURE,
 * _PAYBILL_ALREADY_CLOSED. */
export async function closeLegacyPaybill(db: Database, input: ClosePaybillInput):
Promise<Result<{ id: string }, ComplianceFailure>> {
  if (!isUuid(input.paybillId) || !isUuid(input.agencyId) ||
    !isInAgencyScope(input.scope, input.agencyId)) {
    return err(failure('COMPLIANCE_PAYBILL_NOT_FOUND'));
  }
  const closedOn = input.closedOn.trim();
  if (!isIsoDate(closedOn)) return err(failure('COMPLIANCE_DATE_INVALID'));
  if (closedOn > nairobiDate(input.now)) return err(failure('COMPLIANCE_DATE_IN_FUTURE'));
  return complianceDb(db).transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('compliance_legacy_paybill').select('id')
      .where('id', '=', input.paybillId).where('agency_id', '=', input.agencyId)
      .forUpdate().executeTakeFirst();
    if (locked === undefined) return err(failure('COMPLIANCE_PAYBILL_NOT_FOUND'));
    const updated = await trx.updateTable('compliance_legacy_paybill')
      .set({ closed_on: closedOn }).where('id', '=', input.paybillId)
      .where('closed_on', 'is', null).returning('paybill_number').executeTakeFirst();
    if (updated === undefined) return err(failure('COMPLIANCE_PAYBILL_ALREADY_CLOSED'));
    await recordAuditInTrx(trx, { action: 'COMPLIANCE_PAYBILL_CLOSED', actor: input.actor,
      subject: { type: 'compliance-legacy-paybill', id: input.paybillId },
      agencyId: input.agencyId, detail: { paybillNumber: updated.paybill_number, closedOn } },
    input.now);
    return ok({ id: input.paybillId });
  });
}

export type DeclareRevenueInput = Common & Readonly<{
  scope: AgencyScope; agencyId: string; month: string; currency: string; amount: string;
}>;

/**
 * Declares (or corrects) revenue collected outside the platform in a month. The audit
 * record keeps the figure it replaces.
 * @returns err COMPLIANCE_AGENCY_NOT_FOUND, _MONTH_INVALID, _AMOUNT_INVALID.
 */
export async function declareOutsideRevenue(db: Database, input: DeclareRevenueInput):
Promise<Result<{ amountMinor: bigint }, ComplianceFailure>> {
  if (!await agencyInScope(db, input.scope, input.agencyId)) {
    return err(failure('COMPLIANCE_AGENCY_NOT_FOUND'));
  }
  const month = monthStart(input.month.trim());
  if (month === undefined || month > nairobiDate(input.now)) {
    return err(failure('COMPLIANCE_MONTH_INVALID'));
  }
  const currency = input.currency;
  const amount = isCurrency(currency) ? parseMajor(input.amount, currency) : undefined;
  if (amount === undefined) return err(failure('COMPLIANCE_AMOUNT_INVALID'));
  await complianceDb(db).transaction().execute(async (trx) => {
    const previous = await trx.selectFrom('compliance_outside_revenue').select('amount_minor')
      .where('agency_id', '=', input.agencyId).where(sql<boolean>`month = ${month}::date`)
      .where('currency', '=', amount.currency).forUpdate().executeTakeFirst();
    await trx.insertInto('compliance_outside_revenue').values({
      agency_id: input.agencyId, month, currency: amount.currency,
      amount_minor: amount.amountMinor, declared_by: actorIdOf(input.actor),
      declared_at: input.now,
    }).onConflict((conflict) => conflict.constraint('compliance_outside_revenue_pkey')
      .doUpdateSet({ amount_minor: amount.amountMinor, declared_by: actorIdOf(input.actor),
        declared_at: input.now })).execute();
    await recordAuditInTrx(trx, { action: 'COMPLIANCE_OUTSIDE_REVENUE_DECLARED',
      actor: input.actor, subject: { type: 'agency', id: input.agencyId },
      agencyId: input.agencyId, detail: { month: month.slice(0, 7), currency: amount.currency,
        amountMinor: amount.amountMinor.toString(),
        previousAmountMinor: previous === undefined ? null : previous.amount_minor.toString() } },
    input.now);
  });
  return ok({ amountMinor: amount.amountMinor });
}

export type RecordExemptionInput = Common & Readonly<{
  agencyId: string; serviceId: string; reason: string; migrationPlan: string;
  expiresOn: string;
}>;

/**
 * Records an exemption for an agency (serviceId '') or one of its services; it is in force
 * only once a different person approves it.
 * @returns err COMPLIANCE_AGENCY_NOT_FOUND, _SERVICE_NOT_FOUND, _TEXT_REQUIRED,
 * _DATE_INVALID, _DATE_NOT_FUTURE.
 */
export async function recordExemption(db: Database, input: RecordExemptionInput):
Promise<Result<{ id: string }, ComplianceFailure>> {
  if (!await agencyInScope(db, 'all', input.agencyId)) {
    return err(failure('COMPLIANCE_AGENCY_NOT_FOUND'));
  }
  const serviceId = input.serviceId.trim() === '' ? null : input.serviceId.trim();
  if (serviceId !== null) {
    const service = isUuid(serviceId) ? await complianceDb(db).selectFrom('service')
      .select('id').where('id', '=', serviceId).where('agency_id', '=', input.agencyId)
      .executeTakeFirst() : undefined;
    if (service === undefined) return err(failure('COMPLIANCE_SERVICE_NOT_FOUND'));
  }
  const reason = requiredText(input.reason, textLengthMax);
  const plan = requiredText(input.migrationPlan, textLengthMax);
  if (reason === undefined || plan === undefined) return err(failure('COMPLIANCE_TEXT_REQUIRED'));
  const expiresOn = input.expiresOn.trim();
  if (!isIsoDate(expiresOn)) return err(failure('COMPLIANCE_DATE_INVALID'));
  if (expiresOn <= nairobiDate(input.now)) return err(failure('COMPLIANCE_DATE_NOT_FUTURE'));
  const id = uuidv7(input.now.getTime());
  await complianceDb(db).transaction().execute(async (trx) => {
    await trx.insertInto('compliance_exemption').values({ id, agency_id: input.agencyId,
      service_id: serviceId, reason, migration_plan: plan, expires_on: expiresOn,
      recorded_by: actorIdOf(input.actor), recorded_at: input.now, approved_by: null,
      approved_at: null }).execute();
    await recordAuditInTrx(trx, { action: 'COMPLIANCE_EXEMPTION_RECORDED', actor: input.actor,
      subject: { type: 'compliance-exemption', id }, agencyId: input.agencyId,
      detail: { serviceId, expiresOn } }, input.now);
  });
  return ok({ id });
}

/**
 * Approves an exemption another person recorded. The row is locked first, then read, so two
 * approvers at once approve it once.
 * @returns err COMPLIANCE_EXEMPTION_NOT_FOUND, _EXEMPTION_RECORDER_CANNOT_APPROVE,
 * _EXEMPTION_ALREADY_APPROVED.
 */
export async function approveExemption(db: Database, input: Common & Readonly<{
  exemptionId: string }>): Promise<Result<{ id: string }, ComplianceFailure>> {
  if (!isUuid(input.exemptionId)) return err(failure('COMPLIANCE_EXEMPTION_NOT_FOUND'));
  return complianceDb(db).transaction().execute(async (trx: Trx) => {
    const locked = await trx.selectFrom('compliance_exemption').select('id')
      .where('id', '=', input.exemptionId).forUpdate().executeTakeFirst();
    if (locked === undefined) return err(failure('COMPLIANCE_EXEMPTION_NOT_FOUND'));
    const exemption = await trx.selectFrom('compliance_exemption')
      .select(['agency_id', 'recorded_by', 'approved_by']).where('id', '=', input.exemptionId)
      .executeTakeFirstOrThrow();
    if (exemption.approved_by !== null) {
      return err(failure('COMPLIANCE_EXEMPTION_ALREADY_APPROVED'));
    }
    const approver = actorIdOf(input.actor);
    if (exemption.recorded_by === approver) {
      return err(failure('COMPLIANCE_EXEMPTION_RECORDER_CANNOT_APPROVE'));
    }
    await trx.updateTable('compliance_exemption')
      .set({ approved_by: approver, approved_at: input.now })
      .where('id', '=', input.exemptionId).execute();
    await recordAuditInTrx(trx, { action: 'COMPLIANCE_EXEMPTION_APPROVED', actor: input.actor,
      subject: { type: 'compliance-exemption', id: input.exemptionId },
      agencyId: exemption.agency_id }, input.now);
    return ok({ id: input.exemptionId });
  });
}
