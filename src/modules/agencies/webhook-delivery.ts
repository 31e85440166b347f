/**
 * The webhook jobs. collectWebhookEvents reads each source's facts newer than a stored cursor
 * through read functions of the modules that own them (the ingest path does no webhook work),
 * makes one event per fact and one delivery per subscribed endpoint (UNIQUE (endpoint,
 * event)). sendDueWebhooks leases one endpoint at a time (one delivery in flight per
 * endpoint), POSTs its due deliveries in order of retry until one fails, and reschedules a
 * failure with exponential backoff and jitter for up to three days. Both are safe from
 * several processes (SKIP LOCKED, leases, unique keys).
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import type { ModuleDeps, PeriodicJob } from '#platform/module.ts';
import {
  activeEndpointsOf,
  leaseDueEndpoint,
  lockCursorInTrx,
  moveCursorInTrx,
  nextDueDelivery,
  recordAttempt,
  releaseEndpoint,
  type AttemptOutcome,
} from './webhook-repo.ts';
import type { WebhookEventType } from './webhook-service.ts';
import { webhookHeaders } from './webhook-signing.ts';
import { webhookSources, type WebhookSource } from './webhook-sources.ts';
import { webhookDb, type WebhookDb } from './webhook-tables.ts';

/** Allocations younger than this wait a run: a transaction still open may commit a lower id. */
export const collectSettleMs = 5_000;
const collectBatch = 500;
/** Base delays between attempts; later attempts wait the last one. */
export const retryDelaysMs: readonly number[] = [10_000, 30_000, 120_000, 600_000, 1_800_000,
  3_600_000, 7_200_000, 14_400_000, 21_600_000];
export const retryWindowMs = 3 * 24 * 3_600_000;
export const attemptTimeoutMs = 10_000;

type JobDeps = Pick<ModuleDeps, 'db' | 'clock' | 'logger'>;

/**
 * When to try again after `attempts` failures (jitter: 80-120 % of the base delay), or null
 * when that falls past three days after the delivery was created (abandoned).
 */
export function nextRetryAt(createdAt: Date, attempts: number, at: Date, random: () => number):
Date | null {
  const base = retryDelaysMs[Math.min(attempts, retryDelaysMs.length) - 1] ?? 10_000;
  const delay = Math.round(base * (0.8 + 0.4 * random()));
  const next = at.getTime() + delay;
  return next > createdAt.getTime() + retryWindowMs ? null : new Date(next);
}

async function recordEventInTrx(trx: WebhookDb, input: Readonly<{ sourceKey: string;
  agencyId: string; type: WebhookEventType; data: unknown; endpointIds: readonly string[];
  now: Date }>): Promise<void> {
  const id = uuidv7();
  const body = JSON.stringify({ id, type: input.type, createdAt: input.now.toISOString(),
    data: input.data });
  await trx.insertInto('agency_webhook_event').values({ id, source_key: input.sourceKey,
    agency_id: input.agencyId, type: input.type, created_at: input.now, body })
    .onConflict((oc) => oc.column('source_key').doNothing()).execute();
  const event = await trx.selectFrom('agency_webhook_event').select('id')
    .where('source_key', '=', input.sourceKey).executeTakeFirstOrThrow();
  await trx.insertInto('agency_webhook_delivery').values(input.endpointIds.map((endpointId) => ({
    id: uuidv7(), endpoint_id: endpointId, event_id: event.id, state: 'pending' as const,
    attempts: 0, created_at: input.now, next_attempt_at: input.now, last_attempt_at: null,
    last_status_code: null, last_error: null, delivered_at: null })))
    .onConflict((oc) => oc.columns(['endpoint_id', 'event_id']).doNothing()).execute();
}

/** One batch of each source's new facts into events and deliveries; returns facts read. */
export async function collectWebhookEvents(deps: JobDeps): Promise<number> {
  let read = 0;
  for (const source of webhookSources) read += await collectFrom(deps, source);
  return read;
}

async function collectFrom(deps: JobDeps, source: WebhookSource): Promise<number> {
  const now = deps.clock.now();
  return webhookDb(deps.db).transaction().execute(async (trx) => {
    const cursor = await lockCursorInTrx(trx, source.name, now);
    if (cursor === undefined) return 0;
    const facts = await source.read(trx as unknown as Kysely<unknown>, cursor,
      new Date(now.getTime() - collectSettleMs), collectBatch);
    const last = facts.at(-1);
    if (last === undefined) return 0;
    const agencies = [...new Set(facts.map((f) => f.agencyId).filter((id) => id !== ''))];
    const endpoints = await activeEndpointsOf(trx, agencies);
    for (const fact of facts) {
      for (const event of fact.events) {
        const endpointIds = endpoints.filter((e) => e.agencyId === fact.agencyId &&
          e.events.includes(event.type)).map((e) => e.id);
        if (endpointIds.length === 0) continue;
        await recordEventInTrx(trx, { sourceKey: `${event.type}:${fact.id}`,
          agencyId: fact.agencyId, type: event.type, data: event.data, endpointIds, now });
      }
    }
    await moveCursorInTrx(trx, source.name, { id: last.id, at: last.at }, now);
    return facts.length;
  });
}

export type SendOptions = Readonly<{
  random?: () => number;
  timeoutMs?: number;
  maxEndpoints?: number;
  maxPerEndpoint?: number;
}>;

async function attempt(url: string, secret: string, body: string, at: Date, timeoutMs: number):
Promise<{ statusCode: number | null; error: string | null }> {
  try {
    const response = await fetch(url, { method: 'POST', body, redirect: 'manual',
      headers: webhookHeaders(secret, body, at), signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return { statusCode: response.status, error: null };
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    return { statusCode: null, error: name === 'TimeoutError' ? 'timeout' : 'unreachable' };
  }
}

/** Sends what is due; returns the number of attempts made. */
export async function sendDueWebhooks(deps: JobDeps, options: SendOptions = {}):
Promise<number> {
  const db = webhookDb(deps.db);
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? attemptTimeoutMs;
  const maxPerEndpoint = options.maxPerEndpoint ?? 20;
  let attempts = 0;
  for (let n = 0; n < (options.maxEndpoints ?? 20); n += 1) {
    const endpoint = await leaseDueEndpoint(db, deps.clock.now(),
      timeoutMs * (maxPerEndpoint + 1) + 30_000);
    if (endpoint === undefined) break;
    try {
      for (let i = 0; i < maxPerEndpoint; i += 1) {
        const delivery = await nextDueDelivery(db, endpoint.id, deps.clock.now());
        if (delivery === undefined) break;
        const at = deps.clock.now();
        const result = await attempt(endpoint.url, endpoint.secret, delivery.body, at, timeoutMs);
        attempts += 1;
        const acknowledged = result.statusCode !== null && result.statusCode >= 200 &&
          result.statusCode < 300;
        const outcome: AttemptOutcome = { at, ...result, retryAt: acknowledged ? undefined
          : nextRetryAt(delivery.createdAt, delivery.attempts + 1, at, random) };
        await recordAttempt(db, delivery.id, outcome);
        if (!acknowledged) {
          deps.logger.info({ endpointId: endpoint.id, deliveryId: delivery.id,
            statusCode: result.statusCode, error: result.error }, 'webhook not acknowledged');
          // A failing endpoint is left alone until its next retry falls due.
          break;
        }
      }
    } finally {
      await releaseEndpoint(db, endpoint.id);
    }
  }
  return attempts;
}

export function webhookJobs(deps: ModuleDeps): readonly PeriodicJob[] {
  return [
    { name: 'agency-webhooks-collect', everyMs: 5_000,
      run: async () => { await collectWebhookEvents(deps); } },
    { name: 'agency-webhooks-send', everyMs: 2_000,
      run: async () => { await sendDueWebhooks(deps); } },
  ];
}
