/**
 * One application's form, answers in force and status, for another module that fills the form
 * for its applicant (the assisted service: an agent in a consented session). Read only.
 */
import { applicationsDb, findApplication, readAnswers, readState } from './application-repo.ts';
import type { ApplicationsDeps } from './application-service.ts';
import type { ApplicationStatus } from './application-status.ts';
import { parseFormDefinition, type Answers, type FormDefinition } from './forms/index.ts';

export type ApplicationDraft = Readonly<{
  id: string;
  reference: string;
  serviceId: string;
  applicantAccountId: string;
  status: ApplicationStatus;
  form: FormDefinition;
  answers: Answers;
  invoiceId: string | null;
}>;

/** The application as its applicant would fill it, or undefined when there is none. */
export async function readApplicationDraft(deps: Pick<ApplicationsDeps, 'db'>, id: string):
  Promise<ApplicationDraft | undefined> {
  const db = applicationsDb(deps.db);
  const application = await findApplication(db, id);
  const state = await readState(db, id);
  if (application === undefined || state === undefined) return undefined;
  const form = parseFormDefinition(application.form);
  if (!form.ok) throw new Error('an application holds a form that does not parse');
  const answers = await readAnswers(db, id, state.answersVersion) as Answers;
  return { id, reference: application.reference, serviceId: application.serviceId,
    applicantAccountId: application.applicantAccountId, status: state.status,
    form: form.value, answers, invoiceId: state.invoiceId };
}
