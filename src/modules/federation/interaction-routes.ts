/**
 * The provider's interactions, as our own pages. Login is the normal Huduma sign-in (its rate
 * limits and second factor): an anonymous visitor is sent to it with a return path back here
 * (the route's permission does that), and a signed-in citizen finishes the login prompt at
 * once. Consent lists the agency, the client and each claim asked for; the ID number only
 * when ticked; Deny answers the client access_denied. Each consent given is audited.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { InteractionDetails } from 'oidc-provider';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { auditActorOf, csrfField, type AccountActor } from '#modules/authorisation/index.ts';
import { findAgencyById } from '#modules/catalogue/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import { findLiveClient } from './client-service.ts';
import { renderConsentPage, renderInteractionGonePage } from './consent-views.ts';
import { federationErrors } from './federation-errors.ts';
import { allowFormRedirectTo, headerText } from './form-redirects.ts';
import { federationPaths } from './federation-paths.ts';
import { idNumberScope } from './federation-scopes.ts';
import { federationDb } from './federation-tables.ts';
import type { HudumaProvider } from './provider.ts';

const citizens = { access: { permission: 'account.self' as const } };
const UidParams = Type.Object({ uid: Type.String({ minLength: 1, maxLength: 64 }) });
const ConsentBody = Type.Object({
  decision: Type.Union([Type.Literal('allow'), Type.Literal('deny')]),
  idNumber: Type.Optional(Type.Literal('yes')),
});

function scopesOf(details: InteractionDetails): string[] {
  const missing = details.prompt.details.missingOIDCScope;
  const requested = Array.isArray(missing) ? missing as string[]
    : String(details.params.scope ?? '').split(' ');
  return requested.filter((scope) => scope !== '' && scope !== 'openid');
}

/** Saves what the citizen allowed as the provider's grant, audited; returns the grant id. */
async function saveConsent(deps: ModuleDeps, op: HudumaProvider, details: InteractionDetails,
  actor: AccountActor, idNumberTicked: boolean): Promise<string> {
  const { provider } = op;
  const clientId = String(details.params.client_id ?? '');
  const grant = details.grantId === undefined
    ? new provider.Grant({ accountId: actor.accountId, clientId })
    : await provider.Grant.find(details.grantId) ??
      new provider.Grant({ accountId: actor.accountId, clientId });
  const asked = scopesOf(details);
  const granted = ['openid', ...asked.filter((scope) => scope !== idNumberScope ||
    idNumberTicked)];
  grant.addOIDCScope(granted.join(' '));
  if (asked.includes(idNumberScope) && !idNumberTicked) grant.rejectOIDCScope(idNumberScope);
  const grantId = await grant.save();
  const client = await findLiveClient(deps, clientId);
  await federationDb(deps.db).transaction().execute((trx) => recordAuditInTrx(trx, {
    action: 'FEDERATION_CONSENT_GRANTED', actor: auditActorOf(actor),
    subject: { type: 'oidc-client', id: clientId }, agencyId: client?.agency_id ?? null,
    detail: { scopes: granted.join(' ') } }, deps.clock.now()));
  return grantId;
}

export async function interactionRoutes(scope: FastifyInstance, deps: ModuleDeps,
  op: HudumaProvider): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { provider } = op;

  /** The interaction this browser is in, if it is the one the address names. */
  const detailsOf = async (request: FastifyRequest, reply: FastifyReply, uid: string) => {
    try {
      const details = await provider.interactionDetails(request.raw, reply.raw);
      return details.uid === uid ? details : undefined;
    } catch {
      return undefined;
    }
  };
  const gone = (request: FastifyRequest, reply: FastifyReply) => sendHtml(reply,
    renderInteractionGonePage(request.pageContext()),
    federationErrors.FEDERATION_INTERACTION_NOT_FOUND.status);
  const finish = async (request: FastifyRequest, reply: FastifyReply,
    result: Record<string, unknown>) => reply.redirect(
    await provider.interactionResult(request.raw, reply.raw, result), 303);

  const showConsent = async (request: FastifyRequest, reply: FastifyReply,
    details: InteractionDetails, accountId: string) => {
    const client = await findLiveClient(deps, String(details.params.client_id ?? ''));
    const agency = client === undefined ? undefined : await findAgencyById(deps, client.agency_id);
    if (client === undefined || agency === undefined) {
      return finish(request, reply, { error: 'access_denied',
        error_description: 'the client is no longer registered' });
    }
    const citizenName = request.signedIn?.name ?? accountId;
    const policy = allowFormRedirectTo(headerText(reply.getHeader('content-security-policy')),
      details.params.redirect_uri);
    if (policy !== undefined) void reply.header('content-security-policy', policy);
    return sendHtml(reply, renderConsentPage(request.pageContext(), { uid: details.uid,
      clientName: client.name, agency, scopes: scopesOf(details), citizenName,
      csrf: csrfField(request) }));
  };

  app.get(federationPaths.interactionPattern, { config: citizens,
    schema: { hide: true, params: UidParams } }, async (request, reply) => {
    const details = await detailsOf(request, reply, request.params.uid);
    const actor = request.actor;
    if (details === undefined || actor?.kind !== 'account') return gone(request, reply);
    if (details.prompt.name === 'login' || details.session?.accountId !== actor.accountId) {
      return finish(request, reply, { login: { accountId: actor.accountId } });
    }
    return showConsent(request, reply, details, actor.accountId);
  });

  app.post(federationPaths.consentPattern, { config: { ...citizens,
    signInReturn: (request: FastifyRequest) =>
      federationPaths.interaction((request.params as { uid: string }).uid) },
  schema: { hide: true, params: UidParams, body: ConsentBody } }, async (request, reply) => {
    const details = await detailsOf(request, reply, request.params.uid);
    const actor = request.actor;
    if (details === undefined || actor?.kind !== 'account' ||
      details.prompt.name !== 'consent' || details.session?.accountId !== actor.accountId) {
      return gone(request, reply);
    }
    if (request.body.decision === 'deny') {
      return finish(request, reply, { error: 'access_denied',
        error_description: 'the citizen did not allow it' });
    }
    const grantId = await saveConsent(deps, op, details, actor,
      request.body.idNumber === 'yes');
    return finish(request, reply, { consent: { grantId } });
  });
  return Promise.resolve();
}
