/**
 * The compliance check, run by the workers every hour (the Nairobi day turns once a day; an
 * hourly run raises a missed deadline within the hour): it raises one alert per expired
 * exemption, per legacy paybill still open past its closure date, and per notice unanswered
 * past its deadline; one per (subject, kind), so it is not raised again however often or
 * from how many workers the check runs. An alert whose paybill has since closed, or whose
 * notice was answered or given a new deadline, is marked resolved; should that notice miss
 * its new deadline, the same alert is raised again. Each
 * raise and resolution is audited in the check's transaction.
 */
import { sql } from 'kysely';
import { recordAuditsInTrx } from '#modules/audit/index.ts';
import type { Database } from '#platform/db/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import type { ModuleDeps, PeriodicJob } from '#platform/module.ts';
import { nairobiDate } from './compliance-rules.ts';
import { complianceDb, type ComplianceAlertKind } from './compliance-tables.ts';

const hourMs = 3_600_000;
const system = { kind: 'system', id: 'compliance-check' } as const;

type Due = Readonly<{ agency_id: string; kind: ComplianceAlertKind; subject_id: string;
  due_on: string }>;

export type ComplianceCheckResult = Readonly<{ raised: number; resolved: number }>;

/** Raises what is newly due and resolves what was put right, as of `now`'s Nairobi day. */
export async function checkCompliance(db: Database, now: Date): Promise<ComplianceCheckResult> {
  const today = nairobiDate(now);
  return complianceDb(db).transaction().execute(async (trx) => {
    const due = await sql<Due>`
      select agency_id, 'exemption_expired' as kind, id as subject_id, expires_on::text as due_on
        from compliance_exemption where approved_by is not null and expires_on < ${today}::date
      union all
      select agency_id, 'paybill_past_closure', id, closure_due_on::text
        from compliance_legacy_paybill
        where closed_on is null and closure_due_on < ${today}::date
      union all
      select agency_id, 'notice_overdue', id, deadline_on::text from compliance_notice
        where state = 'issued' and deadline_on < ${today}::date`.execute(trx);
    const raised = due.rows.length === 0 ? [] : await trx.insertInto('compliance_alert')
      .values(due.rows.map((row) => ({ id: uuidv7(now.getTime()), agency_id: row.agency_id,
        kind: row.kind, subject_id: row.subject_id, due_on: row.due_on, raised_at: now,
        resolved_at: null })))
      // Open already: nothing. Resolved, and due again (a reopened notice missed its new
      // deadline): raised again, the same alert.
      .onConflict((conflict) => conflict.constraint('compliance_alert_subject_key')
        .doUpdateSet((eb) => ({ resolved_at: null, due_on: eb.ref('excluded.due_on'),
          raised_at: eb.ref('excluded.raised_at') }))
        .where('compliance_alert.resolved_at', 'is not', null))
      .returning(['id', 'agency_id', 'kind']).execute();
    const resolved = await sql<{ id: string; agency_id: string; kind: string }>`
      update compliance_alert a set resolved_at = ${now}::timestamptz
      where a.resolved_at is null and (
        (a.kind = 'paybill_past_closure' and exists (select 1 from compliance_legacy_paybill p
          where p.id = a.subject_id and p.closed_on is not null))
        or (a.kind = 'notice_overdue' and exists (select 1 from compliance_notice n
          where n.id = a.subject_id and (n.state <> 'issued' or n.deadline_on >= ${today}::date))))
      returning a.id, a.agency_id, a.kind`.execute(trx);
    const events = [
      ...raised.map((alert) => ({ action: 'COMPLIANCE_ALERT_RAISED', alert })),
      ...resolved.rows.map((alert) => ({ action: 'COMPLIANCE_ALERT_RESOLVED', alert })),
    ].map(({ action, alert }) => ({ action, actor: system,
      subject: { type: 'compliance-alert', id: alert.id }, agencyId: alert.agency_id,
      detail: { kind: alert.kind } }));
    if (events.length > 0) await recordAuditsInTrx(trx, events, now);
    return { raised: raised.length, resolved: resolved.rows.length };
  });
}

export function complianceJobs(deps: ModuleDeps): readonly PeriodicJob[] {
  return [{ name: 'agencies.compliance-check', everyMs: hourMs, run: async () => {
    const result = await checkCompliance(deps.db, deps.clock.now());
    if (result.raised > 0 || result.resolved > 0) {
      deps.logger.warn(result, 'compliance alerts raised or resolved');
    }
  } }];
}
