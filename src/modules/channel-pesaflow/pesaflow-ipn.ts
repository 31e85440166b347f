/**
 * Payment notifications (IPN) to the client's notificationURL. collectPesaflowIpns reads
 * payments' allocations past a stored cursor (listAllocationsSince: the ingest path does no
 * work for us) and makes one notification per allocation to a checkout's invoice (UNIQUE
 * allocation_id: exactly one per payment), signed by the client's recipe. sendDuePesaflowIpns
 * claims one due notification at a time (SKIP LOCKED, then a lease), POSTs it as JSON and
 * retries what was not acknowledged with a 2xx, with backoff and jitter, for three days.
 */
import type { Kysely } from 'kysely';
import { invoiceViewById, listAllocationsSince } from '#modules/payments/index.ts';
import type { AgencyAllocationEvent } from '#modules/payments/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import type { ModuleDeps, PeriodicJob } from '#platform/module.ts';
import { toMajorString } from '#platform/money/index.ts';
import { openClientKeys, type PesaflowDeps } from './pesaflow-clients.ts';
import { ipnSignature } from './pesaflow-hash.ts';
import {
  pesaflowDb,
  type PesaflowCheckoutTable,
  type PesaflowClientTable,
  type PesaflowDb,
} from './pesaflow-tables.ts';

/** Allocations younger than this wait a run: a transaction still open may commit a lower id. */
export const ipnSettleMs = 5_000;
const collectBatch = 500;
export const ipnRetryDelaysMs: readonly number[] = [10_000, 30_000, 120_000, 600_000,
  1_800_000, 3_600_000, 7_200_000, 14_400_000, 21_600_000];
export const ipnRetryWindowMs = 3 * 24 * 3_600_000;
const leaseMs = 60_000;
const cursorName = 'allocations';

/** When to try again after `attempts` failures (80-120 % of the base), or null: abandoned. */
export function nextIpnAttemptAt(createdAt: Date, attempts: number, at: Date,
  random: () => number): Date | null {
  const base = ipnRetryDelaysMs[Math.min(attempts, ipnRetryDelaysMs.length) - 1] ?? 10_000;
  const delay = Math.round(base * (0.8 + 0.4 * random()));
  const next = at.getTime() + delay;
  return next > createdAt.getTime() + ipnRetryWindowMs ? null : new Date(next);
}

type Target = Readonly<{ checkout: PesaflowCheckoutTable; client: PesaflowClientTable }>;

/** The payment channel in the legacy words: MPESA, CARD, or CREDIT (the payer's credit). */
function legacyChannel(channel: string | null | undefined): string {
  if (channel === null || channel === undefined) return 'CREDIT';
  return channel.startsWith('mpesa') ? 'MPESA' : channel.toUpperCase();
}

export function ipnBody(target: Target, allocation: AgencyAllocationEvent,
  channel: string | null | undefined): string {
  const fields = { client_invoice_ref: target.checkout.bill_ref_number,
    invoice_number: allocation.invoiceReference,
    amount_paid: toMajorString(allocation.paidSoFar),
    payment_date: allocation.allocatedAt.toISOString() };
  const signature = ipnSignature({ apiKey: target.client.api_key,
    secret: target.client.secret, encoding: target.client.hash_encoding,
    recipe: target.client.ipn_recipe }, fields);
  return JSON.stringify({ payment_channel: legacyChannel(channel), ...fields,
    payment_reference: allocation.receiptNumber ?? allocation.allocationId,
    currency: allocation.amount.currency,
    invoice_amount: toMajorString(allocation.invoiceTotal),
    last_payment_amount: toMajorString(allocation.amount),
    status: allocation.paidSoFar.amountMinor >= allocation.invoiceTotal.amountMinor
      ? 'settled' : 'partial',
    secure_hash: signature, token_hash: signature });
}

async function targetsOf(deps: PesaflowDeps, trx: PesaflowDb, invoiceIds: readonly string[]):
  Promise<Map<string, Target>> {
  if (invoiceIds.length === 0) return new Map();
  const checkouts = await trx.selectFrom('pesaflow_checkout').selectAll()
    .where('invoice_id', 'in', [...new Set(invoiceIds)]).execute();
  if (checkouts.length === 0) return new Map();
  const clients = await trx.selectFrom('pesaflow_client').selectAll()
    .where('id', 'in', [...new Set(checkouts.map((c) => c.client_id))]).execute();
  const opened = await Promise.all(clients.map((client) => openClientKeys(deps, client)));
  const byId = new Map(opened.map((client) => [client.id, client]));
  return new Map(checkouts.map((checkout) => [checkout.invoice_id,
    { checkout, client: byId.get(checkout.client_id) as PesaflowClientTable }]));
}

/** One batch of new allocations into notifications; returns the allocations read. */
export async function collectPesaflowIpns(deps: PesaflowDeps): Promise<number> {
  const now = deps.clock.now();
  return pesaflowDb(deps.db).transaction().execute(async (trx) => {
    const cursor = await trx.selectFrom('pesaflow_ipn_cursor').selectAll()
      .where('name', '=', cursorName).forUpdate().skipLocked().executeTakeFirst();
    if (cursor === undefined) return 0;
    const rows = await listAllocationsSince(trx as unknown as Kysely<unknown>, {
      afterId: cursor.after_id,
      before: new Date(now.getTime() - ipnSettleMs), limit: collectBatch });
    const last = rows.at(-1);
    if (last === undefined) return 0;
    const targets = await targetsOf(deps, trx, rows.map((row) => row.invoiceId));
    for (const row of rows) {
      const target = targets.get(row.invoiceId);
      if (target === undefined) continue;
      const invoice = await invoiceViewById({ ...deps, db: trx as unknown as PesaflowDeps['db'] },
        row.invoiceId, now);
      const channel = invoice?.allocations.find((a) => a.id === row.allocationId)?.channel;
      await trx.insertInto('pesaflow_ipn').values({ id: uuidv7(now.getTime()),
        checkout_id: target.checkout.id, allocation_id: row.allocationId,
        body: ipnBody(target, row, channel), state: 'pending', attempts: 0, created_at: now,
        next_attempt_at: now, last_attempt_at: null, last_status_code: null, last_error: null,
        delivered_at: null }).onConflict((conflict) => conflict.column('allocation_id')
        .doNothing()).execute();
    }
    await trx.updateTable('pesaflow_ipn_cursor').set({ after_id: last.allocationId,
      moved_at: now }).where('name', '=', cursorName).execute();
    return rows.length;
  });
}

type Claimed = Readonly<{ id: string; body: string; url: string; attempts: number;
  createdAt: Date }>;

async function claimDue(db: PesaflowDb, now: Date): Promise<Claimed | undefined> {
  return db.transaction().execute(async (trx) => {
    const due = await trx.selectFrom('pesaflow_ipn as n')
      .innerJoin('pesaflow_checkout as c', 'c.id', 'n.checkout_id')
      .select(['n.id', 'n.body', 'n.attempts', 'n.created_at', 'c.notification_url'])
      .where('n.state', '=', 'pending').where('n.next_attempt_at', '<=', now)
      .orderBy('n.next_attempt_at').limit(1).forUpdate('n').skipLocked().executeTakeFirst();
    if (due === undefined) return undefined;
    await trx.updateTable('pesaflow_ipn').set({ next_attempt_at: new Date(now.getTime() +
      leaseMs) }).where('id', '=', due.id).execute();
    return { id: due.id, body: due.body, url: due.notification_url, attempts: due.attempts,
      createdAt: due.created_at };
  });
}

async function post(url: string, body: string, timeoutMs: number):
  Promise<{ statusCode: number | null; error: string | null }> {
  try {
    const response = await fetch(url, { method: 'POST', body, redirect: 'manual',
      headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return { statusCode: response.status, error: null };
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    return { statusCode: null, error: name === 'TimeoutError' ? 'timeout' : 'unreachable' };
  }
}

export type IpnSendOptions = Readonly<{ random?: () => number; timeoutMs?: number;
  max?: number }>;

/** Sends what is due; returns the number of attempts made. */
export async function sendDuePesaflowIpns(deps: PesaflowDeps, options: IpnSendOptions = {}):
  Promise<number> {
  const db = pesaflowDb(deps.db);
  let attempts = 0;
  for (let n = 0; n < (options.max ?? 50); n += 1) {
    const claimed = await claimDue(db, deps.clock.now());
    if (claimed === undefined) break;
    const result = await post(claimed.url, claimed.body, options.timeoutMs ?? 10_000);
    attempts += 1;
    const at = deps.clock.now();
    const acknowledged = result.statusCode !== null && result.statusCode >= 200 &&
      result.statusCode < 300;
    const retryAt = acknowledged ? null : nextIpnAttemptAt(claimed.createdAt,
      claimed.attempts + 1, at, options.random ?? Math.random);
    await db.updateTable('pesaflow_ipn').set({
      attempts: claimed.attempts + 1, last_attempt_at: at, last_status_code: result.statusCode,
      last_error: result.error,
      state: acknowledged ? 'delivered' : retryAt === null ? 'abandoned' : 'pending',
      delivered_at: acknowledged ? at : null, next_attempt_at: retryAt ?? at,
    }).where('id', '=', claimed.id).execute();
    if (!acknowledged) {
      deps.logger.info({ ipnId: claimed.id, statusCode: result.statusCode,
        error: result.error }, 'pesaflow IPN not acknowledged');
    }
  }
  return attempts;
}

export function pesaflowJobs(deps: ModuleDeps): readonly PeriodicJob[] {
  return [
    { name: 'pesaflow-ipn-collect', everyMs: 5_000,
      run: async () => { await collectPesaflowIpns(deps); } },
    { name: 'pesaflow-ipn-send', everyMs: 2_000,
      run: async () => { await sendDuePesaflowIpns(deps); } },
  ];
}
