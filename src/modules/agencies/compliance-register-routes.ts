/**
 * One agency's compliance register page and its forms: the agency's administrator
 * (compliance.respond, own agency only) declares legacy paybills, records one closed, and
 * declares outside revenue; the desk (compliance.manage) records exemptions and approves
 * those another person recorded. A form's failure shows the page again with the problem;
 * success redirects (303) back to the page. Ids are checked to be uuids before any SQL.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  agencyScopeOf,
  auditActorOf,
  csrfField,
  hasPermission,
} from '#modules/authorisation/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import { compliancePaths } from './compliance-paths.ts';
import { renderRegisterPage } from './compliance-register-views.ts';
import { findAgency, readRegister } from './compliance-repo.ts';
import { nairobiDate } from './compliance-rules.ts';
import { actorOf, failureKey, statusOf } from './compliance-routes.ts';
import {
  approveExemption,
  closeLegacyPaybill,
  declareLegacyPaybill,
  declareOutsideRevenue,
  recordExemption,
  type ComplianceFailure,
} from './compliance-service.ts';
import type { Banner } from './compliance-views.ts';

const text = (max: number) => Type.Optional(Type.String({ maxLength: max }));
const AgencyParams = Type.Object({ agencyId: Type.String({ maxLength: 100 }) });
const PaybillParams = Type.Object({ agencyId: Type.String({ maxLength: 100 }),
  paybillId: Type.String({ maxLength: 100 }) });
const ExemptionParams = Type.Object({ agencyId: Type.String({ maxLength: 100 }),
  exemptionId: Type.String({ maxLength: 100 }) });
const done = ['paybill', 'closed', 'revenue', 'exemption', 'approved'] as const;
const RegisterQuery = Type.Object({
  notice: Type.Optional(Type.Union(done.map((value) => Type.Literal(value)))),
});
const PaybillBody = Type.Object({ paybillNumber: text(40), accountName: text(1000),
  closureDueOn: text(40) });
const CloseBody = Type.Object({ closedOn: text(40) });
const RevenueBody = Type.Object({ month: text(40), currency: text(10), amount: text(40) });
const ExemptionBody = Type.Object({ serviceId: text(100), reason: text(10_000),
  migrationPlan: text(10_000), expiresOn: text(40) });

type Done = (typeof done)[number];
const notFound = new Set(['COMPLIANCE_AGENCY_NOT_FOUND', 'COMPLIANCE_PAYBILL_NOT_FOUND',
  'COMPLIANCE_EXEMPTION_NOT_FOUND']);

function registerHelpers(deps: ModuleDeps) {
  const show = async (request: FastifyRequest, reply: FastifyReply, agencyId: string,
    banner: Banner, status = 200) => {
    const actor = actorOf(request);
    const agency = await findAgency(deps.db, agencyScopeOf(actor), agencyId);
    if (agency === undefined) return reply.callNotFound();
    const register = await readRegister(deps.db, agency.id);
    return sendHtml(reply.header('cache-control', 'no-store'), renderRegisterPage(
      request.pageContext(), { ...banner, agency, register,
        today: nairobiDate(deps.clock.now()),
        canRespond: hasPermission(actor, 'compliance.respond'),
        canManage: hasPermission(actor, 'compliance.manage'), csrf: csrfField(request) }),
    status);
  };

  /** Redirects on success; shows the page with the problem (or 404) on failure. */
  const answer = async (request: FastifyRequest, reply: FastifyReply, agencyId: string,
    result: { ok: true } | { ok: false; error: ComplianceFailure }, notice: Done) => {
    if (result.ok) {
      return reply.redirect(`${compliancePaths.register(agencyId)}?notice=${notice}`, 303);
    }
    if (notFound.has(result.error.code)) return reply.callNotFound();
    return show(request, reply, agencyId, { problem: failureKey(result.error) },
      statusOf(result.error));
  };

  const context = (request: FastifyRequest) => {
    const actor = actorOf(request);
    return { scope: agencyScopeOf(actor), actor: auditActorOf(actor), now: deps.clock.now() };
  };
  return { show, answer, context };
}

export async function complianceRegisterRoutes(scope: FastifyInstance, deps: ModuleDeps):
Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const readers = { access: { permission: 'compliance.read' as const } };
  const respondents = { access: { permission: 'compliance.respond' as const } };
  const desk = { access: { permission: 'compliance.manage' as const } };
  const { show, answer, context } = registerHelpers(deps);

  app.get(compliancePaths.registerPattern, { config: readers,
    schema: { hide: true, params: AgencyParams, querystring: RegisterQuery } },
  async (request, reply) => show(request, reply, request.params.agencyId,
    request.query.notice === undefined ? {}
      : { done: `agencies.compliance.done.${request.query.notice}` }));

  app.post(compliancePaths.paybillsPattern, { config: respondents,
    schema: { hide: true, params: AgencyParams, body: PaybillBody } }, async (request, reply) => {
    const { agencyId } = request.params;
    const { paybillNumber = '', accountName = '', closureDueOn = '' } = request.body;
    return answer(request, reply, agencyId, await declareLegacyPaybill(deps.db, {
      ...context(request), agencyId, paybillNumber, accountName, closureDueOn }), 'paybill');
  });

  app.post(compliancePaths.paybillClosePattern, { config: respondents,
    schema: { hide: true, params: PaybillParams, body: CloseBody } }, async (request, reply) => {
    const { agencyId, paybillId } = request.params;
    return answer(request, reply, agencyId, await closeLegacyPaybill(deps.db, {
      ...context(request), agencyId, paybillId, closedOn: request.body.closedOn ?? '' }),
    'closed');
  });

  app.post(compliancePaths.revenuePattern, { config: respondents,
    schema: { hide: true, params: AgencyParams, body: RevenueBody } }, async (request, reply) => {
    const { agencyId } = request.params;
    const { month = '', currency = '', amount = '' } = request.body;
    return answer(request, reply, agencyId, await declareOutsideRevenue(deps.db, {
      ...context(request), agencyId, month, currency, amount }), 'revenue');
  });

  app.post(compliancePaths.exemptionsPattern, { config: desk,
    schema: { hide: true, params: AgencyParams, body: ExemptionBody } },
  async (request, reply) => {
    const { agencyId } = request.params;
    const { serviceId = '', reason = '', migrationPlan = '', expiresOn = '' } = request.body;
    return answer(request, reply, agencyId, await recordExemption(deps.db, {
      ...context(request), agencyId, serviceId, reason, migrationPlan, expiresOn }),
    'exemption');
  });

  app.post(compliancePaths.exemptionApprovePattern, { config: desk,
    schema: { hide: true, params: ExemptionParams } }, async (request, reply) => {
    const { agencyId, exemptionId } = request.params;
    return answer(request, reply, agencyId, await approveExemption(deps.db, {
      ...context(request), exemptionId }), 'approved');
  });
}
