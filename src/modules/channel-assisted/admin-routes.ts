/**
 * The platform administrator's routes (assisted.agents.manage): the agent register and the
 * agent-fee caps; the public agent-fee table (no sign-in); and the agency's list of its bills
 * made through agents (payments.read, in the caller's agency scope).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { agencyScopeOf, csrfField } from '#modules/authorisation/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { ProblemError } from '#platform/http/index.ts';
import { sendHtml } from '#web/index.ts';
import { renderFeeCapsPage, renderRegisterPage } from './admin-views.ts';
import { listAgents, registerAgent } from './agent-register-service.ts';
import { assistedErrors, type AssistedErrorCode } from './assisted-errors.ts';
import { assistedPaths } from './assisted-paths.ts';
import { listAssistedBills } from './bill-listing.ts';
import { applicationsTable, listAssistedApplications } from './application-listing.ts';
import { publishedFeeTable, publishFeeCap } from './fee-cap-service.ts';
import { kenyanDateOf } from './fee-rules.ts';
import { renderAgencyBillsPage, renderFeeTablePage } from './list-views.ts';

const managers = { access: { permission: 'assisted.agents.manage' as const } };
const Text = (maxLength: number) => Type.String({ maxLength });
const Notice = Type.Object({ notice: Type.Optional(Type.Literal('saved')) });
const AgentBody = Type.Object({ email: Text(254), agentNumber: Text(40),
  businessName: Text(200), kind: Text(20), location: Text(200) });
const CapBody = Type.Object({ service: Text(200), amount: Text(20), effectiveFrom: Text(20) });

function staffIdOf(request: FastifyRequest): { kind: 'staff'; id: string; role: string } {
  const actor = request.actor;
  if (actor?.kind !== 'staff') throw new ProblemError({ code: 'AUTHORISATION_PERMISSION_DENIED' });
  return { kind: 'staff', id: actor.staffId, role: actor.role };
}

type Shown = Readonly<{ code?: AssistedErrorCode; form?: Record<string, string>;
  notice?: string }>;

export async function adminRoutes(scope: FastifyInstance, deps: ModuleDeps): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const statusOf = (shown: Shown) => shown.code === undefined ? 200
    : assistedErrors[shown.code].status;
  const register = async (request: FastifyRequest, reply: FastifyReply, shown: Shown) =>
    sendHtml(reply.header('cache-control', 'no-store'), renderRegisterPage(request.pageContext(),
      { agents: await listAgents(deps), csrf: csrfField(request), ...shown }), statusOf(shown));
  const caps = async (request: FastifyRequest, reply: FastifyReply, shown: Shown) =>
    sendHtml(reply.header('cache-control', 'no-store'), renderFeeCapsPage(request.pageContext(),
      { caps: await publishedFeeTable(deps), csrf: csrfField(request),
        today: kenyanDateOf(deps.clock.now()), ...shown }), statusOf(shown));
  const saved = (query: { notice?: 'saved' }) =>
    query.notice === undefined ? {} : { notice: 'assisted.notice.saved' };

  app.get(assistedPaths.register, { config: managers,
    schema: { hide: true, querystring: Notice } },
  async (request, reply) => register(request, reply, saved(request.query)));

  app.post(assistedPaths.register, { config: managers, schema: { hide: true, body: AgentBody } },
    async (request, reply) => {
      const added = await registerAgent(deps, { ...request.body, actor: staffIdOf(request),
        now: deps.clock.now() });
      if (!added.ok) {
        return register(request, reply, { code: added.error.code, form: request.body });
      }
      return reply.redirect(`${assistedPaths.register}?notice=saved`, 303);
    });

  app.get(assistedPaths.feeCaps, { config: managers,
    schema: { hide: true, querystring: Notice } },
  async (request, reply) => caps(request, reply, saved(request.query)));

  app.post(assistedPaths.feeCaps, { config: managers, schema: { hide: true, body: CapBody } },
    async (request, reply) => {
      const published = await publishFeeCap(deps, { ...request.body,
        actor: staffIdOf(request), now: deps.clock.now() });
      if (!published.ok) {
        return caps(request, reply, { code: published.error.code, form: request.body });
      }
      return reply.redirect(`${assistedPaths.feeCaps}?notice=saved`, 303);
    });

  app.get(assistedPaths.feeTable, { config: { access: 'public' }, schema: { hide: true } },
    async (request, reply) => sendHtml(reply.header('cache-control', 'no-store'),
      renderFeeTablePage(request.pageContext(), await publishedFeeTable(deps))));

  app.get(assistedPaths.agencyBills, { config: { access: { permission: 'payments.read' } },
    schema: { hide: true } }, async (request, reply) => {
    const actor = request.actor;
    if (actor === undefined || actor.kind === 'account') {
      throw new ProblemError({ code: 'AUTHORISATION_PERMISSION_DENIED' });
    }
    const scope = { agency: agencyScopeOf(actor) };
    const bills = await listAssistedBills(deps, scope);
    const applications = await listAssistedApplications(deps, scope);
    return sendHtml(reply.header('cache-control', 'no-store'), renderAgencyBillsPage(
      request.pageContext(), bills, applications.length === 0 ? undefined
        : applicationsTable(request.pageContext(), applications, false)));
  });
  return Promise.resolve();
}
