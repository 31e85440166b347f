/**
 * SQL of the agency webhooks: endpoints, the cursor per source, events, deliveries.
 * Agency scope is part of every staff-facing query (a record outside it is not found).
 */
import { sql } from 'kysely';
import { agencyScopeCondition, type AgencyScope } from '#modules/authorisation/index.ts';
import type {
  WebhookDb,
  WebhookDeliveryState,
  WebhookEndpointState,
} from './webhook-tables.ts';

export type WebhookEndpointRow = Readonly<{
  id: string;
  agencyId: string;
  url: string;
  events: readonly string[];
  state: WebhookEndpointState;
  createdAt: Date;
  secretRotatedAt: Date | null;
  disabledAt: Date | null;
}>;

export type WebhookDeliveryRow = Readonly<{
  id: string;
  eventId: string;
  eventType: string;
  state: WebhookDeliveryState;
  attempts: number;
  createdAt: Date;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
}>;

const endpointColumns = ['e.id', 'e.agency_id', 'e.url', 'e.events', 'e.state', 'e.created_at',
  'e.secret_rotated_at', 'e.disabled_at'] as const;

type EndpointRecord = Readonly<{ id: string; agency_id: string; url: string; events: string;
  state: WebhookEndpointState; created_at: Date; secret_rotated_at: Date | null;
  disabled_at: Date | null }>;

function endpointOf(row: EndpointRecord): WebhookEndpointRow {
  return { id: row.id, agencyId: row.agency_id, url: row.url,
    events: row.events.split(',').filter((e) => e !== ''), state: row.state,
    createdAt: row.created_at, secretRotatedAt: row.secret_rotated_at,
    disabledAt: row.disabled_at };
}

export async function listEndpoints(db: WebhookDb, scope: AgencyScope):
Promise<WebhookEndpointRow[]> {
  const rows = await db.selectFrom('agency_webhook_endpoint as e').select(endpointColumns)
    .where(agencyScopeCondition('e.agency_id', scope))
    .orderBy('e.created_at', 'desc').orderBy('e.id').limit(200).execute();
  return rows.map(endpointOf);
}

export async function findEndpoint(db: WebhookDb, scope: AgencyScope, id: string):
Promise<WebhookEndpointRow | undefined> {
  const row = await db.selectFrom('agency_webhook_endpoint as e').select(endpointColumns)
    .where('e.id', '=', id).where(agencyScopeCondition('e.agency_id', scope))
    .executeTakeFirst();
  return row === undefined ? undefined : endpointOf(row);
}

export async function listDeliveries(db: WebhookDb, endpointId: string, limit: number):
Promise<WebhookDeliveryRow[]> {
  const rows = await db.selectFrom('agency_webhook_delivery as d')
    .innerJoin('agency_webhook_event as v', 'v.id', 'd.event_id')
    .select(['d.id', 'd.event_id', 'v.type', 'd.state', 'd.attempts', 'd.created_at',
      'd.next_attempt_at', 'd.last_attempt_at', 'd.last_status_code', 'd.last_error',
      'd.delivered_at'])
    .where('d.endpoint_id', '=', endpointId)
    .orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(limit).execute();
  return rows.map((row) => ({ id: row.id, eventId: row.event_id, eventType: row.type,
    state: row.state, attempts: row.attempts, createdAt: row.created_at,
    nextAttemptAt: row.next_attempt_at, lastAttemptAt: row.last_attempt_at,
    lastStatusCode: row.last_status_code, lastError: row.last_error,
    deliveredAt: row.delivered_at }));
}

/** Active endpoints of these agencies, with the events each subscribes to. */
export async function activeEndpointsOf(db: WebhookDb, agencyIds: readonly string[]):
Promise<{ id: string; agencyId: string; events: readonly string[] }[]> {
  if (agencyIds.length === 0) return [];
  const rows = await db.selectFrom('agency_webhook_endpoint')
    .select(['id', 'agency_id', 'events'])
    .where('agency_id', 'in', agencyIds).where('state', '=', 'active').execute();
  return rows.map((row) => ({ id: row.id, agencyId: row.agency_id,
    events: row.events.split(',') }));
}

/** The cursor of a source, locked (FOR UPDATE SKIP LOCKED): undefined if another holds it. */
export async function lockCursorInTrx(db: WebhookDb, source: string, now: Date):
Promise<{ id: string; at: Date | null } | undefined> {
  await db.insertInto('agency_webhook_cursor')
    .values({ source, last_id: '00000000-0000-0000-0000-000000000000', last_at: null,
      updated_at: now })
    .onConflict((oc) => oc.column('source').doNothing()).execute();
  const row = await db.selectFrom('agency_webhook_cursor').select(['last_id', 'last_at'])
    .where('source', '=', source).forUpdate().skipLocked().executeTakeFirst();
  return row === undefined ? undefined : { id: row.last_id, at: row.last_at };
}

export async function moveCursorInTrx(db: WebhookDb, source: string,
  cursor: Readonly<{ id: string; at: Date | null }>, now: Date): Promise<void> {
  await db.updateTable('agency_webhook_cursor')
    .set({ last_id: cursor.id, last_at: cursor.at, updated_at: now })
    .where('source', '=', source).execute();
}

/**
 * Holds one active endpoint with a due delivery for `leaseMs` (one sender per endpoint);
 * several processes each take a different one (SKIP LOCKED).
 */
export async function leaseDueEndpoint(db: WebhookDb, now: Date, leaseMs: number):
Promise<{ id: string; url: string; secret: string } | undefined> {
  const until = new Date(now.getTime() + leaseMs);
  const row = await db.updateTable('agency_webhook_endpoint')
    .set({ lease_until: until })
    .where('id', '=', (qb) => qb.selectFrom('agency_webhook_endpoint as e').select('e.id')
      .where('e.state', '=', 'active')
      .where((eb) => eb.or([eb('e.lease_until', 'is', null), eb('e.lease_until', '<', now)]))
      .where(({ exists, selectFrom }) => exists(selectFrom('agency_webhook_delivery as d')
        .select(sql`1`.as('one')).whereRef('d.endpoint_id', '=', 'e.id')
        .where('d.state', '=', 'pending').where('d.next_attempt_at', '<=', now)))
      .orderBy('e.id').limit(1).forUpdate().skipLocked())
    .returning(['id', 'url', 'secret']).executeTakeFirst();
  return row;
}

export async function releaseEndpoint(db: WebhookDb, endpointId: string): Promise<void> {
  await db.updateTable('agency_webhook_endpoint').set({ lease_until: null })
    .where('id', '=', endpointId).execute();
}

/** The next due pending delivery of an endpoint, in order of retry (next attempt, then id). */
export async function nextDueDelivery(db: WebhookDb, endpointId: string, now: Date):
Promise<{ id: string; createdAt: Date; attempts: number; body: string } | undefined> {
  const row = await db.selectFrom('agency_webhook_delivery as d')
    .innerJoin('agency_webhook_event as v', 'v.id', 'd.event_id')
    .select(['d.id', 'd.created_at', 'd.attempts', 'v.body'])
    .where('d.endpoint_id', '=', endpointId).where('d.state', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .orderBy('d.next_attempt_at').orderBy('d.id').limit(1).executeTakeFirst();
  return row === undefined ? undefined
    : { id: row.id, createdAt: row.created_at, attempts: row.attempts, body: row.body };
}

export type AttemptOutcome = Readonly<{
  at: Date;
  statusCode: number | null;
  error: string | null;
  /** undefined: delivered; a date: try again then; null: give up (abandoned). */
  retryAt: Date | null | undefined;
}>;

export async function recordAttempt(db: WebhookDb, deliveryId: string, outcome: AttemptOutcome):
Promise<void> {
  const state: WebhookDeliveryState = outcome.retryAt === undefined ? 'delivered'
    : outcome.retryAt === null ? 'abandoned' : 'pending';
  await db.updateTable('agency_webhook_delivery')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1), state, last_attempt_at: outcome.at,
      last_status_code: outcome.statusCode, last_error: outcome.error,
      next_attempt_at: state === 'pending' ? outcome.retryAt ?? null : null,
      delivered_at: state === 'delivered' ? outcome.at : null,
    }))
    .where('id', '=', deliveryId).where('state', '=', 'pending').execute();
}
