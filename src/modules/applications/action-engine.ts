/**
 * The one way an application changes: actInTrx appends an action through the transition table.
 * It locks the application's state row first, then reads (in statements of their own) whether
 * this client action was already taken, so a double click or a retried request acts once and
 * two people racing (an officer approving while the applicant cancels) are put in order: the
 * second sees the first's status and is refused if the table says so. The action, the
 * projection, the audit record and the applicant's notification commit together.
 */
import { recordAuditInTrx, type AuditEvent } from '#modules/audit/index.ts';
import { findAccountContactsInTrx } from '#modules/identity/index.ts';
import { enqueueNotificationInTrx } from '#modules/notifications/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import {
  findActionByClientIdInTrx,
  findApplication,
  insertActionInTrx,
  lockStateInTrx,
  updateStateInTrx,
  type ActionActor,
  type ApplicationRow,
  type ApplicationState,
  type ApplicationsDb,
  type ApplicationsTrx,
  type StatePatch,
} from './application-repo.ts';
import {
  nextStatus,
  type ApplicationActionKind,
  type ApplicationStatus,
} from './application-status.ts';
import type { ApplicationsErrorCode } from './applications-errors.ts';
import { statusNotice, type NoticeFacts } from './status-notices.ts';

export type ActFailure = Failure<ApplicationsErrorCode | string>;

export type ActInput = Readonly<{
  applicationId: string;
  clientActionId: string;
  kind: ApplicationActionKind;
  actor: ActionActor;
  comment?: string | null;
  now: Date;
  /**
   * Collects the audit event instead of recording it, for a transaction of several steps to
   * record all of them last (recordAuditsInTrx): the audit chain's lock, which every audited
   * transaction waits for, is then held only from the last statement to the commit.
   */
  audits?: AuditEvent[];
}>;

/** What an action does besides moving the status: checks, and writes of its own. */
export type EffectOutcome = Readonly<{ patch?: StatePatch;
  detail?: Readonly<Record<string, unknown>> }>;

export type ActionEffect = (trx: ApplicationsTrx, application: ApplicationRow,
  state: ApplicationState) => Promise<Result<EffectOutcome, ActFailure>>;

export type Acted = Readonly<{
  status: ApplicationStatus;
  /** True when this client action had been taken before: nothing was done again. */
  repeated: boolean;
}>;

/** Thrown to roll the transaction back when an effect fails after writing. */
class ActionRolledBack extends Error {
  readonly failure: ActFailure;
  constructor(failure: ActFailure) {
    super(failure.code);
    this.failure = failure;
  }
}

export async function actInTrx(
  trx: ApplicationsTrx,
  input: ActInput,
  effect?: ActionEffect,
  notice?: NoticeFacts,
): Promise<Result<Acted, ActFailure>> {
  const state = await lockStateInTrx(trx, input.applicationId);
  if (state === undefined) return err(failure('APPLICATION_NOT_FOUND'));
  // After the lock, in a statement of its own: sees an action committed while we waited.
  const before = await findActionByClientIdInTrx(trx, input.applicationId, input.clientActionId);
  if (before !== undefined) return ok({ status: state.status, repeated: true });
  const next = nextStatus(state.status, input.kind);
  if (!next.ok) {
    return err(failure('APPLICATION_ACTION_NOT_ALLOWED',
      `${input.kind} cannot follow ${state.status}`));
  }
  const application = await findApplication(trx, input.applicationId);
  if (application === undefined) return err(failure('APPLICATION_NOT_FOUND'));
  const effected: Result<EffectOutcome, ActFailure> = effect === undefined ? ok({})
    : await effect(trx, application, state);
  if (!effected.ok) return effected;
  const seq = state.lastSeq + 1;
  await insertActionInTrx(trx, {
    applicationId: input.applicationId, seq, clientActionId: input.clientActionId,
    kind: input.kind, actor: input.actor, comment: input.comment ?? null,
    detail: effected.value.detail ?? null, at: input.now,
  });
  await updateStateInTrx(trx, input.applicationId, {
    ...effected.value.patch, status: next.status, last_seq: seq, updated_at: input.now,
  });
  if (notice !== undefined && next.status !== state.status) {
    await notifyApplicantInTrx(trx, application, next.status, input, notice);
  }
  const audit: AuditEvent = {
    action: `APPLICATION_${input.kind.toUpperCase().replaceAll('-', '_')}`,
    actor: { kind: input.actor.kind, id: input.actor.id },
    subject: { type: 'application', id: input.applicationId },
    agencyId: application.agencyId,
    detail: { reference: application.reference, from: state.status, to: next.status, seq },
  };
  if (input.audits === undefined) await recordAuditInTrx(trx, audit, input.now);
  else input.audits.push(audit);
  return ok({ status: next.status, repeated: false });
}

/** actInTrx for an effect that may fail after it wrote: the whole transaction rolls back. */
export async function actOrRollBack(
  trx: ApplicationsTrx,
  input: ActInput,
  effect?: ActionEffect,
  notice?: NoticeFacts,
): Promise<Acted> {
  const acted = await actInTrx(trx, input, effect, notice);
  if (!acted.ok) throw new ActionRolledBack(acted.error);
  return acted.value;
}

/** Runs `work` in a transaction; a failure thrown by actOrRollBack comes back as a value. */
export async function inActionTransaction<T>(
  db: ApplicationsDb,
  work: (trx: ApplicationsTrx) => Promise<T>,
): Promise<Result<T, ActFailure>> {
  try {
    return ok(await db.transaction().execute(work));
  } catch (error) {
    if (error instanceof ActionRolledBack) return err(error.failure);
    throw error;
  }
}

async function notifyApplicantInTrx(
  trx: ApplicationsTrx,
  application: ApplicationRow,
  status: ApplicationStatus,
  input: ActInput,
  notice: NoticeFacts,
): Promise<void> {
  const contacts = await findAccountContactsInTrx(trx, [application.applicantAccountId]);
  const contact = contacts.get(application.applicantAccountId);
  if (contact === undefined) return;
  await enqueueNotificationInTrx(trx, {
    channel: contact.channel, to: contact.to, template: 'applications.status-changed',
    language: contact.language, accountId: application.applicantAccountId,
    params: statusNotice(contact.language, application, status, notice),
  }, input.now);
}
