/**
 * Reads that decide an action's facts: whose account the second party is, and when the agency
 * owes a decision (payment time plus the service's SLA days).
 */
import type { Database } from '#platform/db/index.ts';
import type { Config } from '#config';
import { applicationsDb, type ApplicationRow, type StatePatch } from './application-repo.ts';
import { serviceFactsOf } from './application-facts.ts';
import { parseFormDefinition, type Answers } from './forms/index.ts';

type RulesDeps = Readonly<{ db: Database; config: Config }>;

const dayMs = 86_400_000;

/** The account of the person whose ID number the form's second-party field holds. */
export async function findSecondPartyAccountId(
  deps: RulesDeps,
  application: ApplicationRow,
  answers: Answers,
): Promise<string | undefined> {
  const form = parseFormDefinition(application.form);
  if (!form.ok || form.value.secondParty === undefined) return undefined;
  const typed = answers[form.value.secondParty.idNumberField];
  if (typeof typed !== 'string' || !/^\d{6,9}$/.test(typed.trim())) return undefined;
  const row = await applicationsDb(deps.db).selectFrom('account').select('id')
    .where('document_type', '=', 'national_id').where('document_number', '=', typed.trim())
    .where('kind', '=', 'citizen').executeTakeFirst();
  return row?.id;
}

/** The projection's change when the application is paid: the SLA clock starts. */
export async function paidPatch(deps: RulesDeps, application: ApplicationRow, now: Date):
  Promise<StatePatch> {
  const service = await serviceFactsOf(deps, application.serviceId);
  return {
    paid_at: now,
    sla_due_at: service.slaDays === null ? null
      : new Date(now.getTime() + service.slaDays * dayMs),
  };
}
