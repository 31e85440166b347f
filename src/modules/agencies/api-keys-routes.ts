/**
 * The agency integration page under /staff/agency-integration, for who holds
 * agency.integration.manage: an agency's administrator (their own agency) and platform
 * administrators (any agency, chosen by its id). Create answers with the page itself, the
 * secret shown once (never in an address, never cached); rotate and revoke redirect back.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { auditActorOf, csrfField } from '#modules/authorisation/index.ts';
import { findAgencyById } from '#modules/catalogue/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import { apiKeysErrors, type ApiKeysErrorCode } from './api-keys-errors.ts';
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey } from './api-keys-service.ts';
import { apiKeysPaths, renderKeysPage, type KeysPageInput } from './api-keys-views.ts';

const managers = { access: { permission: 'agency.integration.manage' as const } };
const AgencyQuery = Type.Object({
  agency: Type.Optional(Type.String({ maxLength: 36 })),
  notice: Type.Optional(Type.Union([Type.Literal('revoked'), Type.Literal('rotated')])),
});
const KeyParams = Type.Object({ keyId: Type.String({ maxLength: 36 }) });
const CreateBody = Type.Object({
  name: Type.String({ maxLength: 200 }),
  agency: Type.Optional(Type.String({ maxLength: 36 })),
});
const RevokeBody = Type.Object({ agency: Type.Optional(Type.String({ maxLength: 36 })) });
const RotateBody = Type.Object({
  agency: Type.Optional(Type.String({ maxLength: 36 })),
  overlapHours: Type.Optional(Type.Union([Type.Literal('0'), Type.Literal('24'),
    Type.Literal('168')])),
});

type Scope = Readonly<{ agencyId: string | null; agencyName: string | null;
  choosesAgency: boolean }>;

/** The agency the page is about: the administrator's own, or the one a platform admin chose. */
async function scopeOf(deps: ModuleDeps, request: FastifyRequest, chosen: string | undefined):
  Promise<Scope> {
  const actor = request.actor;
  const own = actor?.kind === 'staff' ? actor.agencyId : null;
  const agencyId = own ?? (chosen !== undefined && isUuid(chosen) ? chosen : null);
  const agency = agencyId === null ? undefined : await findAgencyById(deps, agencyId);
  return { agencyId: agency === undefined ? null : agencyId,
    agencyName: agency?.nameEn ?? null, choosesAgency: own === null };
}

const problemKeys: Readonly<Partial<Record<ApiKeysErrorCode, string>>> = {
  AGENCY_API_KEY_NOT_FOUND: 'agencies.keys.problem.notFound',
  AGENCY_API_KEY_NAME_INVALID: 'agencies.keys.problem.name',
  AGENCY_REVOKE_TIME_INVALID: 'agencies.keys.problem.revokeTime',
};

function backTo(scope: Scope, notice: string): string {
  const query = new URLSearchParams({ notice });
  if (scope.choosesAgency && scope.agencyId !== null) query.set('agency', scope.agencyId);
  return `${apiKeysPaths.page}?${query.toString()}`;
}

export async function apiKeysRoutes(scope: FastifyInstance, deps: ModuleDeps): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const show = async (request: FastifyRequest, reply: FastifyReply, where: Scope,
    extra: Pick<KeysPageInput, 'created' | 'notice' | 'problem'>, status = 200) => {
    const keys = where.agencyId === null ? [] : await listApiKeys(deps, where.agencyId);
    return sendHtml(reply.header('cache-control', 'no-store'),
      renderKeysPage(request.pageContext(), { ...where, keys, csrf: csrfField(request),
        now: deps.clock.now(), ...extra }), status);
  };
  const refuse = (request: FastifyRequest, reply: FastifyReply, where: Scope,
    code: ApiKeysErrorCode) => show(request, reply, where,
    { problem: problemKeys[code] ?? 'agencies.keys.problem.notFound' },
    apiKeysErrors[code].status);

  app.get(apiKeysPaths.page, { config: managers, schema: { hide: true, querystring: AgencyQuery } },
    async (request, reply) => show(request, reply,
      await scopeOf(deps, request, request.query.agency), { notice: request.query.notice ===
        undefined ? undefined : `agencies.keys.notice.${request.query.notice}` }));

  app.post(apiKeysPaths.create, { config: managers, schema: { hide: true, body: CreateBody } },
    async (request, reply) => {
      const where = await scopeOf(deps, request, request.body.agency);
      if (where.agencyId === null) return refuse(request, reply, where, 'AGENCY_API_KEY_NOT_FOUND');
      const created = await createApiKey(deps, { agencyId: where.agencyId,
        name: request.body.name, actor: auditActorOf(request.actor), now: deps.clock.now() });
      if (!created.ok) return refuse(request, reply, where, created.error.code);
      return show(request, reply, where,
        { created: { name: created.value.key.name, secret: created.value.secret } });
    });

  app.post(apiKeysPaths.revokePattern, { config: managers,
    schema: { hide: true, params: KeyParams, body: RevokeBody } }, async (request, reply) => {
    const where = await scopeOf(deps, request, request.body.agency);
    if (where.agencyId === null) return refuse(request, reply, where, 'AGENCY_API_KEY_NOT_FOUND');
    const revoked = await revokeApiKey(deps, { agencyId: where.agencyId,
      keyId: request.params.keyId, actor: auditActorOf(request.actor), now: deps.clock.now() });
    if (!revoked.ok) return refuse(request, reply, where, revoked.error.code);
    return reply.redirect(backTo(where, 'revoked'), 303);
  });

  app.post(apiKeysPaths.rotatePattern, { config: managers,
    schema: { hide: true, params: KeyParams, body: RotateBody } }, async (request, reply) => {
    const where = await scopeOf(deps, request, request.body.agency);
    if (where.agencyId === null) return refuse(request, reply, where, 'AGENCY_API_KEY_NOT_FOUND');
    const now = deps.clock.now();
    const hours = Number(request.body.overlapHours ?? '0');
    const rotated = await rotateApiKey(deps, { agencyId: where.agencyId,
      keyId: request.params.keyId, revokeAt: new Date(now.getTime() + hours * 3_600_000),
      actor: auditActorOf(request.actor), now });
    if (!rotated.ok) return refuse(request, reply, where, rotated.error.code);
    return show(request, reply, where, { notice: 'agencies.keys.notice.rotated',
      created: { name: rotated.value.key.name, secret: rotated.value.secret } });
  });
  return Promise.resolve();
}
