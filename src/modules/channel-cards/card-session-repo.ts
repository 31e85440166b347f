/** Card session SQL (migrations/202612060101_create-card-session.sql). */
import type { Kysely } from 'kysely';
import type { Database } from '#platform/db/index.ts';
import { money, type Money } from '#platform/money/index.ts';
import type { CardSessionStatus, CardsTables } from './cards-tables.ts';

export type CardsDb = Kysely<CardsTables>;

export function cardsDb(db: Database): CardsDb {
  return db.withTables<CardsTables>();
}

export type CardSession = Readonly<{
  id: string;
  provider: string;
  sessionId: string;
  invoiceId: string;
  invoiceReference: string;
  attempt: number;
  amount: Money;
  hostedUrl: string;
  status: CardSessionStatus;
  failureCode: string | null;
  paymentReference: string | null;
  expiresAt: Date;
}>;

const columns = ['id', 'provider', 'session_id', 'invoice_id', 'invoice_reference', 'attempt',
  'amount_minor', 'currency', 'hosted_url', 'status', 'failure_code', 'payment_reference',
  'expires_at'] as const;

type Row = Readonly<{ id: string; provider: string; session_id: string; invoice_id: string;
  invoice_reference: string; attempt: number; amount_minor: bigint; currency: 'KES' | 'USD';
  hosted_url: string; status: CardSessionStatus; failure_code: string | null;
  payment_reference: string | null; expires_at: Date }>;

function toSession(row: Row): CardSession {
  return { id: row.id, provider: row.provider, sessionId: row.session_id,
    invoiceId: row.invoice_id, invoiceReference: row.invoice_reference, attempt: row.attempt,
    amount: money(row.amount_minor, row.currency), hostedUrl: row.hosted_url,
    status: row.status, failureCode: row.failure_code,
    paymentReference: row.payment_reference, expiresAt: row.expires_at };
}

/** The invoice's card sessions, oldest first. */
export async function listInvoiceSessions(db: CardsDb, invoiceId: string):
  Promise<CardSession[]> {
  const rows = await db.selectFrom('card_session').select(columns)
    .where('invoice_id', '=', invoiceId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toSession);
}

/**
 * Sessions still open that were made between `since` and `before`, oldest first: the ones
 * whose notification has not come (the payer may never come back to the return page).
 */
export async function listOpenSessions(
  db: CardsDb,
  window: Readonly<{ since: Date; before: Date; limit: number }>,
): Promise<CardSession[]> {
  const rows = await db.selectFrom('card_session').select(columns)
    .where('status', '=', 'open').where('created_at', '>=', window.since)
    .where('created_at', '<', window.before).orderBy('created_at').limit(window.limit).execute();
  return rows.map(toSession);
}

export async function findSession(db: CardsDb, provider: string, sessionId: string):
  Promise<CardSession | undefined> {
  const row = await db.selectFrom('card_session').select(columns)
    .where('provider', '=', provider).where('session_id', '=', sessionId).executeTakeFirst();
  return row === undefined ? undefined : toSession(row);
}

export type NewCardSession = Readonly<{
  id: string; provider: string; sessionId: string; idempotencyKey: string; invoiceId: string;
  invoiceReference: string; attempt: number; requestedBy: string; amount: Money;
  hostedUrl: string; expiresAt: Date; now: Date;
}>;

/** Records a session; the same session again (the button pressed twice) changes nothing. */
export async function insertSession(db: CardsDb, session: NewCardSession): Promise<void> {
  await db.insertInto('card_session').values({
    id: session.id, provider: session.provider, session_id: session.sessionId,
    idempotency_key: session.idempotencyKey, invoice_id: session.invoiceId,
    invoice_reference: session.invoiceReference, attempt: session.attempt,
    requested_by: session.requestedBy, amount_minor: session.amount.amountMinor,
    currency: session.amount.currency, hosted_url: session.hostedUrl, status: 'open',
    failure_code: null, payment_reference: null, expires_at: session.expiresAt,
    created_at: session.now, updated_at: session.now,
  }).onConflict((conflict) => conflict.doNothing()).execute();
}

/**
 * What the acquirer told us of a session. A final status is never undone: a success stays a
 * success whatever a late or replayed message says.
 */
export async function settleSession(
  db: CardsDb,
  key: Readonly<{ provider: string; sessionId: string }>,
  outcome: Readonly<{ status: Exclude<CardSessionStatus, 'open'>; failureCode?: string;
    paymentReference?: string; now: Date }>,
): Promise<void> {
  await db.updateTable('card_session').set({
    status: outcome.status, failure_code: outcome.failureCode ?? null,
    payment_reference: outcome.paymentReference ?? null, updated_at: outcome.now,
  }).where('provider', '=', key.provider).where('session_id', '=', key.sessionId)
    .where('status', 'in', outcome.status === 'succeeded' ? ['open', 'failed', 'expired']
      : ['open']).execute();
}
