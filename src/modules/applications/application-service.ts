/**
 * The applicant's side of an application: start it on the service's form, save answers page
 * by page (a draft resumes where it was left), ask the second party to confirm, submit (which
 * issues the invoice in the same transaction), resubmit after a return (no second payment),
 * cancel before payment. Expected failures are values.
 */
import { recordAuditsInTrx, type AuditEvent } from '#modules/audit/index.ts';
import { recordServiceDemandInTrx } from '#modules/catalogue/index.ts';
import {
  cancelInvoice,
  createInvoiceForServiceInTrx,
  invoiceViewById,
} from '#modules/payments/index.ts';
import type { Config } from '#config';
import { err, failure, ok, type Result } from '#platform/errors/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import type { Logger } from '#platform/logging/index.ts';
import type { Database } from '#platform/db/index.ts';
import { format as formatMoney } from '#platform/money/index.ts';
import {
  actInTrx,
  actOrRollBack,
  inActionTransaction,
  type ActFailure,
  type Acted,
} from './action-engine.ts';
import {
  applicationsDb,
  findApplication,
  insertAnswersInTrx,
  insertApplicationInTrx,
  insertInitialStateInTrx,
  insertActionInTrx,
  lockStartInTrx,
  lockStateInTrx,
  readAnswers,
  readState,
  updateStateInTrx,
  type ApplicationsDb,
  type ApplicationRow,
  type ApplicationState,
  type ApplicationsTrx,
} from './application-repo.ts';
import { editableStatuses } from './application-status.ts';
import { generateApplicationReference } from './application-reference.ts';
import { applicationNotice, serviceFormOf } from './application-facts.ts';
import {
  parseFormDefinition,
  todayInKenya,
  validateAnswers,
  type Answers,
  type FormDefinition,
} from './forms/index.ts';
import { notifySecondPartyInTrx } from './second-party-notice.ts';
import { findSecondPartyAccountId, paidPatch } from './application-rules-repo.ts';

export type ApplicationsDeps = Readonly<{
  db: Database;
  clock: Readonly<{ now: () => Date }>;
  logger: Logger;
  config: Config;
}>;

/** The applicant as the application knows them: who acts, for whom. */
export type ApplicantActor = Readonly<{ accountId: string; forAccountId: string }>;

/** deps whose reads go through the transaction (on PGlite it holds the one connection). */
export function inTrx<D extends Readonly<{ db: Database }>>(deps: D, trx: ApplicationsTrx): D {
  return { ...deps, db: trx as unknown as Database };
}

const accountActor = (who: ApplicantActor) => ({ kind: 'account' as const, id: who.accountId });

/**
 * Starts an application for a service that has a form.
 * @idempotent with clientActionId: pressing Start twice gives one application.
 * `note`, optional: kept as the start's comment, shown in the application's history to the
 * applicant and to staff (the assisted service: "made through agent ...").
 * @returns err APPLICATION_FORM_NOT_AVAILABLE when the service has no form (or none).
 */
export async function startApplication(
  deps: ApplicationsDeps,
  input: Readonly<{ service: string; who: ApplicantActor; clientActionId: string; now: Date;
    note?: string }>,
): Promise<Result<{ id: string; reference: string }, ActFailure>> {
  const service = await serviceFormOf(deps, input.service);
  if (service === undefined) return err(failure('APPLICATION_FORM_NOT_AVAILABLE'));
  const db = applicationsDb(deps.db);
  const id = await db.transaction().execute(async (trx) => {
    const existing = await lockStartInTrx(trx, input.clientActionId);
    if (existing !== undefined) return existing;
    const row = {
      id: uuidv7(input.now.getTime()), reference: '', serviceId: service.id,
      agencyId: service.agencyId, applicantAccountId: input.who.forAccountId,
      startedByAccountId: input.who.accountId, form: service.form, createdAt: input.now,
    };
    for (let draw = 0; draw < 5 && row.reference === ''; draw += 1) {
      const candidate = generateApplicationReference();
      if (await insertApplicationInTrx(trx, { ...row, reference: candidate })) {
        row.reference = candidate;
      }
    }
    if (row.reference === '') throw new Error('no free application reference');
    await insertInitialStateInTrx(trx, row);
    await insertActionInTrx(trx, { applicationId: row.id, seq: 1,
      clientActionId: input.clientActionId, kind: 'start', actor: accountActor(input.who),
      at: input.now, ...(input.note === undefined ? {} : { comment: input.note }) });
    await updateStateInTrx(trx, row.id, { last_seq: 1 });
    return row.id;
  });
  const application = await findApplication(db, id);
  if (application === undefined) throw new Error(`application ${id} vanished`);
  return ok({ id, reference: application.reference });
}

/**
 * Saves a new version of the answers (the draft, or changes after a return). A change after
 * the second party confirmed means they must confirm again (the confirmation names a version).
 */
export async function saveAnswers(
  deps: ApplicationsDeps,
  input: Readonly<{ applicationId: string; who: ApplicantActor; answers: Answers; now: Date }>,
): Promise<Result<{ version: number }, ActFailure>> {
  return applicationsDb(deps.db).transaction().execute(async (trx) => {
    const state = await lockStateInTrx(trx, input.applicationId);
    if (state === undefined) return err(failure('APPLICATION_NOT_FOUND'));
    if (!editableStatuses.includes(state.status)) {
      return err(failure('APPLICATION_ACTION_NOT_ALLOWED', `answers are fixed once ${
        state.status}`));
    }
    const version = state.answersVersion + 1;
    await insertAnswersInTrx(trx, { applicationId: input.applicationId, version,
      answers: input.answers, savedAt: input.now, savedBy: input.who.accountId });
    await updateStateInTrx(trx, input.applicationId,
      { answers_version: version, updated_at: input.now });
    return ok({ version });
  });
}

/** Asks the second party named in the answers to confirm them (marriage notices). */
export async function requestConfirmation(
  deps: ApplicationsDeps,
  input: Readonly<{ applicationId: string; who: ApplicantActor; clientActionId: string;
    answers: Answers; now: Date }>,
): Promise<Result<Acted, ActFailure>> {
  const application = await findApplication(applicationsDb(deps.db), input.applicationId);
  if (application === undefined) return err(failure('APPLICATION_NOT_FOUND'));
  const secondParty = await findSecondPartyAccountId(deps, application, input.answers);
  if (secondParty === undefined || secondParty === input.who.forAccountId) {
    return err(failure('APPLICATION_SECOND_PARTY_NOT_FOUND'));
  }
  return applicationsDb(deps.db).transaction().execute(async (trx) => actInTrx(trx, {
    applicationId: input.applicationId, clientActionId: input.clientActionId,
    kind: 'request-confirmation', actor: accountActor(input.who), now: input.now,
  }, async () => ok({ patch: { second_party_account_id: secondParty },
    detail: { secondPartyAccountId: secondParty } })).then(async (acted) => {
    if (acted.ok && !acted.value.repeated) {
      await notifySecondPartyInTrx(trx, inTrx(deps, trx), application, secondParty,
        input.now);
    }
    return acted;
  }));
}

/** The second party confirms the answers as they are now. */
export async function confirmAsSecondParty(
  deps: ApplicationsDeps,
  input: Readonly<{ applicationId: string; accountId: string; clientActionId: string;
    now: Date }>,
): Promise<Result<Acted, ActFailure>> {
  return applicationsDb(deps.db).transaction().execute(async (trx) => actInTrx(trx, {
    applicationId: input.applicationId, clientActionId: input.clientActionId, kind: 'confirm',
    actor: { kind: 'account', id: input.accountId }, now: input.now,
  }, async (_trx, _application, state) => state.secondPartyAccountId === input.accountId
    ? ok({ detail: { answersVersion: state.answersVersion } })
    : err(failure('APPLICATION_NOT_FOUND'))));
}

/**
 * Submits: checks the whole form, the second party's confirmation of these answers, then in
 * one transaction appends submit, issues the invoice (subject application:<id>) and appends
 * invoice (or pay, for a free service). @idempotent with clientActionId.
 */
export async function submitApplication(
  deps: ApplicationsDeps,
  input: Readonly<{ applicationId: string; who: ApplicantActor; clientActionId: string;
    answers: Answers; now: Date }>,
): Promise<Result<Acted, ActFailure>> {
  const db = applicationsDb(deps.db);
  const loaded = await loadForSubmission(deps, input);
  if (!loaded.ok) return loaded;
  const { application, form } = loaded.value;
  const notice = await applicationNotice(deps, application);
  return inActionTransaction(db, async (trx) => {
    // Every audit record of the submission is written last (see ActInput.audits).
    const audits: AuditEvent[] = [];
    const submitted = await actOrRollBack(trx, { applicationId: input.applicationId,
      clientActionId: input.clientActionId, kind: 'submit', actor: accountActor(input.who),
      now: input.now, audits }, async (inner, _application, state) => {
      const ready = await readyInTrx(deps, inner, { application, form, state, now: input.now });
      return ready.ok ? ok({ patch: { submitted_at: input.now },
        detail: { answersVersion: state.answersVersion } }) : ready;
    });
    if (submitted.repeated) return submitted;
    const charged = await chargeInTrx(trx, deps, application.id, input.now, notice, audits);
    await recordAuditsInTrx(trx, audits, input.now);
    return charged;
  });
}

type SubmissionInput = Readonly<{ applicationId: string; answers: Answers; now: Date }>;

/** The application and its form, and a first check of the answers as the page had them. */
async function loadForSubmission(deps: ApplicationsDeps, input: SubmissionInput):
  Promise<Result<{ application: ApplicationRow; form: FormDefinition }, ActFailure>> {
  const application = await findApplication(applicationsDb(deps.db), input.applicationId);
  if (application === undefined) return err(failure('APPLICATION_NOT_FOUND'));
  const form = serviceFormOfApplication(application.form);
  if (validateAnswers(form, input.answers,
    { today: todayInKenya(input.now.getTime()) }).length > 0) {
    return err(failure('APPLICATION_ANSWERS_INCOMPLETE'));
  }
  return ok({ application, form });
}

/**
 * After the lock, the answers in force (a page saved meanwhile counts) are complete and, for a
 * form with a second party, confirmed by the party they name.
 */
async function readyInTrx(deps: ApplicationsDeps, trx: ApplicationsTrx, facts: Readonly<{
  application: ApplicationRow; form: FormDefinition; state: ApplicationState; now: Date }>):
  Promise<Result<void, ActFailure>> {
  const { application, form, state, now } = facts;
  const answers = await readAnswers(trx, application.id, state.answersVersion) as Answers;
  if (validateAnswers(form, answers, { today: todayInKenya(now.getTime()) }).length > 0) {
    return err(failure('APPLICATION_ANSWERS_INCOMPLETE'));
  }
  if (form.secondParty !== undefined &&
    !(await confirmedByNamedParty(inTrx(deps, trx), trx, application, state))) {
    return err(failure('APPLICATION_SECOND_PARTY_NOT_CONFIRMED'));
  }
  return ok(undefined);
}

function serviceFormOfApplication(form: unknown): FormDefinition {
  const parsed = parseFormDefinition(form);
  if (!parsed.ok) throw new Error('an application holds a form that does not parse');
  return parsed.value;
}

/**
 * Whether the second party the answers in force name has confirmed this version of them (what
 * a submit or a resubmit will accept).
 */
export async function isConfirmed(deps: ApplicationsDeps, applicationId: string,
  version: number): Promise<boolean> {
  const db = applicationsDb(deps.db);
  const application = await findApplication(db, applicationId);
  const state = await readState(db, applicationId);
  if (application === undefined || state?.answersVersion !== version) return false;
  return confirmedByNamedParty(deps, db, application, state);
}

/**
 * The second party the answers in force name is the one asked, and has confirmed these very
 * answers (a partner asked before the answers named someone else confirms nothing).
 */
async function confirmedByNamedParty(deps: ApplicationsDeps, trx: ApplicationsDb,
  application: ApplicationRow, state: ApplicationState): Promise<boolean> {
  const asked = state.secondPartyAccountId;
  if (asked === null) return false;
  const answers = await readAnswers(trx, application.id, state.answersVersion) as Answers;
  if (await findSecondPartyAccountId(deps, application, answers) !== asked) return false;
  return confirmedVersion(trx, application.id, state.answersVersion, asked);
}

async function confirmedVersion(trx: ApplicationsDb, applicationId: string, version: number,
  byAccountId?: string): Promise<boolean> {
  let query = trx.selectFrom('application_action').select('id')
    .where('application_id', '=', applicationId).where('kind', '=', 'confirm');
  if (byAccountId !== undefined) query = query.where('actor_id', '=', byAccountId);
  const row = await query
    .where((eb) => eb(eb.ref('detail', '->>').key('answersVersion' as never), '=',
      String(version) as never))
    .executeTakeFirst();
  return row !== undefined;
}

/** After submit: the invoice for the service's fee, or straight to paid when it is free. */
async function chargeInTrx(
  trx: ApplicationsTrx,
  deps: ApplicationsDeps,
  applicationId: string,
  now: Date,
  notice: Awaited<ReturnType<typeof applicationNotice>>,
  audits: AuditEvent[],
): Promise<Acted> {
  const application = await findApplication(trx, applicationId);
  if (application === undefined) throw new Error('application vanished');
  const invoice = await createInvoiceForServiceInTrx(trx, deps, {
    service: application.serviceId, payerAccountId: application.applicantAccountId, now,
    subject: `application:${application.id}`, audits,
    actor: { kind: 'account', id: application.startedByAccountId },
  });
  const system = { kind: 'system' as const, id: null };
  if (!invoice.ok && invoice.error.code === 'PAY_SERVICE_IS_FREE') {
    // No invoice to count this use of the service (invoices count themselves).
    await recordServiceDemandInTrx(trx, application.serviceId, now);
    return actOrRollBack(trx, { applicationId, clientActionId: uuidv7(now.getTime()),
      kind: 'pay', actor: system, now, audits }, async () => ok({
      patch: await paidPatch(inTrx(deps, trx), application, now), detail: { free: true } }),
    notice);
  }
  if (!invoice.ok) throw new Error(`invoice for ${applicationId}: ${invoice.error.code}`);
  const bill = { reference: invoice.value.reference, amount: formatMoney(invoice.value.total),
    paybill: deps.config.mpesa.shortcode };
  // The invoice's id is the client action id of its 'pay' (payment-allocated-handler.ts).
  return actOrRollBack(trx, { applicationId, clientActionId: uuidv7(now.getTime()),
    kind: 'invoice', actor: system, now, audits }, async () => ok({
    patch: { invoice_id: invoice.value.id },
    detail: { invoiceId: invoice.value.id, billReference: invoice.value.reference } }),
  { ...notice, bill });
}

/** Resubmits changed answers after a return: the invoice already paid stays the one. */
export async function resubmitApplication(
  deps: ApplicationsDeps,
  input: Readonly<{ applicationId: string; who: ApplicantActor; clientActionId: string;
    answers: Answers; now: Date }>,
): Promise<Result<Acted, ActFailure>> {
  const db = applicationsDb(deps.db);
  const loaded = await loadForSubmission(deps, input);
  if (!loaded.ok) return loaded;
  const { application, form } = loaded.value;
  return db.transaction().execute(async (trx) => actInTrx(trx, {
    applicationId: input.applicationId, clientActionId: input.clientActionId,
    kind: 'resubmit', actor: accountActor(input.who), now: input.now,
  }, async (inner, _application, state) => {
    // Changed answers need the second party's confirmation again, as before submitting.
    const ready = await readyInTrx(deps, inner, { application, form, state, now: input.now });
    return ready.ok ? ok({ detail: { answersVersion: state.answersVersion } }) : ready;
  }));
}

/**
 * Cancels before payment. The invoice is cancelled first: if money has reached it meanwhile,
 * payments refuses, and so does this (the application is paid, not cancelled).
 */
export async function cancelApplication(
  deps: ApplicationsDeps,
  input: Readonly<{ applicationId: string; who: ApplicantActor; clientActionId: string;
    now: Date }>,
): Promise<Result<Acted, ActFailure>> {
  const db = applicationsDb(deps.db);
  const state = await readState(db, input.applicationId);
  if (state === undefined) return err(failure('APPLICATION_NOT_FOUND'));
  const bill = state.invoiceId === null ? undefined
    : await invoiceViewById(deps, state.invoiceId, input.now);
  // A bill that expired with nothing paid takes no more money (a payment after expiry is the
  // payer's credit): nothing to cancel. Any other must be cancelled first, or money came.
  if (bill !== undefined && bill.status !== 'expired') {
    const cancelled = await cancelInvoice(deps, { reference: bill.reference,
      actor: { kind: 'account', id: input.who.accountId }, now: input.now });
    if (!cancelled.ok) return err(failure('APPLICATION_ACTION_NOT_ALLOWED', cancelled.error.code));
  }
  const application = await findApplication(db, input.applicationId);
  if (application === undefined) return err(failure('APPLICATION_NOT_FOUND'));
  const notice = await applicationNotice(deps, application);
  // The bill was read before the lock: a submit that committed meanwhile issued one this call
  // did not cancel, so refuse (a second try cancels that bill) rather than leave it payable.
  return db.transaction().execute(async (trx) => actInTrx(trx, {
    applicationId: input.applicationId, clientActionId: input.clientActionId, kind: 'cancel',
    actor: accountActor(input.who), now: input.now }, async (_trx, _application, locked) =>
    locked.invoiceId === state.invoiceId ? ok({})
      : err(failure('APPLICATION_ACTION_NOT_ALLOWED', 'a bill was issued meanwhile')), notice));
}
