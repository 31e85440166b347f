/**
 * The staff page of Sign in with Huduma clients, for who holds federation.clients.manage
 * (platform administrators). Register and rotate answer with the page itself, the secret
 * shown once (never in an address, never cached); revoke redirects back.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { auditActorOf, csrfField } from '#modules/authorisation/index.ts';
import { findAgencyById } from '#modules/catalogue/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import { listClients, registerClient, revokeClient, rotateClientSecret } from
  './client-service.ts';
import { renderClientsPage, type ClientsPageInput } from './client-views.ts';
import { federationErrors, type FederationErrorCode } from './federation-errors.ts';
import { federationPaths } from './federation-paths.ts';

const managers = { access: { permission: 'federation.clients.manage' as const } };
const PageQuery = Type.Object({ notice: Type.Optional(Type.Literal('revoked')) });
const ClientParams = Type.Object({ clientId: Type.String({ maxLength: 40 }) });
const RegisterBody = Type.Object({
  agency: Type.String({ maxLength: 36 }),
  name: Type.String({ maxLength: 200 }),
  redirectUris: Type.String({ maxLength: 6000 }),
  postLogoutRedirectUris: Type.Optional(Type.String({ maxLength: 6000 })),
  scopes: Type.Optional(Type.Union([Type.String({ maxLength: 40 }),
    Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })])),
});

const problemKeys: Readonly<Record<FederationErrorCode, string>> = {
  FEDERATION_CLIENT_NOT_FOUND: 'federation.problem.notFound',
  FEDERATION_AGENCY_NOT_FOUND: 'federation.problem.agency',
  FEDERATION_CLIENT_INVALID: 'federation.problem.invalid',
  FEDERATION_CLIENT_REVOKED: 'federation.problem.revoked',
  FEDERATION_INTERACTION_NOT_FOUND: 'federation.gone.body',
};

function linesOf(text: string | undefined): string[] {
  return (text ?? '').split(/\s+/).filter((line) => line !== '');
}

export async function clientRoutes(scope: FastifyInstance,
  deps: ModuleDeps): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const show = async (request: FastifyRequest, reply: FastifyReply,
    extra: Pick<ClientsPageInput, 'shown' | 'notice' | 'problem' | 'form'>, status = 200) => {
    const clients = await Promise.all((await listClients(deps)).map(async (client) => ({
      ...client, agencyName: (await findAgencyById(deps, client.agencyId))?.nameEn ?? '' })));
    return sendHtml(reply.header('cache-control', 'no-store'),
      renderClientsPage(request.pageContext(), { clients, csrf: csrfField(request), ...extra }),
      status);
  };
  const refuse = (request: FastifyRequest, reply: FastifyReply, code: FederationErrorCode,
    form?: Readonly<Record<string, string>>) =>
    show(request, reply, { problem: problemKeys[code], form }, federationErrors[code].status);

  app.get(federationPaths.clients, { config: managers,
    schema: { hide: true, querystring: PageQuery } }, async (request, reply) =>
    show(request, reply, { notice: request.query.notice === undefined ? undefined
      : 'federation.clients.notice.revoked' }));

  app.post(federationPaths.clients, { config: managers, schema: { hide: true,
    body: RegisterBody } }, async (request, reply) => {
    const body = request.body;
    const form = { agency: body.agency, name: body.name, redirectUris: body.redirectUris,
      postLogoutRedirectUris: body.postLogoutRedirectUris ?? '' };
    const agency = await findAgencyById(deps, body.agency.trim());
    if (agency === undefined) {
      return refuse(request, reply, 'FEDERATION_AGENCY_NOT_FOUND', form);
    }
    const registered = await registerClient(deps, { agencyId: agency.id, name: body.name,
      redirectUris: linesOf(body.redirectUris),
      postLogoutRedirectUris: linesOf(body.postLogoutRedirectUris),
      scopes: body.scopes === undefined ? [] : [body.scopes].flat() },
    auditActorOf(request.actor), deps.clock.now());
    if (!registered.ok) return refuse(request, reply, registered.error.code, form);
    return show(request, reply, { shown: { clientId: registered.value.client.clientId,
      secret: registered.value.secret } });
  });

  app.post(federationPaths.rotatePattern, { config: managers,
    schema: { hide: true, params: ClientParams } }, async (request, reply) => {
    const rotated = await rotateClientSecret(deps, request.params.clientId,
      auditActorOf(request.actor), deps.clock.now());
    if (!rotated.ok) return refuse(request, reply, rotated.error.code);
    return show(request, reply, { notice: 'federation.clients.notice.rotated',
      shown: { clientId: rotated.value.client.clientId, secret: rotated.value.secret } });
  });

  app.post(federationPaths.revokePattern, { config: managers,
    schema: { hide: true, params: ClientParams } }, async (request, reply) => {
    const revoked = await revokeClient(deps, request.params.clientId,
      auditActorOf(request.actor), deps.clock.now());
    if (!revoked.ok) return refuse(request, reply, revoked.error.code);
    return reply.redirect(`${federationPaths.clients}?notice=revoked`, 303);
  });
  return Promise.resolve();
}
