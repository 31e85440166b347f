/**
 * Managing an agency's webhook endpoints (agency administrators): create one (its signing
 * secret generated and returned once), rotate the secret (the new one returned once), disable
 * it, and replay a delivery that ended (a new attempt of the same event id). Each change is
 * audited in its own transaction.
 */
import type { Kysely } from 'kysely';
import { recordAuditInTrx, type AuditActor } from '#modules/audit/index.ts';
import type { AgencyScope } from '#modules/authorisation/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { outboundUrlAccepted } from '#platform/http/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { findEndpoint, type WebhookEndpointRow } from './webhook-repo.ts';
import { generateWebhookSecret } from './webhook-signing.ts';
import { webhookDb } from './webhook-tables.ts';

/** The events an endpoint may subscribe to. */
export const webhookEventTypes = ['payment.received', 'invoice.paid', 'refund.paid',
  'settlement.settled'] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const webhookUrlLengthMax = 2000;

export type WebhookFailure = Failure<'AGENCY_WEBHOOK_URL_INVALID' |
  'AGENCY_WEBHOOK_EVENTS_REQUIRED' | 'AGENCY_WEBHOOK_NOT_FOUND' | 'AGENCY_WEBHOOK_DISABLED' |
  'AGENCY_WEBHOOK_DELIVERY_NOT_FOUND' | 'AGENCY_WEBHOOK_DELIVERY_PENDING' |
  'AGENCY_WEBHOOK_AGENCY_REQUIRED'>;

type WebhookDeps = Pick<ModuleDeps, 'db' | 'config'>;

/** https always; http too outside production (a local receiver in tests and development). */
export function webhookUrlAccepted(url: string, production: boolean): boolean {
  return outboundUrlAccepted(url, { production, lengthMax: webhookUrlLengthMax,
    httpOutsideProduction: 'any' });
}

export type CreateEndpointInput = Readonly<{
  scope: AgencyScope;
  /** For platform-wide roles (scope 'all'): the agency the endpoint belongs to. */
  agencyId?: string | undefined;
  url: string;
  events: readonly string[];
  actor: AuditActor;
  now: Date;
}>;

export async function createWebhookEndpoint(deps: WebhookDeps, input: CreateEndpointInput):
Promise<Result<{ endpoint: WebhookEndpointRow; secret: string }, WebhookFailure>> {
  const url = input.url.trim();
  if (!webhookUrlAccepted(url, deps.config.environment === 'production')) {
    return err(failure('AGENCY_WEBHOOK_URL_INVALID'));
  }
  const events = webhookEventTypes.filter((type) => input.events.includes(type));
  if (events.length === 0) return err(failure('AGENCY_WEBHOOK_EVENTS_REQUIRED'));
  const agencyId = input.scope === 'all' ? input.agencyId ?? '' : input.scope;
  if (!isUuid(agencyId)) return err(failure('AGENCY_WEBHOOK_AGENCY_REQUIRED'));
  const id = uuidv7();
  const secret = generateWebhookSecret();
  const db = webhookDb(deps.db);
  const created = await db.transaction().execute(async (trx) => {
    const known = await (trx as unknown as Kysely<{ agency: { id: string } }>)
      .selectFrom('agency').select('id').where('id', '=', agencyId).executeTakeFirst();
    if (known === undefined) return false;
    await trx.insertInto('agency_webhook_endpoint').values({ id, agency_id: agencyId, url,
      secret, events: events.join(','), state: 'active', created_at: input.now,
      created_by: input.actor.id ?? input.actor.kind, secret_rotated_at: null,
      disabled_at: null, lease_until: null }).execute();
    await recordAuditInTrx(trx, { action: 'WEBHOOK_ENDPOINT_CREATED', actor: input.actor,
      subject: { type: 'agency_webhook_endpoint', id }, agencyId,
      detail: { events: events.join(',') } }, input.now);
    return true;
  });
  if (!created) return err(failure('AGENCY_WEBHOOK_AGENCY_REQUIRED'));
  const endpoint = await findEndpoint(db, 'all', id);
  if (endpoint === undefined) throw new Error(`webhook endpoint ${id} vanished`);
  return ok({ endpoint, secret });
}

type EndpointAct = Readonly<{ scope: AgencyScope; endpointId: string; actor: AuditActor;
  now: Date }>;

/** A new signing secret, returned once; the old one stops signing at once. */
export async function rotateWebhookSecret(deps: WebhookDeps, input: EndpointAct):
Promise<Result<{ secret: string }, WebhookFailure>> {
  if (!isUuid(input.endpointId)) return err(failure('AGENCY_WEBHOOK_NOT_FOUND'));
  const secret = generateWebhookSecret();
  return webhookDb(deps.db).transaction().execute(async (trx) => {
    const endpoint = await findEndpoint(trx, input.scope, input.endpointId);
    if (endpoint === undefined) return err(failure('AGENCY_WEBHOOK_NOT_FOUND'));
    if (endpoint.state === 'disabled') return err(failure('AGENCY_WEBHOOK_DISABLED'));
    await trx.updateTable('agency_webhook_endpoint')
      .set({ secret, secret_rotated_at: input.now }).where('id', '=', endpoint.id).execute();
    await recordAuditInTrx(trx, { action: 'WEBHOOK_SECRET_ROTATED', actor: input.actor,
      subject: { type: 'agency_webhook_endpoint', id: endpoint.id },
      agencyId: endpoint.agencyId }, input.now);
    return ok({ secret });
  });
}

/** Disabled: nothing more is sent to it (pending deliveries wait, never sent). */
export async function disableWebhookEndpoint(deps: WebhookDeps, input: EndpointAct):
Promise<Result<null, WebhookFailure>> {
  if (!isUuid(input.endpointId)) return err(failure('AGENCY_WEBHOOK_NOT_FOUND'));
  return webhookDb(deps.db).transaction().execute(async (trx) => {
    const endpoint = await findEndpoint(trx, input.scope, input.endpointId);
    if (endpoint === undefined) return err(failure('AGENCY_WEBHOOK_NOT_FOUND'));
    if (endpoint.state === 'disabled') return err(failure('AGENCY_WEBHOOK_DISABLED'));
    await trx.updateTable('agency_webhook_endpoint')
      .set({ state: 'disabled', disabled_at: input.now }).where('id', '=', endpoint.id)
      .where('state', '=', 'active').execute();
    await recordAuditInTrx(trx, { action: 'WEBHOOK_ENDPOINT_DISABLED', actor: input.actor,
      subject: { type: 'agency_webhook_endpoint', id: endpoint.id },
      agencyId: endpoint.agencyId }, input.now);
    return ok(null);
  });
}

/** A delivery that ended (delivered or abandoned) is tried again now, same event id. */
export async function replayWebhookDelivery(deps: WebhookDeps,
  input: EndpointAct & Readonly<{ deliveryId: string }>):
Promise<Result<null, WebhookFailure>> {
  if (!isUuid(input.endpointId)) return err(failure('AGENCY_WEBHOOK_NOT_FOUND'));
  if (!isUuid(input.deliveryId)) return err(failure('AGENCY_WEBHOOK_DELIVERY_NOT_FOUND'));
  return webhookDb(deps.db).transaction().execute(async (trx) => {
    const endpoint = await findEndpoint(trx, input.scope, input.endpointId);
    if (endpoint === undefined) return err(failure('AGENCY_WEBHOOK_NOT_FOUND'));
    if (endpoint.state === 'disabled') return err(failure('AGENCY_WEBHOOK_DISABLED'));
    const delivery = await trx.selectFrom('agency_webhook_delivery')
      .select(['id', 'event_id', 'state']).where('id', '=', input.deliveryId)
      .where('endpoint_id', '=', endpoint.id).forUpdate().executeTakeFirst();
    if (delivery === undefined) return err(failure('AGENCY_WEBHOOK_DELIVERY_NOT_FOUND'));
    if (delivery.state === 'pending') return err(failure('AGENCY_WEBHOOK_DELIVERY_PENDING'));
    await trx.updateTable('agency_webhook_delivery')
      .set({ state: 'pending', next_attempt_at: input.now }).where('id', '=', delivery.id)
      .execute();
    await recordAuditInTrx(trx, { action: 'WEBHOOK_DELIVERY_REPLAYED', actor: input.actor,
      subject: { type: 'agency_webhook_delivery', id: delivery.id },
      agencyId: endpoint.agencyId, detail: { eventId: delivery.event_id } }, input.now);
    return ok(null);
  });
}
