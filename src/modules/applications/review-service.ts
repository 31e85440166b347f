/**
 * The agency's side of an application: start the review, return it for changes (with a
 * comment the applicant sees), approve, reject (with a reason), issue the document, assign it.
 * Staff act only on their own agency's applications: one outside the scope is "not found".
 */
import {
  agencyScopeOf,
  isInAgencyScope,
  type StaffActor,
} from '#modules/authorisation/index.ts';
import { issueDocumentInTrx, type SigningKeys } from '#modules/documents/index.ts';
import { releaseInvoiceInTrx } from '#modules/payments/index.ts';
import { err, failure, ok, type Result } from '#platform/errors/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import { actInTrx, type ActFailure, type Acted } from './action-engine.ts';
import { applicationNotice } from './application-facts.ts';
import {
  applicationsDb,
  findApplication,
  readAnswers,
  type ApplicationRow,
  type ApplicationsTrx,
} from './application-repo.ts';
import { inTrx, type ApplicationsDeps } from './application-service.ts';
import type { ApplicationActionKind } from './application-status.ts';
import { documentDraftOf } from './document-draft.ts';

export type ReviewDeps = ApplicationsDeps & Readonly<{ signingKeys: SigningKeys }>;

export const staffActionKinds = [
  'start-review', 'return', 'approve', 'reject', 'issue', 'assign',
] as const satisfies readonly ApplicationActionKind[];
export type StaffActionKind = (typeof staffActionKinds)[number];

/** Kinds that need a comment the applicant reads. */
const commentRequired: readonly StaffActionKind[] = ['return', 'reject'];

export type StaffActionInput = Readonly<{
  applicationId: string;
  kind: StaffActionKind;
  staff: StaffActor;
  clientActionId: string;
  comment?: string;
  /** For assign: the officer (staff id) to assign to; the acting officer by default. */
  assignTo?: string;
  now: Date;
}>;

/** The application if the staff member's agency may see it. */
export async function applicationInScope(deps: ApplicationsDeps, staff: StaffActor,
  applicationId: string): Promise<ApplicationRow | undefined> {
  // Whatever the address held: only a UUID can name an application.
  if (!isUuid(applicationId)) return undefined;
  const application = await findApplication(applicationsDb(deps.db), applicationId);
  if (application === undefined) return undefined;
  return isInAgencyScope(agencyScopeOf(staff), application.agencyId) ? application : undefined;
}

export async function actAsStaff(deps: ReviewDeps, input: StaffActionInput):
  Promise<Result<Acted, ActFailure>> {
  const application = await applicationInScope(deps, input.staff, input.applicationId);
  if (application === undefined) return err(failure('APPLICATION_NOT_FOUND'));
  const comment = input.comment?.trim() ?? '';
  if (commentRequired.includes(input.kind) && comment === '') {
    return err(failure('APPLICATION_COMMENT_REQUIRED'));
  }
  const notice = await applicationNotice(deps, application);
  const db = applicationsDb(deps.db);
  return db.transaction().execute(async (trx) => actInTrx(trx, {
    applicationId: input.applicationId, clientActionId: input.clientActionId,
    kind: input.kind, actor: { kind: 'staff', id: input.staff.staffId },
    comment: comment === '' ? null : comment.slice(0, 2000), now: input.now,
  }, async (inner, row, state) => {
    if (input.kind === 'assign') return assignEffect(inner, row, input);
    if (input.kind === 'start-review' && state.assignedStaffId === null) {
      return ok({ patch: { assigned_staff_id: input.staff.staffId } });
    }
    if (input.kind === 'issue') return issueEffect(inner, deps, row, state.answersVersion, input);
    // A rejected application was paid (a free one has no bill): its bill may now be refunded.
    if (input.kind === 'reject' && state.invoiceId !== null) {
      await releaseInvoiceInTrx(inner, { invoiceId: state.invoiceId,
        reason: 'application-rejected', actor: { kind: 'staff', id: input.staff.staffId },
        now: input.now });
    }
    return ok({});
  }, notice));
}

async function assignEffect(trx: ApplicationsTrx, application: ApplicationRow,
  input: StaffActionInput) {
  const to = input.assignTo ?? input.staff.staffId;
  const officer = await trx.selectFrom('staff_member').select(['id'])
    .where('id', '=', to).where('agency_id', '=', application.agencyId)
    .where('status', '=', 'active')
    .where('role', 'in', ['agency-officer', 'agency-supervisor']).executeTakeFirst();
  if (officer === undefined) {
    return err(failure('APPLICATION_ACTION_NOT_ALLOWED', 'not an officer of this agency'));
  }
  return ok({ patch: { assigned_staff_id: to }, detail: { assignedStaffId: to } });
}

async function issueEffect(trx: ApplicationsTrx, deps: ReviewDeps, application: ApplicationRow,
  answersVersion: number, input: StaffActionInput) {
  const answers = await readAnswers(trx, application.id, answersVersion);
  const draft = await documentDraftOf(inTrx(deps, trx), trx, application, answers, input.now);
  const document = await issueDocumentInTrx(trx, deps.signingKeys, draft);
  return ok({ patch: { document_id: document.id },
    detail: { documentId: document.id, documentNumber: document.number } });
}
