/**
 * Reads for the compliance pages: one agency's register (its paybills, services by on-boarding
 * status, exemptions, outside revenue, alerts) and notices with their history. Agency scope
 * is in each query: a record outside it is not found. Dates come back as 'YYYY-MM-DD' text.
 */
import { sql } from 'kysely';
import { agencyScopeCondition, type AgencyScope } from '#modules/authorisation/index.ts';
import type { Database } from '#platform/db/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import type { Currency } from '#platform/money/index.ts';
import type { NoticeEventKind, NoticeState } from './compliance-rules.ts';
import { complianceDb, type ComplianceAlertKind } from './compliance-tables.ts';

const listSizeMax = 500;
const revenueMonthsShown = 24;

/** A staff member's display name for an id column (text), the id itself if unknown. */
function staffName<A extends string>(column: string, alias: A) {
  return sql<string>`coalesce((select s.display_name from staff_member s
    where s.id::text = ${sql.ref(column)}), ${sql.ref(column)})`.as(alias);
}

export type AgencyRef = Readonly<{ id: string; nameEn: string; nameSw: string | null }>;
export type PaybillRow = Readonly<{ id: string; paybillNumber: string; accountName: string;
  closureDueOn: string; closedOn: string | null; declaredBy: string; declaredAt: Date }>;
export type ServiceRow = Readonly<{ id: string; slug: string; nameEn: string;
  nameSw: string | null; onboardingStatus: string }>;
export type ExemptionRow = Readonly<{ id: string; serviceId: string | null;
  serviceNameEn: string | null; reason: string; migrationPlan: string; expiresOn: string;
  /** Names (the staff id if the person is unknown); approvedBy is the approver's id. */
  recordedBy: string; approvedBy: string | null; approvedByName: string | null;
  approvedAt: Date | null }>;
export type RevenueRow = Readonly<{ month: string; currency: Currency; amountMinor: bigint;
  declaredBy: string; declaredAt: Date }>;
export type AlertRow = Readonly<{ id: string; agencyId: string; agencyNameEn: string;
  kind: ComplianceAlertKind; subjectId: string; dueOn: string; raisedAt: Date;
  resolvedAt: Date | null }>;
export type NoticeRow = Readonly<{ id: string; agencyId: string; agencyNameEn: string;
  subject: string; body: string; deadlineOn: string; state: NoticeState; issuedAt: Date }>;
export type NoticeEventRow = Readonly<{ kind: NoticeEventKind; actorId: string;
  occurredAt: Date; text: string; deadlineOn: string | null }>;

export async function findAgency(db: Database, scope: AgencyScope, agencyId: string):
Promise<AgencyRef | undefined> {
  if (!isUuid(agencyId)) return undefined;
  const row = await complianceDb(db).selectFrom('agency')
    .select(['id', 'name_en', 'name_sw']).where('id', '=', agencyId)
    .where(agencyScopeCondition('agency.id', scope)).executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, nameEn: row.name_en, nameSw: row.name_sw };
}

export type Register = Readonly<{ paybills: PaybillRow[];
  /** Every service counted by on-boarding status; `services` lists the first 500 by name. */
  serviceCounts: Readonly<Record<string, number>>; services: ServiceRow[];
  exemptions: ExemptionRow[]; revenue: RevenueRow[]; alerts: AlertRow[] }>;

/** One agency's register (the caller has checked the agency is in scope). */
export async function readRegister(db: Database, agencyId: string): Promise<Register> {
  const cdb = complianceDb(db);
  const [paybills, counts, services, exemptions, revenue, alerts] = await Promise.all([
    cdb.selectFrom('compliance_legacy_paybill').select(['id', 'paybill_number', 'account_name',
      sql<string>`closure_due_on::text`.as('closure_due_on'),
      sql<string | null>`closed_on::text`.as('closed_on'), staffName('declared_by', 'declared_by'),
      'declared_at'])
      .where('agency_id', '=', agencyId).orderBy('closure_due_on').orderBy('id')
      .limit(listSizeMax).execute(),
    cdb.selectFrom('service').select(['onboarding_status', sql<number>`count(*)::int`.as('n')])
      .where('agency_id', '=', agencyId).groupBy('onboarding_status').execute(),
    cdb.selectFrom('service').select(['id', 'slug', 'name_en', 'name_sw', 'onboarding_status'])
      .where('agency_id', '=', agencyId).orderBy('name_en').orderBy('id')
      .limit(listSizeMax).execute(),
    cdb.selectFrom('compliance_exemption as e').leftJoin('service as s', 's.id', 'e.service_id')
      .select(['e.id', 'e.service_id', 's.name_en as service_name_en', 'e.reason',
        'e.migration_plan', sql<string>`e.expires_on::text`.as('expires_on'),
        staffName('e.recorded_by', 'recorded_by'), 'e.approved_by',
        staffName('e.approved_by', 'approved_by_name'), 'e.approved_at'])
      .where('e.agency_id', '=', agencyId).orderBy('e.expires_on').orderBy('e.id')
      .limit(listSizeMax).execute(),
    cdb.selectFrom('compliance_outside_revenue').select([sql<string>`month::text`.as('month'),
      'currency', 'amount_minor', staffName('declared_by', 'declared_by'), 'declared_at'])
      .where('agency_id', '=', agencyId).orderBy('month', 'desc').orderBy('currency')
      .limit(revenueMonthsShown * 2).execute(),
    listAlerts(db, agencyId),
  ]);
  return {
    paybills: paybills.map((p) => ({ id: p.id, paybillNumber: p.paybill_number,
      accountName: p.account_name, closureDueOn: p.closure_due_on, closedOn: p.closed_on,
      declaredBy: p.declared_by, declaredAt: p.declared_at })),
    serviceCounts: Object.fromEntries(counts.map((c) => [c.onboarding_status, c.n])),
    services: services.map((s) => ({ id: s.id, slug: s.slug, nameEn: s.name_en,
      nameSw: s.name_sw, onboardingStatus: s.onboarding_status })),
    exemptions: exemptions.map((e) => ({ id: e.id, serviceId: e.service_id,
      serviceNameEn: e.service_name_en, reason: e.reason, migrationPlan: e.migration_plan,
      expiresOn: e.expires_on, recordedBy: e.recorded_by, approvedBy: e.approved_by,
      approvedByName: e.approved_by === null ? null : e.approved_by_name,
      approvedAt: e.approved_at })),
    revenue: revenue.map((r) => ({ month: r.month, currency: r.currency,
      amountMinor: BigInt(r.amount_minor), declaredBy: r.declared_by,
      declaredAt: r.declared_at })),
    alerts,
  };
}

/** Open alerts first, newest first; of one agency, or of all (`agencyId` 'all'). */
export async function listAlerts(db: Database, agencyId: string | 'all'): Promise<AlertRow[]> {
  const rows = await complianceDb(db).selectFrom('compliance_alert as a')
    .innerJoin('agency as g', 'g.id', 'a.agency_id')
    .select(['a.id', 'a.agency_id', 'g.name_en', 'a.kind', 'a.subject_id',
      sql<string>`a.due_on::text`.as('due_on'), 'a.raised_at', 'a.resolved_at'])
    .where(agencyScopeCondition('a.agency_id', agencyId))
    .orderBy(sql`a.resolved_at is null`, 'desc').orderBy('a.raised_at', 'desc')
    .orderBy('a.id').limit(listSizeMax).execute();
  return rows.map((a) => ({ id: a.id, agencyId: a.agency_id, agencyNameEn: a.name_en,
    kind: a.kind, subjectId: a.subject_id, dueOn: a.due_on, raisedAt: a.raised_at,
    resolvedAt: a.resolved_at }));
}

const noticeColumns = ['n.id', 'n.agency_id', 'g.name_en', 'n.subject', 'n.body',
  sql<string>`n.deadline_on::text`.as('deadline_on'), 'n.state', 'n.issued_at'] as const;

function noticeOf(row: { id: string; agency_id: string; name_en: string; subject: string;
  body: string; deadline_on: string; state: NoticeState; issued_at: Date }): NoticeRow {
  return { id: row.id, agencyId: row.agency_id, agencyNameEn: row.name_en,
    subject: row.subject, body: row.body, deadlineOn: row.deadline_on, state: row.state,
    issuedAt: row.issued_at };
}

/** Notices in scope: open ones first (by deadline), then closed, newest first. */
export async function listNotices(db: Database, scope: AgencyScope): Promise<NoticeRow[]> {
  const rows = await complianceDb(db).selectFrom('compliance_notice as n')
    .innerJoin('agency as g', 'g.id', 'n.agency_id').select(noticeColumns)
    .where(agencyScopeCondition('n.agency_id', scope))
    .orderBy(sql`n.state = 'closed'`).orderBy('n.deadline_on').orderBy('n.id', 'desc')
    .limit(listSizeMax).execute();
  return rows.map(noticeOf);
}

export async function findNotice(db: Database, scope: AgencyScope, noticeId: string):
Promise<{ notice: NoticeRow; events: NoticeEventRow[] } | undefined> {
  if (!isUuid(noticeId)) return undefined;
  const cdb = complianceDb(db);
  const row = await cdb.selectFrom('compliance_notice as n')
    .innerJoin('agency as g', 'g.id', 'n.agency_id').select(noticeColumns)
    .where('n.id', '=', noticeId).where(agencyScopeCondition('n.agency_id', scope))
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const events = await cdb.selectFrom('compliance_notice_event').select(['kind', 'actor_id',
    'occurred_at', 'text', sql<string | null>`deadline_on::text`.as('deadline_on')])
    .where('notice_id', '=', noticeId).orderBy('seq').execute();
  return { notice: noticeOf(row), events: events.map((e) => ({ kind: e.kind,
    actorId: e.actor_id, occurredAt: e.occurred_at, text: e.text,
    deadlineOn: e.deadline_on })) };
}

/** Every agency's id and name, for the desk's "issue a notice" and "record" forms. */
export async function listAgencyRefs(db: Database): Promise<AgencyRef[]> {
  const rows = await complianceDb(db).selectFrom('agency').select(['id', 'name_en', 'name_sw'])
    .orderBy('name_en').orderBy('id').limit(1000).execute();
  return rows.map((r) => ({ id: r.id, nameEn: r.name_en, nameSw: r.name_sw }));
}
