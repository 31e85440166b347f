/**
 * Who may see an application from the applicant's side: its applicant (the account acted
 * for), or the second party named on it. Anyone else gets "not found", never "forbidden".
 */
import type { FastifyRequest } from 'fastify';
import { actingForAccountId, type AccountActor } from '#modules/authorisation/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import {
  applicationsDb,
  findApplication,
  readAnswers,
  readState,
  type ApplicationRow,
  type ApplicationState,
} from './application-repo.ts';
import type { ApplicantActor, ApplicationsDeps } from './application-service.ts';
import { parseFormDefinition, type Answers, type FormDefinition } from './forms/index.ts';

export function accountActorOf(request: FastifyRequest): AccountActor {
  const actor = request.actor;
  if (actor?.kind !== 'account') throw new Error('applicant routes need an account holder');
  return actor;
}

export function applicantOf(request: FastifyRequest): ApplicantActor {
  const actor = accountActorOf(request);
  return { accountId: actor.accountId, forAccountId: actingForAccountId(actor) };
}

export type Owned = Readonly<{ application: ApplicationRow; state: ApplicationState;
  form: FormDefinition; answers: Answers; viewer: 'applicant' | 'second-party' }>;

/** The application if the caller is its applicant (or, with secondParty, its second party). */
export async function ownedApplication(deps: ApplicationsDeps, request: FastifyRequest,
  id: string, options: Readonly<{ secondParty?: boolean }> = {}): Promise<Owned> {
  const db = applicationsDb(deps.db);
  const application = isUuid(id) ? await findApplication(db, id) : undefined;
  const state = application === undefined ? undefined : await readState(db, id);
  if (application === undefined || state === undefined) {
    throw new ProblemError({ code: 'APPLICATION_NOT_FOUND' });
  }
  const who = applicantOf(request);
  const viewer = application.applicantAccountId === who.forAccountId ? 'applicant'
    : options.secondParty === true && state.secondPartyAccountId === who.accountId
      ? 'second-party' : undefined;
  if (viewer === undefined) throw new ProblemError({ code: 'APPLICATION_NOT_FOUND' });
  const form = parseFormDefinition(application.form);
  if (!form.ok) throw new Error(`application ${id} holds a form that does not parse`);
  const answers = await readAnswers(db, id, state.answersVersion) as Answers;
  return { application, state, form: form.value, answers, viewer };
}

export function clientActionIdOf(body: { clientActionId?: string } | undefined): string {
  const id = body?.clientActionId ?? '';
  if (!isUuid(id)) throw new ProblemError({ code: 'PLATFORM_VALIDATION_FAILED',
    detail: 'clientActionId must be a UUID (the form\'s hidden field)' });
  return id;
}

export function problemKeyOf(code: string): string {
  return `applications.problem.${code}`;
}
