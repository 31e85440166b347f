/**
 * The Pesaflow clients page under /staff/pesaflow-clients, for who holds
 * agency.integration.manage: an agency's administrator (their own agency) and platform
 * administrators (any agency, chosen by its id). Registering answers with the page itself,
 * the apiKey and secret shown once (never in an address, never cached); disable redirects.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { auditActorOf, csrfField } from '#modules/authorisation/index.ts';
import { findAgencyById } from '#modules/catalogue/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import {
  disablePesaflowClient,
  listPesaflowClients,
  registerPesaflowClient,
} from './pesaflow-clients.ts';
import { pesaflowErrors, type PesaflowErrorCode } from './pesaflow-errors.ts';
import { hashEncodings, ipnRecipes } from './pesaflow-hash.ts';
import { pesaflowPaths } from './pesaflow-paths.ts';
import { renderClientsPage, type ClientsPageInput } from './pesaflow-staff-views.ts';

const managers = { access: { permission: 'agency.integration.manage' as const } };
const agency = Type.Optional(Type.String({ maxLength: 36 }));
const PageQuery = Type.Object({ agency, notice: Type.Optional(Type.Literal('disabled')) });
const CreateBody = Type.Object({
  name: Type.String({ maxLength: 200 }),
  hashEncoding: Type.Union(hashEncodings.map((value) => Type.Literal(value))),
  ipnRecipe: Type.Union(ipnRecipes.map((value) => Type.Literal(value))),
  agency,
});
const DisableBody = Type.Object({ agency });
const ClientParams = Type.Object({ clientId: Type.String({ maxLength: 36 }) });

type Scope = Readonly<{ agencyId: string | null; agencyName: string | null;
  choosesAgency: boolean }>;

async function scopeOf(deps: ModuleDeps, request: FastifyRequest, chosen: string | undefined):
  Promise<Scope> {
  const actor = request.actor;
  const own = actor?.kind === 'staff' ? actor.agencyId : null;
  const agencyId = own ?? (chosen !== undefined && isUuid(chosen) ? chosen : null);
  const found = agencyId === null ? undefined : await findAgencyById(deps, agencyId);
  return { agencyId: found === undefined ? null : agencyId, agencyName: found?.nameEn ?? null,
    choosesAgency: own === null };
}

const problemKeys: Readonly<Partial<Record<PesaflowErrorCode, string>>> = {
  PESAFLOW_CLIENT_NAME_INVALID: 'pesaflow.clients.problem.name',
};

export async function pesaflowStaffRoutes(scope: FastifyInstance, deps: ModuleDeps):
  Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const show = async (request: FastifyRequest, reply: FastifyReply, where: Scope,
    extra: Pick<ClientsPageInput, 'created' | 'notice' | 'problem'>, status = 200) => {
    const clients = where.agencyId === null ? [] : await listPesaflowClients(deps, where.agencyId);
    return sendHtml(reply.header('cache-control', 'no-store'),
      renderClientsPage(request.pageContext(), { ...where, clients, csrf: csrfField(request),
        ...extra }), status);
  };
  const refuse = (request: FastifyRequest, reply: FastifyReply, where: Scope,
    code: PesaflowErrorCode) => show(request, reply, where,
    { problem: problemKeys[code] ?? 'pesaflow.clients.problem.notFound' },
    pesaflowErrors[code].status);

  app.get(pesaflowPaths.staff, { config: managers, schema: { hide: true,
    querystring: PageQuery } }, async (request, reply) => show(request, reply,
    await scopeOf(deps, request, request.query.agency), { notice: request.query.notice ===
      undefined ? undefined : 'pesaflow.clients.notice.disabled' }));

  app.post(pesaflowPaths.staff, { config: managers, schema: { hide: true, body: CreateBody } },
    async (request, reply) => {
      const where = await scopeOf(deps, request, request.body.agency);
      if (where.agencyId === null) {
        return refuse(request, reply, where, 'PESAFLOW_CLIENT_NOT_FOUND');
      }
      const created = await registerPesaflowClient(deps, { agencyId: where.agencyId,
        name: request.body.name, hashEncoding: request.body.hashEncoding,
        ipnRecipe: request.body.ipnRecipe, actor: auditActorOf(request.actor),
        now: deps.clock.now() });
      if (!created.ok) return refuse(request, reply, where, created.error.code);
      return show(request, reply, where, { created: created.value }, 201);
    });

  app.post(pesaflowPaths.disablePattern, { config: managers,
    schema: { hide: true, params: ClientParams, body: DisableBody } }, async (request, reply) => {
    const where = await scopeOf(deps, request, request.body.agency);
    if (where.agencyId === null) return refuse(request, reply, where, 'PESAFLOW_CLIENT_NOT_FOUND');
    const disabled = await disablePesaflowClient(deps, { agencyId: where.agencyId,
      clientId: request.params.clientId, actor: auditActorOf(request.actor),
      now: deps.clock.now() });
    if (!disabled.ok) return refuse(request, reply, where, disabled.error.code);
    const query = new URLSearchParams({ notice: 'disabled' });
    if (where.choosesAgency) query.set('agency', where.agencyId);
    return reply.redirect(`${pesaflowPaths.staff}?${query.toString()}`, 303);
  });
  return Promise.resolve();
}
