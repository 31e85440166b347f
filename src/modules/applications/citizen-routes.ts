/**
 * The applicant's routes: apply (start or continue), the form's pages (each POST saves the
 * draft, so it can be resumed; a page with problems is shown again with what was typed), check
 * answers, submit or resubmit, confirm as second party, cancel, the uploaded files, rating.
 * Another person's application is "not found", never "forbidden".
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfField } from '#modules/authorisation/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import type { FileStorage } from '#platform/storage/index.ts';
import { sendHtml } from '#web/index.ts';
import { applicationsDb } from './application-repo.ts';
import {
  applicantOf,
  clientActionIdOf,
  ownedApplication,
  problemKeyOf,
  type Owned,
} from './applicant-access.ts';
import {
  cancelApplication,
  confirmAsSecondParty,
  isConfirmed,
  requestConfirmation,
  resubmitApplication,
  saveAnswers,
  startApplication,
  submitApplication,
  type ApplicantActor,
  type ApplicationsDeps,
} from './application-service.ts';
import { serviceFormOf } from './application-facts.ts';
import { reissueBill } from './bill-reissue-service.ts';
import { listApplicationsOf } from './application-queries.ts';
import { renderApplyPage } from './application-views.ts';
import { applicationsPaths, applicationsRoutePatterns } from './applications-paths.ts';
import { showApplication } from './application-page.ts';
import { firstPageId, nextPageId, readPostedPage } from './forms/index.ts';
import { formPageResponse, checkPageResponse } from './form-pages.ts';
import { rateApplication } from './rating-service.ts';
import { serviceNamesOf } from './service-names.ts';

const applicant = { access: { permission: 'account.self' } } as const;
const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 36 } },
  required: ['id'] } as const;
const slugParams = { type: 'object', properties: { slug: { type: 'string', maxLength: 200 } },
  required: ['slug'] } as const;
const clientBody = { type: 'object', properties: {
  clientActionId: { type: 'string', maxLength: 64 } } } as const;

type IdRequest = FastifyRequest<{ Params: { id: string } }>;
type ClientRequest = FastifyRequest<{ Params: { id: string }; Body: { clientActionId?: string } }>;

export async function citizenRoutes(app: FastifyInstance, deps: ApplicationsDeps,
  storage: FileStorage): Promise<void> {
  app.get<{ Params: { slug: string } }>(applicationsRoutePatterns.apply, {
    config: applicant, schema: { hide: true, params: slugParams },
  }, async (request, reply) => {
    const service = await serviceFormOf(deps, request.params.slug);
    if (service === undefined) throw new ProblemError({ code: 'APPLICATION_FORM_NOT_AVAILABLE' });
    const who = applicantOf(request);
    const open = await listApplicationsOf(applicationsDb(deps.db), who.forAccountId,
      { limit: 10, serviceId: service.id, openOnly: true });
    return sendHtml(reply, renderApplyPage(request.pageContext(), {
      service: { ...await serviceNamesOf(deps, service.id), slug: service.slug }, open,
      csrf: csrfField(request), clientActionId: uuidv7(),
    }));
  });

  app.post<{ Params: { slug: string }; Body: { clientActionId?: string } }>(
    applicationsRoutePatterns.apply, {
      config: applicant, schema: { hide: true, params: slugParams, body: clientBody },
    }, async (request, reply) => {
      const started = await startApplication(deps, { service: request.params.slug,
        who: applicantOf(request), clientActionId: clientActionIdOf(request.body),
        now: deps.clock.now() });
      if (!started.ok) throw new ProblemError(started.error);
      const service = await serviceFormOf(deps, request.params.slug);
      return reply.redirect(applicationsPaths.page(started.value.id,
        firstPageId(service?.form ?? { version: 1, pages: [] })), 303);
    });

  app.get<{ Params: { id: string } }>(applicationsRoutePatterns.application, {
    config: applicant, schema: { hide: true, params: idParams },
  }, async (request: IdRequest, reply) => showApplication(deps, request, reply,
    await ownedApplication(deps, request, request.params.id, { secondParty: true })));

  await formPageRoutes(app, deps, storage);
  await actionRoutes(app, deps);
}

type PageRequest = FastifyRequest<{ Params: { id: string; pageId: string } }>;
const pageParams = { type: 'object', properties: { id: { type: 'string', maxLength: 36 },
  pageId: { type: 'string', maxLength: 64 } }, required: ['id', 'pageId'] } as const;

async function formPageRoutes(app: FastifyInstance, deps: ApplicationsDeps,
  storage: FileStorage): Promise<void> {
  app.get(applicationsRoutePatterns.page, {
    config: applicant, schema: { hide: true, params: pageParams },
  }, async (request: PageRequest, reply) => {
    const owned = await ownedApplication(deps, request, request.params.id);
    return formPageResponse(request, reply, owned, request.params.pageId, []);
  });

  app.post(applicationsRoutePatterns.page, {
    config: applicant, schema: { hide: true, params: pageParams },
  }, async (request: PageRequest, reply) => {
    const owned = await ownedApplication(deps, request, request.params.id);
    const { pageId } = request.params;
    const read = await readPostedPage(request, owned.form, pageId, storage, owned.answers);
    const errors = read.errors;
    const saved = await saveAnswers(deps, { applicationId: owned.application.id,
      who: applicantOf(request), answers: read.answers, now: deps.clock.now() });
    if (!saved.ok) throw new ProblemError(saved.error);
    if (errors.length > 0) {
      return formPageResponse(request, reply, { ...owned, answers: read.answers }, pageId,
        errors, 400);
    }
    const next = nextPageId(owned.form, pageId, read.answers);
    return reply.redirect(next === undefined ? applicationsPaths.check(owned.application.id)
      : applicationsPaths.page(owned.application.id, next), 303);
  });

  app.get(applicationsRoutePatterns.check, {
    config: applicant, schema: { hide: true, params: idParams },
  }, async (request: IdRequest, reply) => checkPageResponse(deps, request, reply,
    await ownedApplication(deps, request, request.params.id)));
}

async function actionRoutes(app: FastifyInstance, deps: ApplicationsDeps): Promise<void> {
  app.post(applicationsRoutePatterns.submit, {
    config: applicant, schema: { hide: true, params: idParams, body: clientBody },
  }, async (request: ClientRequest, reply) => {
    const owned = await ownedApplication(deps, request, request.params.id);
    const input = { applicationId: owned.application.id, who: applicantOf(request),
      clientActionId: clientActionIdOf(request.body), answers: owned.answers,
      now: deps.clock.now() };
    // Until the second party has confirmed these very answers, the button asks them (again:
    // a changed answer, or a different second party, needs a new confirmation).
    const needsConfirmation = owned.form.secondParty !== undefined &&
      (owned.state.status === 'draft' || owned.state.status === 'returned') &&
      !(await isConfirmed(deps, owned.application.id, owned.state.answersVersion));
    const acted = needsConfirmation ? await requestConfirmation(deps, input)
      : owned.state.status === 'returned' ? await resubmitApplication(deps, input)
        : await submitApplication(deps, input);
    if (!acted.ok) {
      return checkPageResponse(deps, request, reply, owned, acted.error.code);
    }
    return reply.redirect(applicationsPaths.application(owned.application.id), 303);
  });

  app.post(applicationsRoutePatterns.action, {
    config: applicant, schema: { hide: true, body: clientBody, params: { type: 'object',
      properties: { id: { type: 'string', maxLength: 36 },
        kind: { type: 'string', enum: ['cancel', 'confirm', 'reissue'] } },
      required: ['id', 'kind'] } },
  }, async (request: FastifyRequest<{ Params: { id: string; kind: ApplicantActionKind };
    Body: { clientActionId?: string } }>, reply: FastifyReply) => {
    const owned = await ownedApplication(deps, request, request.params.id,
      { secondParty: request.params.kind === 'confirm' });
    const clientActionId = clientActionIdOf(request.body);
    const now = deps.clock.now();
    const acted = await applicantAction(deps, owned, request.params.kind, {
      applicationId: owned.application.id, who: applicantOf(request), clientActionId, now });
    if (acted === undefined) throw new ProblemError({ code: 'APPLICATION_NOT_FOUND' });
    if (!acted.ok) {
      return showApplication(deps, request, reply, owned, problemKeyOf(acted.error.code), 409);
    }
    return reply.redirect(applicationsPaths.application(owned.application.id), 303);
  });

  app.post(applicationsRoutePatterns.rate, {
    config: applicant, schema: { hide: true, params: idParams, body: { type: 'object',
      properties: { rating: { type: 'string', maxLength: 1 },
        comment: { type: 'string', maxLength: 4000 } } } },
  }, async (request: FastifyRequest<{ Params: { id: string };
    Body: { rating?: string; comment?: string } }>, reply) => {
    const owned = await ownedApplication(deps, request, request.params.id);
    const rated = await rateApplication(deps, { application: owned.application,
      status: owned.state.status, rating: Number(request.body.rating ?? ''),
      comment: request.body.comment ?? '', now: deps.clock.now() });
    if (!rated.ok) {
      return showApplication(deps, request, reply, owned, problemKeyOf(rated.error.code), 400);
    }
    return reply.redirect(`${applicationsPaths.application(owned.application.id)}#rate`, 303);
  });
}

type ApplicantActionKind = 'cancel' | 'confirm' | 'reissue';

/** The applicant cancels or gets a new bill; the second party confirms; nothing else. */
async function applicantAction(deps: ApplicationsDeps, owned: Owned, kind: ApplicantActionKind,
  input: Readonly<{ applicationId: string; who: ApplicantActor; clientActionId: string;
    now: Date }>): Promise<Awaited<ReturnType<typeof cancelApplication>> | undefined> {
  if (owned.viewer === 'second-party') {
    return kind === 'confirm' ? confirmAsSecondParty(deps, { applicationId: input.applicationId,
      accountId: input.who.accountId, clientActionId: input.clientActionId, now: input.now })
      : undefined;
  }
  if (kind === 'cancel') return cancelApplication(deps, input);
  if (kind === 'reissue') return reissueBill(deps, input);
  return undefined;
}
