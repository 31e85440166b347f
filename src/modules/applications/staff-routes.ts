/**
 * The agency's routes: the work queue, the review page (reading the answers is a personal-data
 * read, audited) and the actions. Officers act within their agency only: an application of
 * another agency is "not found". Approving and rejecting need applications.decide (a
 * supervisor), as does assigning to someone else.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import {
  agencyScopeOf,
  auditActorOf,
  csrfField,
  hasPermission,
  type StaffActor,
} from '#modules/authorisation/index.ts';
import { documentsPaths } from '#modules/documents/index.ts';
import { invoiceViewById } from '#modules/payments/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import { format as formatMoney } from '#platform/money/index.ts';
import { html, sendHtml, type SafeHtml } from '#web/index.ts';
import {
  applicationsDb,
  listActions,
  readAnswers,
  readState,
  type ApplicationRow,
} from './application-repo.ts';
import { listQueue, listQueueServices, queueStatuses } from './application-queries.ts';
import { allowedActions, isApplicationStatus } from './application-status.ts';
import { applicationsPaths, applicationsRoutePatterns } from './applications-paths.ts';
import { clientActionIdOf, problemKeyOf } from './applicant-access.ts';
import { parseFormDefinition, renderAnswers, type Answers } from './forms/index.ts';
import {
  actAsStaff,
  applicationInScope,
  staffActionKinds,
  type ReviewDeps,
  type StaffActionKind,
} from './review-service.ts';
import { serviceNamesOf } from './service-names.ts';
import { renderQueuePage, renderReviewPage, type QueueQuery } from './staff-views.ts';

const queuePageSize = 25;

export function staffActorOf(request: FastifyRequest): StaffActor {
  const actor = request.actor;
  if (actor?.kind !== 'staff') throw new ProblemError({ code: 'APPLICATION_NOT_FOUND' });
  return actor;
}

type QueueRequest = FastifyRequest<{ Querystring: { service?: string; status?: string;
  mine?: string; breached?: string; page?: string } }>;

function queueQueryOf(request: QueueRequest): QueueQuery {
  const { service, status, mine, breached, page } = request.query;
  const number = Number(page ?? '1');
  return {
    ...(service !== undefined && isUuid(service) ? { service } : {}),
    ...(status !== undefined && isApplicationStatus(status) ? { status } : {}),
    mine: mine === '1', breached: breached === '1',
    page: Number.isInteger(number) && number >= 1 && number <= 1000 ? number : 1,
  };
}

export async function staffRoutes(app: FastifyInstance, deps: ReviewDeps): Promise<void> {
  const db = applicationsDb(deps.db);
  app.get(applicationsRoutePatterns.queue, {
    config: { access: { permission: 'applications.read' } },
    schema: { hide: true, querystring: { type: 'object', properties: {
      service: { type: 'string', maxLength: 36 }, status: { type: 'string', maxLength: 20 },
      mine: { type: 'string', maxLength: 1 }, breached: { type: 'string', maxLength: 1 },
      page: { type: 'string', maxLength: 4 } } } },
  }, async (request: QueueRequest, reply) => {
    const staff = staffActorOf(request);
    const query = queueQueryOf(request);
    const scope = agencyScopeOf(staff);
    const now = deps.clock.now();
    const [queue, services] = await Promise.all([listQueue(db, {
      scope, page: query.page, pageSize: queuePageSize,
      ...(query.service === undefined ? {} : { serviceId: query.service }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.mine === true ? { assignedTo: staff.staffId } : {}),
      ...(query.breached === true ? { breachedAt: now } : {}),
    }), listQueueServices(db, scope)]);
    return sendHtml(reply, renderQueuePage(request.pageContext(), {
      query, items: queue.items, total: queue.total, pageSize: queuePageSize, services,
      statuses: queueStatuses, now,
    }));
  });

  app.get(applicationsRoutePatterns.staffApplication, {
    config: { access: { permission: 'applications.read' } },
    schema: { hide: true, params: { type: 'object', properties: {
      id: { type: 'string', maxLength: 36 } }, required: ['id'] } },
  }, async (request: FastifyRequest<{ Params: { id: string } }>, reply) =>
    showReview(deps, request, reply, await inScope(deps, request, request.params.id)));

  app.post(applicationsRoutePatterns.staffAction, {
    config: { access: { permission: 'applications.process' } },
    schema: { hide: true, params: { type: 'object', properties: {
      id: { type: 'string', maxLength: 36 } }, required: ['id'] },
    body: { type: 'object', properties: { clientActionId: { type: 'string', maxLength: 64 },
      kind: { type: 'string', enum: [...staffActionKinds] },
      comment: { type: 'string', maxLength: 4000 }, assignTo: { type: 'string', maxLength: 36 } },
    required: ['kind'] } },
  }, async (request: FastifyRequest<{ Params: { id: string }; Body: { clientActionId?: string;
    kind: StaffActionKind; comment?: string; assignTo?: string } }>, reply) => {
    const staff = staffActorOf(request);
    const application = await inScope(deps, request, request.params.id);
    const { kind, assignTo } = request.body;
    const decides = hasPermission(staff, 'applications.decide');
    const othersAssigned = kind === 'assign' && assignTo !== undefined &&
      assignTo !== staff.staffId;
    if ((kind === 'approve' || kind === 'reject' || othersAssigned) && !decides) {
      return showReview(deps, request, reply, application,
        'applications.problem.NEEDS_SUPERVISOR', 403);
    }
    const acted = await actAsStaff(deps, { applicationId: application.id, kind, staff,
      clientActionId: clientActionIdOf(request.body), now: deps.clock.now(),
      ...(request.body.comment === undefined ? {} : { comment: request.body.comment }),
      ...(assignTo !== undefined && isUuid(assignTo) ? { assignTo } : {}) });
    if (!acted.ok) {
      const missing = acted.error.code === 'APPLICATION_COMMENT_REQUIRED';
      return showReview(deps, request, reply, application, problemKeyOf(acted.error.code),
        missing ? 400 : 409, missing ? kind : undefined);
    }
    return reply.redirect(applicationsPaths.staffApplication(application.id), 303);
  });
}

async function inScope(deps: ReviewDeps, request: FastifyRequest, id: string):
  Promise<ApplicationRow> {
  const application = isUuid(id)
    ? await applicationInScope(deps, staffActorOf(request), id) : undefined;
  if (application === undefined) throw new ProblemError({ code: 'APPLICATION_NOT_FOUND' });
  return application;
}

async function paymentSummary(deps: ReviewDeps, invoiceId: string | null, now: Date):
  Promise<SafeHtml> {
  if (invoiceId === null) return html`–`;
  const invoice = await invoiceViewById(deps, invoiceId, now);
  if (invoice === undefined) return html`–`;
  return html`${invoice.reference}: ${formatMoney(invoice.paid)} / ${formatMoney(invoice.total)} (${
    invoice.status})`;
}

async function showReview(deps: ReviewDeps, request: FastifyRequest, reply: FastifyReply,
  application: ApplicationRow, problemKey?: string, status = 200,
  commentMissingFor?: StaffActionKind): Promise<FastifyReply> {
  const staff = staffActorOf(request);
  const db = applicationsDb(deps.db);
  const state = await readState(db, application.id);
  if (state === undefined) throw new ProblemError({ code: 'APPLICATION_NOT_FOUND' });
  const now = deps.clock.now();
  const context = request.pageContext();
  const mayRead = hasPermission(staff, 'personal-data.read');
  const form = parseFormDefinition(application.form);
  let answers: SafeHtml = html`<p>${context.t('applications.review.noPersonalData')}</p>`;
  if (mayRead && form.ok) {
    const values = await readAnswers(db, application.id, state.answersVersion) as Answers;
    answers = renderAnswers(context, { def: form.value, answers: values,
      fileHref: (fileId: string) => applicationsPaths.staffFile(application.id, fileId) });
    await db.transaction().execute(async (trx) => recordAuditInTrx(trx, {
      action: 'APPLICATION_VIEWED', actor: auditActorOf(staff),
      subject: { type: 'application', id: application.id }, agencyId: application.agencyId,
      personalDataRead: true, detail: { answersVersion: state.answersVersion },
    }, now));
  }
  const mayAct = hasPermission(staff, 'applications.process');
  const decides = hasPermission(staff, 'applications.decide');
  const allowed = !mayAct ? [] : allowedActions(state.status)
    .filter((kind): kind is StaffActionKind =>
      (staffActionKinds as readonly string[]).includes(kind))
    .filter((kind) => decides || (kind !== 'approve' && kind !== 'reject'));
  const officers = decides ? await db.selectFrom('staff_member').select(['id', 'display_name'])
    .where('agency_id', '=', application.agencyId).where('status', '=', 'active')
    .where('role', 'in', ['agency-officer', 'agency-supervisor']).orderBy('display_name')
    .limit(200).execute() : [{ id: staff.staffId, display_name: '' }];
  return sendHtml(reply, renderReviewPage(context, {
    id: application.id, reference: application.reference,
    service: await serviceNamesOf(deps, application.serviceId), state,
    actions: await listActions(db, application.id), answers,
    payment: await paymentSummary(deps, state.invoiceId, now), allowed,
    officers: decides ? officers.map((row) => ({ id: row.id, name: row.display_name })) : [],
    csrf: csrfField(request), clientActionId: uuidv7(),
    documentHref: state.documentId === null ? null
      : documentsPaths.staffDocument(state.documentId),
    now, ...(problemKey === undefined ? {} : { problemKey }),
    ...(commentMissingFor === undefined ? {} : { commentMissingFor }),
  }), status);
}
