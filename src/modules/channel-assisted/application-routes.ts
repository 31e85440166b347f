/**
 * The agent fills a citizen's application in a session: the form's pages one by one (each
 * saved as the citizen's draft), check the answers, submit (the citizen's invoice is issued
 * and linked as a bill through the agent; the agent goes on to its page to send the prompt).
 * For who holds assisted.serve; every application is looked up in this agent's own session.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { nextPageId, findPage, readPostedPage, type FieldError } from
  '#modules/applications/index.ts';
import { csrfField, type StaffActor } from '#modules/authorisation/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { storageFor } from '#platform/storage/index.ts';
import { sendHtml } from '#web/index.ts';
import { renderApplicationCheck, renderApplicationPage } from './application-views.ts';
import { assistedApplication, saveAssistedAnswers, type AssistedApplication,
  submitAssistedApplication } from './assisted-application-service.ts';
import { assistedErrors } from './assisted-errors.ts';
import { assistedPaths } from './assisted-paths.ts';

const agents = { access: { permission: 'assisted.serve' as const } };
const Text = (maxLength: number) => Type.String({ maxLength });
const AppParams = Type.Object({ sessionId: Text(36), applicationId: Text(36) });
const PageParams = Type.Object({ sessionId: Text(36), applicationId: Text(36),
  pageId: Text(80) });
const FormBody = Type.Record(Type.String({ maxLength: 200 }), Type.Union([Text(10_000),
  Type.Array(Text(10_000), { maxItems: 100 })]), { maxProperties: 500 });

function agentOf(request: FastifyRequest): StaffActor {
  const actor = request.actor;
  if (actor?.kind !== 'staff') throw new ProblemError({ code: 'AUTHORISATION_PERMISSION_DENIED' });
  return actor;
}

type Ids = Readonly<{ sessionId: string; applicationId: string }>;

/** The application of this agent's live session, or the problem page (410, 404). */
async function loadApplication(deps: ModuleDeps, request: FastifyRequest, ids: Ids):
  Promise<AssistedApplication> {
  const found = await assistedApplication(deps, agentOf(request), ids.sessionId,
    ids.applicationId, deps.clock.now());
  if (!found.ok) throw new ProblemError({ code: found.error.code });
  return found.value;
}

export function applicationRoutes(scope: FastifyInstance, deps: ModuleDeps): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const storage = storageFor(deps.config);
  const load = (request: FastifyRequest, ids: Ids) => loadApplication(deps, request, ids);
  const page = async (request: FastifyRequest, reply: FastifyReply,
    ids: Readonly<{ sessionId: string; applicationId: string; pageId: string }>) => {
    const application = await load(request, ids);
    if (findPage(application.draft.form, ids.pageId) === undefined) {
      throw new ProblemError({ code: 'ASSISTED_APPLICATION_NOT_FOUND' });
    }
    return application;
  };
  const send = (reply: FastifyReply, body: string, status = 200) =>
    sendHtml(reply.header('cache-control', 'no-store'), body, status);

  app.get(assistedPaths.applicationPagePattern, { config: agents,
    schema: { hide: true, params: PageParams } }, async (request, reply) => {
    const application = await page(request, reply, request.params);
    if (application.draft.status !== 'draft') {
      return reply.redirect(assistedPaths.applicationCheck(request.params.sessionId,
        request.params.applicationId), 303);
    }
    return send(reply, renderApplicationPage(request.pageContext(), { application,
      pageId: request.params.pageId, errors: [], csrf: csrfField(request) }));
  });

  app.post(assistedPaths.applicationPagePattern, { config: agents,
    schema: { hide: true, params: PageParams, body: FormBody } }, async (request, reply) => {
    const { sessionId, applicationId, pageId } = request.params;
    const application = await page(request, reply, request.params);
    const read = await readPostedPage(request, application.draft.form, pageId, storage,
      application.draft.answers);
    const shown = { ...application, draft: { ...application.draft, answers: read.answers } };
    const pageWith = (errors: readonly FieldError[], status: number) => send(reply,
      renderApplicationPage(request.pageContext(), { application: shown, pageId, errors,
        csrf: csrfField(request) }), status);
    if (read.errors.length > 0) return pageWith(read.errors, 422);
    const saved = await saveAssistedAnswers(deps, application, read.answers, deps.clock.now());
    if (!saved.ok) throw new ProblemError({ code: saved.error.code });
    const next = nextPageId(application.draft.form, pageId, read.answers);
    return reply.redirect(next === undefined
      ? assistedPaths.applicationCheck(sessionId, applicationId)
      : assistedPaths.applicationPage(sessionId, applicationId, next), 303);
  });

  app.get(assistedPaths.applicationCheckPattern, { config: agents,
    schema: { hide: true, params: AppParams } }, async (request, reply) => {
    const application = await load(request, request.params);
    return send(reply, renderApplicationCheck(request.pageContext(), { application,
      csrf: csrfField(request), clientActionId: uuidv7() }));
  });

  app.post(assistedPaths.applicationSubmitPattern, { config: agents, schema: { hide: true,
    params: AppParams, body: Type.Object({ clientActionId: Text(36) }) } },
  async (request, reply) => {
    const { sessionId } = request.params;
    const application = await load(request, request.params);
    const submitted = await submitAssistedApplication(deps, agentOf(request), application,
      { clientActionId: request.body.clientActionId, now: deps.clock.now() });
    if (!submitted.ok) {
      const code = submitted.error.code;
      return send(reply, renderApplicationCheck(request.pageContext(), { application,
        csrf: csrfField(request), clientActionId: uuidv7(), code }),
      assistedErrors[code].status);
    }
    const { billId } = submitted.value;
    return reply.redirect(billId === undefined ? assistedPaths.session(sessionId)
      : assistedPaths.bill(sessionId, billId), 303);
  });
  return Promise.resolve();
}
