/**
 * The agency webhooks pages for whoever holds agency.integration.manage (the agency
 * administrator for their agency; platform administrators for any): list and add endpoints
 * (the secret shown once), rotate a secret, disable an endpoint, read an endpoint's delivery
 * log and replay a delivery. Every id reaching SQL is checked to be a uuid first.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  agencyScopeOf,
  auditActorOf,
  csrfField,
  type Actor,
} from '#modules/authorisation/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import { webhookErrors } from './webhook-errors.ts';
import { findEndpoint, listDeliveries, listEndpoints } from './webhook-repo.ts';
import {
  createWebhookEndpoint,
  disableWebhookEndpoint,
  replayWebhookDelivery,
  rotateWebhookSecret,
  type WebhookFailure,
} from './webhook-service.ts';
import { webhookDb, type WebhookDb } from './webhook-tables.ts';
import {
  renderDeliveriesPage,
  renderWebhooksPage,
  webhookPaths,
  type WebhooksPageInput,
} from './webhook-views.ts';

const logSize = 100;
const EventsField = Type.Optional(Type.Union([Type.String({ maxLength: 40 }),
  Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })]));
const CreateBody = Type.Object({
  url: Type.Optional(Type.String({ maxLength: 4000 })),
  events: EventsField,
  agencyId: Type.Optional(Type.String({ maxLength: 100 })),
});
const ListQuery = Type.Object({ notice: Type.Optional(Type.Literal('disabled')) });
const LogQuery = Type.Object({ notice: Type.Optional(Type.Literal('replayed')) });
const EndpointParams = Type.Object({ endpointId: Type.String({ maxLength: 36 }) });
const ReplayParams = Type.Object({ endpointId: Type.String({ maxLength: 36 }),
  deliveryId: Type.String({ maxLength: 36 }) });

const errorKey = (failure: WebhookFailure): string =>
  `agencies.webhooks.error.${failure.code}`;

function scopeOf(actor: Actor | undefined) {
  if (actor === undefined) throw new Error('a signed-in actor is required');
  return agencyScopeOf(actor);
}

function pageShowers(db: WebhookDb) {
  const showList = async (request: FastifyRequest, reply: FastifyReply,
    view: Pick<WebhooksPageInput, 'secret' | 'notice' | 'problem'>, status = 200) => {
    const agencyScope = scopeOf(request.actor);
    const endpoints = await listEndpoints(db, agencyScope);
    return sendHtml(reply.header('cache-control', 'no-store'),
      renderWebhooksPage(request.pageContext(), { ...view, endpoints,
        platformWide: agencyScope === 'all', csrf: csrfField(request) }), status);
  };

  const showLog = async (request: FastifyRequest, reply: FastifyReply, endpointId: string,
    view: Readonly<{ notice?: string; problem?: string }>, status = 200) => {
    const endpoint = isUuid(endpointId)
      ? await findEndpoint(db, scopeOf(request.actor), endpointId) : undefined;
    if (endpoint === undefined) return reply.callNotFound();
    const deliveries = await listDeliveries(db, endpoint.id, logSize);
    return sendHtml(reply.header('cache-control', 'no-store'),
      renderDeliveriesPage(request.pageContext(), { ...view, endpoint, deliveries,
        csrf: csrfField(request) }), status);
  };

  return { showList, showLog };
}

export async function webhookRoutes(scope: FastifyInstance, deps: ModuleDeps): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const db = webhookDb(deps.db);
  const managers = { access: { permission: 'agency.integration.manage' as const } };

  const { showList, showLog } = pageShowers(db);

  app.get(webhookPaths.page, { config: managers, schema: { hide: true, querystring: ListQuery } },
    async (request, reply) => showList(request, reply, {
      notice: request.query.notice === 'disabled' ? 'agencies.webhooks.disabled' : undefined }));

  app.post(webhookPaths.page, { config: managers, schema: { hide: true, body: CreateBody } },
    async (request, reply) => {
      const { url = '', agencyId } = request.body;
      const raw = request.body.events ?? [];
      const events = typeof raw === 'string' ? [raw] : raw;
      const created = await createWebhookEndpoint(deps, { scope: scopeOf(request.actor),
        agencyId, url, events, actor: auditActorOf(request.actor), now: deps.clock.now() });
      if (created.ok) {
        return showList(request, reply, { secret: { endpointId: created.value.endpoint.id,
          value: created.value.secret } }, 201);
      }
      return showList(request, reply, { problem: { messageKey: errorKey(created.error), url,
        events, agencyId: agencyId ?? '' } }, webhookErrors[created.error.code].status);
    });

  app.post(webhookPaths.rotatePattern, { config: managers,
    schema: { hide: true, params: EndpointParams } }, async (request, reply) => {
    const { endpointId } = request.params;
    const rotated = await rotateWebhookSecret(deps, { scope: scopeOf(request.actor),
      endpointId, actor: auditActorOf(request.actor), now: deps.clock.now() });
    if (rotated.ok) {
      return showList(request, reply, { secret: { endpointId, value: rotated.value.secret } });
    }
    if (rotated.error.code === 'AGENCY_WEBHOOK_NOT_FOUND') return reply.callNotFound();
    return showList(request, reply, { notice: errorKey(rotated.error) },
      webhookErrors[rotated.error.code].status);
  });

  app.post(webhookPaths.disablePattern, { config: managers,
    schema: { hide: true, params: EndpointParams } }, async (request, reply) => {
    const disabled = await disableWebhookEndpoint(deps, { scope: scopeOf(request.actor),
      endpointId: request.params.endpointId, actor: auditActorOf(request.actor),
      now: deps.clock.now() });
    if (disabled.ok) return reply.redirect(`${webhookPaths.page}?notice=disabled`, 303);
    if (disabled.error.code === 'AGENCY_WEBHOOK_NOT_FOUND') return reply.callNotFound();
    return showList(request, reply, { notice: errorKey(disabled.error) },
      webhookErrors[disabled.error.code].status);
  });

  app.get(webhookPaths.endpointPattern, { config: managers,
    schema: { hide: true, params: EndpointParams, querystring: LogQuery } },
  async (request, reply) => showLog(request, reply, request.params.endpointId, {
    ...(request.query.notice === 'replayed' ? { notice: 'agencies.webhooks.replayed' } : {}) }));

  app.post(webhookPaths.replayPattern, { config: managers,
    schema: { hide: true, params: ReplayParams } }, async (request, reply) => {
    const { endpointId, deliveryId } = request.params;
    const replayed = await replayWebhookDelivery(deps, { scope: scopeOf(request.actor),
      endpointId, deliveryId, actor: auditActorOf(request.actor), now: deps.clock.now() });
    if (replayed.ok) {
      return reply.redirect(`${webhookPaths.endpoint(endpointId)}?notice=replayed`, 303);
    }
    if (replayed.error.code === 'AGENCY_WEBHOOK_NOT_FOUND') return reply.callNotFound();
    return showLog(request, reply, endpointId, { problem: errorKey(replayed.error) },
      webhookErrors[replayed.error.code].status);
  });
}
