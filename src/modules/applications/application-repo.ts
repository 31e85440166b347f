/**
 * The applications' SQL. Every action goes through appendActionInTrx: lock the application's
 * state row, then (in statements of their own, so they see what the lock waited for) look for
 * the same client action, check the transition, append the action and move the projection.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import type { ApplicationActionKind, ApplicationStatus } from './application-status.ts';
import type {
  ActionActorKind,
  ApplicationsTables,
  ApplicationStateTable,
} from './applications-tables.ts';

export type ApplicationsDb = Kysely<ApplicationsTables>;
export type ApplicationsTrx = Transaction<ApplicationsTables>;

export function applicationsDb<DB>(db: Kysely<DB>): ApplicationsDb {
  return db as unknown as ApplicationsDb;
}

export type ApplicationRow = Readonly<{
  id: string;
  reference: string;
  serviceId: string;
  agencyId: string;
  applicantAccountId: string;
  startedByAccountId: string;
  form: unknown;
  createdAt: Date;
}>;

export type ApplicationState = Readonly<{
  status: ApplicationStatus;
  lastSeq: number;
  answersVersion: number;
  secondPartyAccountId: string | null;
  invoiceId: string | null;
  documentId: string | null;
  assignedStaffId: string | null;
  submittedAt: Date | null;
  paidAt: Date | null;
  slaDueAt: Date | null;
  escalatedAt: Date | null;
  updatedAt: Date;
}>;

export type ActionRecord = Readonly<{
  id: string;
  seq: number;
  clientActionId: string;
  kind: ApplicationActionKind;
  actorKind: ActionActorKind;
  actorId: string | null;
  comment: string | null;
  detail: Readonly<Record<string, unknown>> | null;
  at: Date;
}>;

export type ActionActor = Readonly<{ kind: ActionActorKind; id: string | null }>;

function stateOf(row: ApplicationStateTable): ApplicationState {
  return {
    status: row.status, lastSeq: row.last_seq, answersVersion: row.answers_version,
    secondPartyAccountId: row.second_party_account_id, invoiceId: row.invoice_id,
    documentId: row.document_id, assignedStaffId: row.assigned_staff_id,
    submittedAt: row.submitted_at, paidAt: row.paid_at, slaDueAt: row.sla_due_at,
    escalatedAt: row.escalated_at, updatedAt: row.updated_at,
  };
}

export async function findApplication(db: ApplicationsDb, id: string):
  Promise<ApplicationRow | undefined> {
  const row = await db.selectFrom('application').selectAll().where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : {
    id: row.id, reference: row.reference, serviceId: row.service_id, agencyId: row.agency_id,
    applicantAccountId: row.applicant_account_id,
    startedByAccountId: row.started_by_account_id, form: row.form, createdAt: row.created_at,
  };
}

export async function findApplicationIdByReference(db: ApplicationsDb, reference: string):
  Promise<string | undefined> {
  const row = await db.selectFrom('application').select('id')
    .where('reference', '=', reference).executeTakeFirst();
  return row?.id;
}

export async function readState(db: ApplicationsDb, id: string):
  Promise<ApplicationState | undefined> {
  const row = await db.selectFrom('application_state').selectAll()
    .where('application_id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : stateOf(row);
}

/** Locks the state row until the caller commits; returns it as it is after any wait. */
export async function lockStateInTrx(trx: ApplicationsTrx, id: string):
  Promise<ApplicationState | undefined> {
  const row = await trx.selectFrom('application_state').selectAll()
    .where('application_id', '=', id).forUpdate().executeTakeFirst();
  return row === undefined ? undefined : stateOf(row);
}

export async function listActions(db: ApplicationsDb, id: string): Promise<ActionRecord[]> {
  const rows = await db.selectFrom('application_action').selectAll()
    .where('application_id', '=', id).orderBy('seq').execute();
  return rows.map((row) => ({
    id: row.id, seq: row.seq, clientActionId: row.client_action_id, kind: row.kind,
    actorKind: row.actor_kind, actorId: row.actor_id, comment: row.comment,
    detail: row.detail as Readonly<Record<string, unknown>> | null, at: row.at,
  }));
}

export async function findActionByClientIdInTrx(
  trx: ApplicationsTrx,
  applicationId: string,
  clientActionId: string,
): Promise<{ seq: number; kind: ApplicationActionKind } | undefined> {
  return trx.selectFrom('application_action').select(['seq', 'kind'])
    .where('application_id', '=', applicationId)
    .where('client_action_id', '=', clientActionId).executeTakeFirst();
}

/** Serialises starts that share a client action id (a double click on "Start"). */
export async function lockStartInTrx(trx: ApplicationsTrx, clientActionId: string):
  Promise<string | undefined> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`application-start:${
    clientActionId}`}, 0))`.execute(trx);
  const row = await trx.selectFrom('application_action').select('application_id')
    .where('kind', '=', 'start').where('client_action_id', '=', clientActionId)
    .executeTakeFirst();
  return row?.application_id;
}

export type NewApplication = Omit<ApplicationRow, 'form'> & Readonly<{ form: unknown }>;

export async function insertApplicationInTrx(trx: ApplicationsTrx, row: NewApplication):
  Promise<boolean> {
  const inserted = await trx.insertInto('application').values({
    id: row.id, reference: row.reference, service_id: row.serviceId, agency_id: row.agencyId,
    applicant_account_id: row.applicantAccountId,
    started_by_account_id: row.startedByAccountId, form: JSON.stringify(row.form),
    created_at: row.createdAt,
  }).onConflict((conflict) => conflict.column('reference').doNothing())
    .returning('id').executeTakeFirst();
  return inserted !== undefined;
}

export async function insertInitialStateInTrx(
  trx: ApplicationsTrx,
  row: NewApplication,
): Promise<void> {
  await trx.insertInto('application_state').values({
    application_id: row.id, status: 'draft', last_seq: 0, answers_version: 0,
    service_id: row.serviceId, agency_id: row.agencyId,
    applicant_account_id: row.applicantAccountId, updated_at: row.createdAt,
  }).execute();
}

export type NewAction = Readonly<{
  applicationId: string;
  seq: number;
  clientActionId: string;
  kind: ApplicationActionKind;
  actor: ActionActor;
  comment?: string | null;
  detail?: Readonly<Record<string, unknown>> | null;
  at: Date;
}>;

export async function insertActionInTrx(trx: ApplicationsTrx, action: NewAction):
  Promise<void> {
  await trx.insertInto('application_action').values({
    id: uuidv7(action.at.getTime()), application_id: action.applicationId, seq: action.seq,
    client_action_id: action.clientActionId, kind: action.kind,
    actor_kind: action.actor.kind, actor_id: action.actor.id,
    comment: action.comment ?? null,
    detail: action.detail === undefined || action.detail === null ? null
      : JSON.stringify(action.detail),
    at: action.at,
  }).execute();
}

export type StatePatch = Partial<Omit<ApplicationStateTable,
  'application_id' | 'service_id' | 'agency_id' | 'applicant_account_id'>>;

export async function updateStateInTrx(trx: ApplicationsTrx, id: string, patch: StatePatch):
  Promise<void> {
  await trx.updateTable('application_state').set(patch).where('application_id', '=', id)
    .execute();
}

export async function insertAnswersInTrx(
  trx: ApplicationsTrx,
  row: Readonly<{ applicationId: string; version: number; answers: unknown; savedAt: Date;
    savedBy: string }>,
): Promise<void> {
  await trx.insertInto('application_answers').values({
    application_id: row.applicationId, version: row.version,
    answers: JSON.stringify(row.answers), saved_at: row.savedAt,
    saved_by_account_id: row.savedBy,
  }).execute();
}

export async function readAnswers(db: ApplicationsDb, id: string, version: number):
  Promise<unknown> {
  if (version === 0) return {};
  const row = await db.selectFrom('application_answers').select('answers')
    .where('application_id', '=', id).where('version', '=', version).executeTakeFirst();
  return row?.answers ?? {};
}
