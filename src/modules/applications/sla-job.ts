/**
 * SLA breaches: an application the agency owes a decision on, past its due date, is escalated
 * once: an 'escalate' action (the flag in the queue) and a message to each active supervisor
 * of the agency, in one transaction. Safe from several workers at once: the action engine's
 * lock and the escalated_at check make the second one a no-op.
 */
import { enqueueNotificationsInTrx } from '#modules/notifications/index.ts';
import type { PeriodicJob } from '#platform/module.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { err, failure, ok } from '#platform/errors/index.ts';
import { actInTrx } from './action-engine.ts';
import { applicationsDb, findApplication, type ApplicationsTrx } from './application-repo.ts';
import { serviceFactsOf } from './application-facts.ts';
import { inTrx, type ApplicationsDeps } from './application-service.ts';
import { agencyOwesStatuses } from './application-status.ts';
import { applicationsPaths } from './applications-paths.ts';

const batchMax = 100;
export const slaJobEveryMs = 5 * 60_000;

async function notifySupervisorsInTrx(trx: ApplicationsTrx, deps: ApplicationsDeps,
  applicationId: string, due: Date, now: Date): Promise<void> {
  const application = await findApplication(trx, applicationId);
  if (application === undefined) return;
  const supervisors = await trx.selectFrom('staff_member').select(['email'])
    .where('agency_id', '=', application.agencyId).where('role', '=', 'agency-supervisor')
    .where('status', '=', 'active').limit(50).execute();
  if (supervisors.length === 0) return;
  const service = await serviceFactsOf(deps, application.serviceId);
  const url = new URL(`${applicationsPaths.queue}?breached=1`, deps.config.publicBaseUrl)
    .toString();
  await enqueueNotificationsInTrx(trx, supervisors.map((supervisor) => ({
    channel: 'email' as const, to: supervisor.email, template: 'applications.sla-breached',
    language: 'en' as const, params: { reference: application.reference,
      service: service.nameEn.slice(0, 80), due: due.toISOString().slice(0, 10), url },
  })), now);
}

/** Escalates the breaches due at `now`; returns how many were escalated. */
export async function escalateBreaches(deps: ApplicationsDeps, now: Date): Promise<number> {
  const db = applicationsDb(deps.db);
  const due = await db.selectFrom('application_state')
    .select(['application_id', 'sla_due_at'])
    .where('status', 'in', [...agencyOwesStatuses]).where('sla_due_at', '<', now)
    .where('escalated_at', 'is', null).orderBy('sla_due_at').limit(batchMax).execute();
  let escalated = 0;
  for (const row of due) {
    const dueAt = row.sla_due_at;
    if (dueAt === null) continue;
    const acted = await db.transaction().execute(async (trx) => {
      const result = await actInTrx(trx, { applicationId: row.application_id,
        clientActionId: uuidv7(now.getTime()), kind: 'escalate',
        actor: { kind: 'system', id: null }, now },
      async (_trx, _application, state) => state.escalatedAt !== null
        ? err(failure('APPLICATION_ACTION_NOT_ALLOWED', 'already escalated'))
        : ok({ patch: { escalated_at: now }, detail: { due: dueAt.toISOString() } }));
      if (result.ok) {
        await notifySupervisorsInTrx(trx, inTrx(deps, trx), row.application_id, dueAt, now);
      }
      return result;
    });
    if (acted.ok) escalated += 1;
  }
  return escalated;
}

export function slaEscalationJob(deps: ApplicationsDeps): PeriodicJob {
  return {
    name: 'applications.sla-escalation', everyMs: slaJobEveryMs,
    run: async () => {
      const count = await escalateBreaches(deps, deps.clock.now());
      if (count > 0) deps.logger.info({ count }, 'applications escalated past their SLA');
    },
  };
}
