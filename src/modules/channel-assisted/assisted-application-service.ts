/**
 * Applications an agent fills and submits in a citizen's name, in a consented session. The
 * application is the citizen's: applications starts, saves and submits it with the citizen as
 * the applicant (ApplicantActor), so it is in their "my applications" and its invoice, issued
 * on submit, is theirs. This module records that it was made through the agent
 * (assisted_application), with the agent fee checked against the cap, and links the invoice
 * as an ordinary assisted bill (assisted_transaction), so the prompt, the receipt and the
 * messages go to the citizen's phone as for any bill an agent makes. The agent fee is never on
 * the invoice nor in the ledger. Forms with file uploads or a second party are refused.
 */
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { auditActorOf, type StaffActor } from '#modules/authorisation/index.ts';
import {
  readApplicationDraft,
  saveAnswers,
  startApplication,
  submitApplication,
  type ApplicationDraft,
  type Answers,
  type FormDefinition,
  parseFormDefinition,
} from '#modules/applications/index.ts';
import { enqueueNotificationInTrx } from '#modules/notifications/index.ts';
import { invoiceViewById } from '#modules/payments/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import { format, money, type Money } from '#platform/money/index.ts';
import type { AssistedDeps } from './agent-register-service.ts';
import type { AssistedErrorCode } from './assisted-errors.ts';
import { checkedFee } from './assisted-payment-service.ts';
import { assistedDb, type AssistedApplicationTable } from './assisted-tables.ts';
import { liveSession, type AssistedSession } from './consent-service.ts';

type Fail = Failure<AssistedErrorCode>;

export type AssistedApplication = Readonly<{
  id: string;
  session: AssistedSession;
  draft: ApplicationDraft;
  agentFee: Money;
}>;

/** Why an agent cannot fill this form, or undefined when they can. */
export function formRefusal(form: FormDefinition): AssistedErrorCode | undefined {
  if (form.secondParty !== undefined) return 'ASSISTED_FORM_NEEDS_SECOND_PARTY';
  const kinds = form.pages.flatMap((page) => page.fields)
    .flatMap((field) => [field.kind, ...(field.fields ?? []).map((inner) => inner.kind)]);
  return kinds.includes('file') ? 'ASSISTED_FORM_NEEDS_UPLOADS' : undefined;
}

async function byRequestKey(deps: AssistedDeps, requestKey: string):
  Promise<AssistedApplicationTable | undefined> {
  return assistedDb(deps.db).selectFrom('assisted_application').selectAll()
    .where('request_key', '=', requestKey).executeTakeFirst();
}

/**
 * Starts the citizen's application for a service with a form, through the agent.
 * @idempotent with requestKey (also the application's client action id).
 * @returns err ASSISTED_SESSION_NOT_ACTIVE, ASSISTED_SERVICE_NOT_AVAILABLE,
 *   ASSISTED_FORM_NEEDS_UPLOADS, ASSISTED_FORM_NEEDS_SECOND_PARTY, ASSISTED_FEE_INVALID,
 *   ASSISTED_FEE_NO_CAP, ASSISTED_FEE_ABOVE_CAP (detail: the cap).
 */
export async function startAssistedApplication(deps: AssistedDeps, input: Readonly<{
  agent: StaffActor; sessionId: string; serviceId: string; agentFee: string; requestKey: string;
  now: Date }>): Promise<Result<{ id: string }, Fail>> {
  const session = await liveSession(deps, input.agent, input.sessionId, input.now);
  if (!session.ok) return session;
  if (!isUuid(input.requestKey)) return err(failure('ASSISTED_SERVICE_NOT_AVAILABLE'));
  const known = await byRequestKey(deps, input.requestKey);
  if (known !== undefined) return ok({ id: known.id });
  const service = await assistedDb(deps.db).selectFrom('service')
    .select(['agency_id', 'form_schema']).where('id', '=', input.serviceId).executeTakeFirst();
  const form = service?.form_schema == null ? undefined
    : parseFormDefinition(service.form_schema);
  if (service === undefined || form?.ok !== true) {
    return err(failure('ASSISTED_SERVICE_NOT_AVAILABLE'));
  }
  const refusal = formRefusal(form.value);
  if (refusal !== undefined) return err(failure(refusal));
  const fee = await checkedFee(deps, input.serviceId, input.agentFee, input.now);
  if (!fee.ok) return fee;
  const agencyId = service.agency_id;
  const citizen = session.value.citizen;
  const who = { accountId: citizen.id, forAccountId: citizen.id };
  const { agentNumber, businessName } = session.value.agent;
  const started = await startApplication(deps, { service: input.serviceId, who,
    clientActionId: input.requestKey, now: input.now,
    note: `Made through agent ${agentNumber} (${businessName}). ` +
      `Limefanywa kupitia wakala ${agentNumber} (${businessName}).` });
  if (!started.ok) return err(failure('ASSISTED_SERVICE_NOT_AVAILABLE', started.error.code));
  const id = uuidv7(input.now.getTime());
  await assistedDb(deps.db).transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('assisted_application').values({ id,
      consent_id: session.value.id, request_key: input.requestKey,
      agent_staff_id: input.agent.staffId, citizen_account_id: citizen.id,
      application_id: started.value.id, service_id: input.serviceId, agency_id: agencyId,
      agent_fee_minor: fee.value.fee.amountMinor, agent_fee_cap_minor: fee.value.cap.amountMinor,
      currency: 'KES', created_at: input.now })
      .onConflict((conflict) => conflict.doNothing()).returning('id').executeTakeFirst();
    if (inserted === undefined) return;
    await recordAuditInTrx(trx, { action: 'ASSISTED_APPLICATION_STARTED',
      actor: auditActorOf(input.agent), onBehalfOf: { kind: 'account', id: citizen.id },
      agencyId, subject: { type: 'application', id: started.value.id },
      detail: { agentFeeMinor: fee.value.fee.amountMinor.toString(),
        sessionId: session.value.id } }, input.now);
  });
  const linked = await byRequestKey(deps, input.requestKey);
  if (linked === undefined) throw new Error('an assisted application link vanished');
  return ok({ id: linked.id });
}

/** An application of this agent's live session. @returns err as liveSession, or NOT_FOUND. */
export async function assistedApplication(deps: AssistedDeps, agent: StaffActor,
  sessionId: string, id: string, now: Date): Promise<Result<AssistedApplication, Fail>> {
  const session = await liveSession(deps, agent, sessionId, now);
  if (!session.ok) return session;
  const row = !isUuid(id) ? undefined : await assistedDb(deps.db)
    .selectFrom('assisted_application').selectAll().where('id', '=', id)
    .where('consent_id', '=', sessionId).executeTakeFirst();
  const draft = row === undefined ? undefined
    : await readApplicationDraft(deps, row.application_id);
  if (row === undefined || draft === undefined) {
    return err(failure('ASSISTED_APPLICATION_NOT_FOUND'));
  }
  return ok({ id: row.id, session: session.value, draft,
    agentFee: money(BigInt(row.agent_fee_minor), row.currency) });
}

/** Saves the answers as the page now has them (a new version, as the citizen's own save). */
export async function saveAssistedAnswers(deps: AssistedDeps, application: AssistedApplication,
  answers: Answers, now: Date): Promise<Result<{ version: number }, Fail>> {
  const citizen = application.session.citizen.id;
  const saved = await saveAnswers(deps, { applicationId: application.draft.id,
    who: { accountId: citizen, forAccountId: citizen }, answers, now });
  return saved.ok ? saved : err(failure('ASSISTED_APPLICATION_NOT_EDITABLE', saved.error.code));
}

/**
 * Submits the citizen's application (applications issues the citizen's invoice) and links the
 * invoice as a bill made through the agent, with the agent fee, telling the citizen both fees
 * apart. @idempotent with clientActionId.
 * @returns the bill's id (undefined for a free service), or err
 *   ASSISTED_APPLICATION_NOT_SUBMITTED (detail: applications' code).
 */
export async function submitAssistedApplication(deps: AssistedDeps, agent: StaffActor,
  application: AssistedApplication, input: Readonly<{ clientActionId: string; now: Date }>):
  Promise<Result<{ billId: string | undefined }, Fail>> {
  if (!isUuid(input.clientActionId)) return err(failure('ASSISTED_APPLICATION_NOT_SUBMITTED'));
  const { session, draft } = application;
  const citizen = session.citizen;
  const submitted = await submitApplication(deps, { applicationId: draft.id,
    who: { accountId: citizen.id, forAccountId: citizen.id },
    clientActionId: input.clientActionId, answers: draft.answers, now: input.now });
  if (!submitted.ok) {
    return err(failure('ASSISTED_APPLICATION_NOT_SUBMITTED', submitted.error.code));
  }
  const after = await readApplicationDraft(deps, draft.id);
  const invoiceId = after?.invoiceId ?? null;
  if (invoiceId === null) return ok({ billId: undefined });
  const existing = await assistedDb(deps.db).selectFrom('assisted_transaction').select('id')
    .where('invoice_id', '=', invoiceId).executeTakeFirst();
  if (existing !== undefined) return ok({ billId: existing.id });
  const invoice = await invoiceViewById(deps, invoiceId, input.now);
  if (invoice === undefined) throw new Error('an application invoice vanished');
  const row = await assistedDb(deps.db).selectFrom('assisted_application').selectAll()
    .where('id', '=', application.id).executeTakeFirstOrThrow();
  const billId = uuidv7(input.now.getTime());
  const linked = await assistedDb(deps.db).transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('assisted_transaction').values({ id: billId,
      consent_id: session.id, request_key: input.clientActionId, agent_staff_id: agent.staffId,
      citizen_account_id: citizen.id, invoice_id: invoiceId, service_id: row.service_id,
      agency_id: row.agency_id, agent_fee_minor: row.agent_fee_minor,
      agent_fee_cap_minor: row.agent_fee_cap_minor, currency: 'KES', created_at: input.now })
      .onConflict((conflict) => conflict.doNothing()).returning('id').executeTakeFirst();
    if (inserted === undefined) return false;
    if (citizen.phone !== null) {
      await enqueueNotificationInTrx(trx, { channel: 'sms', to: citizen.phone,
        template: 'assisted.fee-summary', language: citizen.language, accountId: citizen.id,
        params: { billReference: invoice.reference,
          governmentFee: format(invoice.total, citizen.language),
          agentFee: format(application.agentFee, citizen.language),
          agentNumber: session.agent.agentNumber } }, input.now);
    }
    await recordAuditInTrx(trx, { action: 'ASSISTED_APPLICATION_SUBMITTED',
      actor: auditActorOf(agent), onBehalfOf: { kind: 'account', id: citizen.id },
      agencyId: row.agency_id, subject: { type: 'application', id: draft.id },
      detail: { invoiceId, sessionId: session.id } }, input.now);
    return true;
  });
  if (linked) return ok({ billId });
  const winner = await assistedDb(deps.db).selectFrom('assisted_transaction').select('id')
    .where('invoice_id', '=', invoiceId).executeTakeFirstOrThrow();
  return ok({ billId: winner.id });
}
