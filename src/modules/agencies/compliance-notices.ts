/**
 * Comply-or-explain notices: the compliance desk issues one to an agency with a deadline; the
 * agency answers; the desk closes it (the answer accepted) or reopens it with a new deadline.
 * Every step is an event (compliance_notice_event, append-only) and an audit record in one
 * transaction; the notice's state column is their projection, moved only through the
 * transition table (compliance-rules.ts), under the notice's row lock. Issuing e-mails the
 * agency's administrators (queued in the same transaction).
 */
import type { Transaction } from 'kysely';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { agencyScopeCondition, type AgencyScope } from '#modules/authorisation/index.ts';
import { enqueueNotificationsInTrx } from '#modules/notifications/index.ts';
import type { Database } from '#platform/db/index.ts';
import { err, failure, ok, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import {
  isIsoDate,
  nairobiDate,
  noticeBodyLengthMax,
  noticeStateAfter,
  subjectLengthMax,
  type NoticeEventKind,
  type NoticeState,
} from './compliance-rules.ts';
import { compliancePaths } from './compliance-paths.ts';
import {
  actorIdOf,
  requiredText,
  type ComplianceFailure,
} from './compliance-service.ts';
import { complianceDb, type ComplianceTables } from './compliance-tables.ts';

type Common = Readonly<{ actor: Parameters<typeof actorIdOf>[0]; now: Date }>;

/** A deadline: a real date after today (Nairobi). */
function deadlineFailure(deadlineOn: string, now: Date): ComplianceFailure | undefined {
  if (!isIsoDate(deadlineOn)) return failure('COMPLIANCE_DATE_INVALID');
  return deadlineOn <= nairobiDate(now) ? failure('COMPLIANCE_DATE_NOT_FUTURE') : undefined;
}

export type IssueNoticeInput = Common & Readonly<{
  agencyId: string; subject: string; body: string; deadlineOn: string;
  /** The site's public address: with it, the agency's administrators are e-mailed. */
  publicBaseUrl?: string | undefined;
}>;

const adminsNotifiedMax = 20;

/** E-mails the agency's active administrators a link to their notices, in the transaction. */
async function notifyAdminsInTrx(trx: Transaction<ComplianceTables>, input: IssueNoticeInput,
  notice: Readonly<{ subject: string; deadlineOn: string }>): Promise<number> {
  if (input.publicBaseUrl === undefined) return 0;
  const admins = await trx.selectFrom('staff_member').select('email')
    .where('agency_id', '=', input.agencyId).where('role', '=', 'agency-admin')
    .where('status', '=', 'active').orderBy('email').limit(adminsNotifiedMax).execute();
  if (admins.length === 0) return 0;
  // The compliance page (its notices listed), short enough for an SMS template.
  const url = new URL(compliancePaths.home, input.publicBaseUrl).toString();
  await enqueueNotificationsInTrx(trx, admins.map((admin) => ({ channel: 'email' as const,
    to: admin.email, template: 'agencies.compliance-notice-issued', language: 'en' as const,
    params: { subject: notice.subject.slice(0, 50), deadline: notice.deadlineOn, url } })),
  input.now);
  return admins.length;
}

/**
 * Issues a notice and, given the site's address, e-mails the agency's administrators.
 * @returns err COMPLIANCE_AGENCY_NOT_FOUND, _TEXT_REQUIRED, _DATE_INVALID, _DATE_NOT_FUTURE.
 */
export async function issueNotice(db: Database, input: IssueNoticeInput):
Promise<Result<{ id: string }, ComplianceFailure>> {
  const cdb = complianceDb(db);
  const agency = isUuid(input.agencyId) ? await cdb.selectFrom('agency').select('id')
    .where('id', '=', input.agencyId).executeTakeFirst() : undefined;
  if (agency === undefined) return err(failure('COMPLIANCE_AGENCY_NOT_FOUND'));
  const subject = requiredText(input.subject, subjectLengthMax);
  const body = requiredText(input.body, noticeBodyLengthMax);
  if (subject === undefined || body === undefined) {
    return err(failure('COMPLIANCE_TEXT_REQUIRED'));
  }
  const deadlineOn = input.deadlineOn.trim();
  const problem = deadlineFailure(deadlineOn, input.now);
  if (problem !== undefined) return err(problem);
  const id = uuidv7(input.now.getTime());
  const actorId = actorIdOf(input.actor);
  await cdb.transaction().execute(async (trx) => {
    await trx.insertInto('compliance_notice').values({ id, agency_id: input.agencyId, subject,
      body, deadline_on: deadlineOn, state: 'issued', issued_by: actorId,
      issued_at: input.now, updated_at: input.now }).execute();
    await trx.insertInto('compliance_notice_event').values({ id: uuidv7(input.now.getTime()),
      notice_id: id, kind: 'issued', actor_id: actorId, occurred_at: input.now, text: '',
      deadline_on: deadlineOn }).execute();
    await recordAuditInTrx(trx, { action: 'COMPLIANCE_NOTICE_ISSUED', actor: input.actor,
      subject: { type: 'compliance-notice', id }, agencyId: input.agencyId,
      detail: { deadlineOn } }, input.now);
    await notifyAdminsInTrx(trx, input, { subject, deadlineOn });
  });
  return ok({ id });
}

type StepInput = Common & Readonly<{
  scope: AgencyScope; noticeId: string; kind: Exclude<NoticeEventKind, 'issued'>;
  text: string; deadlineOn?: string | undefined;
}>;

const auditActions: Readonly<Record<StepInput['kind'], string>> = {
  answered: 'COMPLIANCE_NOTICE_ANSWERED',
  closed: 'COMPLIANCE_NOTICE_CLOSED',
  reopened: 'COMPLIANCE_NOTICE_REOPENED',
};

async function applyStepInTrx(trx: Transaction<ComplianceTables>, input: StepInput,
  text: string): Promise<Result<{ id: string; state: NoticeState }, ComplianceFailure>> {
  const locked = await trx.selectFrom('compliance_notice').select('id')
    .where('id', '=', input.noticeId)
    .where(agencyScopeCondition('compliance_notice.agency_id', input.scope))
    .forUpdate().executeTakeFirst();
  if (locked === undefined) return err(failure('COMPLIANCE_NOTICE_NOT_FOUND'));
  const notice = await trx.selectFrom('compliance_notice').select(['state', 'agency_id'])
    .where('id', '=', input.noticeId).executeTakeFirstOrThrow();
  const next = noticeStateAfter(notice.state, input.kind);
  if (next === undefined) return err(failure('COMPLIANCE_NOTICE_STATE_CONFLICT'));
  const deadlineOn = input.kind === 'reopened' ? input.deadlineOn ?? null : null;
  await trx.updateTable('compliance_notice').set({ state: next, updated_at: input.now,
    ...(deadlineOn === null ? {} : { deadline_on: deadlineOn }) })
    .where('id', '=', input.noticeId).execute();
  await trx.insertInto('compliance_notice_event').values({ id: uuidv7(input.now.getTime()),
    notice_id: input.noticeId, kind: input.kind, actor_id: actorIdOf(input.actor),
    occurred_at: input.now, text, deadline_on: deadlineOn }).execute();
  await recordAuditInTrx(trx, { action: auditActions[input.kind], actor: input.actor,
    subject: { type: 'compliance-notice', id: input.noticeId }, agencyId: notice.agency_id,
    detail: { state: next, deadlineOn } }, input.now);
  return ok({ id: input.noticeId, state: next });
}

/**
 * Answers, closes or reopens a notice in scope (the agency answers its own; the desk, scope
 * 'all', closes and reopens). Text: the answer (required), or the desk's note (optional).
 * @returns err COMPLIANCE_NOTICE_NOT_FOUND, _NOTICE_STATE_CONFLICT, _TEXT_REQUIRED,
 * _DATE_INVALID, _DATE_NOT_FUTURE.
 */
export async function advanceNotice(db: Database, input: StepInput):
Promise<Result<{ id: string; state: NoticeState }, ComplianceFailure>> {
  if (!isUuid(input.noticeId)) return err(failure('COMPLIANCE_NOTICE_NOT_FOUND'));
  const raw = input.text.trim();
  if (raw.length > noticeBodyLengthMax || (input.kind === 'answered' && raw.length === 0)) {
    return err(failure('COMPLIANCE_TEXT_REQUIRED'));
  }
  if (input.kind === 'reopened') {
    const problem = deadlineFailure((input.deadlineOn ?? '').trim(), input.now);
    if (problem !== undefined) return err(problem);
  }
  const step = { ...input, deadlineOn: input.deadlineOn?.trim() };
  return complianceDb(db).transaction().execute(async (trx) => applyStepInTrx(trx, step, raw));
}
