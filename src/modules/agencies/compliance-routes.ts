/**
 * The compliance pages: the compliance home (an agency administrator's notices; the desk's
 * alerts, every notice and the form to issue one), one notice with its next step, and the
 * scorecard with its CSV. Reading needs compliance.read (agency staff see their own agency
 * only, in the query); answering needs compliance.respond; issuing, closing and reopening need
 * compliance.manage. Every id reaching SQL is checked to be a uuid first.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  agencyScopeOf,
  auditActorOf,
  csrfField,
  hasPermission,
  type Actor,
} from '#modules/authorisation/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import { complianceErrors } from './compliance-errors.ts';
import { advanceNotice, issueNotice } from './compliance-notices.ts';
import { compliancePaths } from './compliance-paths.ts';
import {
  findAgency,
  findNotice,
  listAgencyRefs,
  listAlerts,
  listNotices,
} from './compliance-repo.ts';
import { nairobiDate } from './compliance-rules.ts';
import {
  complianceScorecard,
  isScorecardColumn,
  scorecardCsv,
  sortScorecard,
  type ScorecardColumn,
  type SortDirection,
} from './compliance-scorecard.ts';
import { renderScorecardPage } from './compliance-scorecard-views.ts';
import type { ComplianceFailure } from './compliance-service.ts';
import { renderHomePage, renderNoticePage, type Banner } from './compliance-views.ts';

const text = (max: number) => Type.Optional(Type.String({ maxLength: max }));
const IssueBody = Type.Object({ agencyId: text(100), subject: text(1000), body: text(20_000),
  deadlineOn: text(40) });
const StepBody = Type.Object({ text: text(20_000), deadlineOn: text(40) });
const NoticeParams = Type.Object({ noticeId: Type.String({ maxLength: 100 }) });
const noticeKinds = ['issued', 'answered', 'closed', 'reopened'] as const;
const BannerQuery = Type.Object({
  notice: Type.Optional(Type.Union(noticeKinds.map((kind) => Type.Literal(kind)))),
});
const ScorecardQuery = Type.Object({ sort: text(40), dir: text(10) });

export function actorOf(request: FastifyRequest): Actor {
  if (request.actor === undefined) throw new Error('a signed-in actor is required');
  return request.actor;
}

export const failureKey = (failure: ComplianceFailure): string =>
  `agencies.compliance.error.${failure.code}`;

export function statusOf(failure: ComplianceFailure): number {
  return complianceErrors[failure.code].status;
}

const noticeBanner = (notice: string | undefined): Banner =>
  notice === undefined ? {} : { done: `agencies.compliance.done.${notice}` };

function sortOf(query: { sort?: string | undefined; dir?: string | undefined }):
{ sort: ScorecardColumn; dir: SortDirection } {
  const sort = query.sort !== undefined && isScorecardColumn(query.sort) ? query.sort : 'score';
  return { sort, dir: query.dir === 'desc' ? 'desc' : 'asc' };
}

function pageShowers(deps: ModuleDeps) {
  const showHome = async (request: FastifyRequest, reply: FastifyReply, banner: Banner,
    status = 200) => {
    const actor = actorOf(request);
    const agencyScope = agencyScopeOf(actor);
    const [agency, notices, alerts, agencies] = await Promise.all([
      agencyScope === 'all' ? undefined : findAgency(deps.db, agencyScope, agencyScope),
      listNotices(deps.db, agencyScope),
      agencyScope === 'all' ? listAlerts(deps.db, 'all') : [],
      hasPermission(actor, 'compliance.manage') ? listAgencyRefs(deps.db) : undefined]);
    return sendHtml(reply.header('cache-control', 'no-store'), renderHomePage(
      request.pageContext(), { ...banner, agency, notices, alerts, agencies,
        today: nairobiDate(deps.clock.now()), csrf: csrfField(request) }), status);
  };

  const showNotice = async (request: FastifyRequest, reply: FastifyReply, noticeId: string,
    banner: Banner, status = 200) => {
    const actor = actorOf(request);
    const found = await findNotice(deps.db, agencyScopeOf(actor), noticeId);
    if (found === undefined) return reply.callNotFound();
    return sendHtml(reply.header('cache-control', 'no-store'), renderNoticePage(
      request.pageContext(), { ...banner, ...found, today: nairobiDate(deps.clock.now()),
        canAnswer: hasPermission(actor, 'compliance.respond'),
        canDecide: hasPermission(actor, 'compliance.manage'), csrf: csrfField(request) }),
    status);
  };
  return { showHome, showNotice };
}

function scorecardRoutes(app: FastifyInstance, deps: ModuleDeps): void {
  const readers = { access: { permission: 'compliance.read' as const } };
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const scorecardRows = async (request: FastifyRequest, query: { sort?: string | undefined;
    dir?: string | undefined }) => {
    const { sort, dir } = sortOf(query);
    const rows = await complianceScorecard(deps.db, { now: deps.clock.now(),
      scope: agencyScopeOf(actorOf(request)) });
    return { rows: sortScorecard(rows, sort, dir), sort, dir };
  };

  typed.get(compliancePaths.scorecard, { config: readers,
    schema: { hide: true, querystring: ScorecardQuery } }, async (request, reply) =>
    sendHtml(reply.header('cache-control', 'no-store'), renderScorecardPage(
      request.pageContext(), await scorecardRows(request, request.query))));

  typed.get(compliancePaths.scorecardCsv, { config: readers,
    schema: { hide: true, querystring: ScorecardQuery } }, async (request, reply) => {
    const { rows } = await scorecardRows(request, request.query);
    return reply.header('cache-control', 'no-store').type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="compliance-scorecard.csv"')
      .send(scorecardCsv(rows));
  });
}

export async function complianceRoutes(scope: FastifyInstance, deps: ModuleDeps):
Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const readers = { access: { permission: 'compliance.read' as const } };
  const respondents = { access: { permission: 'compliance.respond' as const } };
  const desk = { access: { permission: 'compliance.manage' as const } };
  const { showHome, showNotice } = pageShowers(deps);

  app.get(compliancePaths.home, { config: readers,
    schema: { hide: true, querystring: BannerQuery } },
  async (request, reply) => showHome(request, reply, noticeBanner(request.query.notice)));

  app.post(compliancePaths.notices, { config: desk, schema: { hide: true, body: IssueBody } },
    async (request, reply) => {
      const { agencyId = '', subject = '', body = '', deadlineOn = '' } = request.body;
      const issued = await issueNotice(deps.db, { agencyId, subject, body, deadlineOn,
        actor: auditActorOf(request.actor), now: deps.clock.now(),
        publicBaseUrl: deps.config.publicBaseUrl });
      if (issued.ok) {
        return reply.redirect(`${compliancePaths.notice(issued.value.id)}?notice=issued`, 303);
      }
      return showHome(request, reply, { problem: failureKey(issued.error) },
        statusOf(issued.error));
    });

  app.get(compliancePaths.noticePattern, { config: readers,
    schema: { hide: true, params: NoticeParams, querystring: BannerQuery } },
  async (request, reply) => showNotice(request, reply, request.params.noticeId,
    noticeBanner(request.query.notice)));

  const step = (kind: 'answered' | 'closed' | 'reopened') =>
    async (request: FastifyRequest<{ Params: { noticeId: string };
      Body: { text?: string | undefined; deadlineOn?: string | undefined } }>,
    reply: FastifyReply) => {
      const { noticeId } = request.params;
      const actor = actorOf(request);
      const result = await advanceNotice(deps.db, { scope: agencyScopeOf(actor), noticeId,
        kind, text: request.body.text ?? '', deadlineOn: request.body.deadlineOn,
        actor: auditActorOf(actor), now: deps.clock.now() });
      if (result.ok) {
        return reply.redirect(`${compliancePaths.notice(noticeId)}?notice=${kind}`, 303);
      }
      if (result.error.code === 'COMPLIANCE_NOTICE_NOT_FOUND') return reply.callNotFound();
      return showNotice(request, reply, noticeId, { problem: failureKey(result.error) },
        statusOf(result.error));
    };
  const stepSchema = { hide: true, params: NoticeParams, body: StepBody };
  app.post(compliancePaths.noticeAnswerPattern, { config: respondents, schema: stepSchema },
    step('answered'));
  app.post(compliancePaths.noticeClosePattern, { config: desk, schema: stepSchema },
    step('closed'));
  app.post(compliancePaths.noticeReopenPattern, { config: desk, schema: stepSchema },
    step('reopened'));
  scorecardRoutes(app, deps);
}
