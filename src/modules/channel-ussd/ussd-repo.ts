/** The USSD tables' SQL: sessions, language choices, payments started, lookup counts. */
import { sql } from 'kysely';
import type { Database } from '#platform/db/index.ts';
import type { Language } from '#web/index.ts';
import type { UssdTables } from './ussd-tables.ts';

export type UssdSessionRow = Readonly<{
  sessionId: string;
  phoneKey: string;
  state: unknown;
  answersApplied: number;
  lastSeenAt: Date;
  endedAt: Date | null;
}>;

function ussdDb(db: Database) {
  return db.withTables<UssdTables>();
}

export async function findSession(db: Database, sessionId: string):
  Promise<UssdSessionRow | undefined> {
  const row = await ussdDb(db).selectFrom('ussd_session')
    .select(['session_id', 'phone_key', 'state', 'answers_applied', 'last_seen_at', 'ended_at'])
    .where('session_id', '=', sessionId).executeTakeFirst();
  return row === undefined ? undefined : {
    sessionId: row.session_id, phoneKey: row.phone_key, state: row.state,
    answersApplied: row.answers_applied, lastSeenAt: row.last_seen_at, endedAt: row.ended_at,
  };
}

export async function saveSession(db: Database, session: UssdSessionRow & Readonly<{
  startedAt: Date }>): Promise<void> {
  const state = JSON.stringify(session.state);
  await ussdDb(db).insertInto('ussd_session').values({
    session_id: session.sessionId, phone_key: session.phoneKey, state,
    answers_applied: session.answersApplied, started_at: session.startedAt,
    last_seen_at: session.lastSeenAt, ended_at: session.endedAt,
  }).onConflict((conflict) => conflict.column('session_id').doUpdateSet({
    phone_key: session.phoneKey, state, answers_applied: session.answersApplied,
    last_seen_at: session.lastSeenAt, ended_at: session.endedAt,
  })).execute();
}

export async function findLanguage(db: Database, phoneKey: string):
  Promise<Language | undefined> {
  const row = await ussdDb(db).selectFrom('ussd_language_preference').select('language')
    .where('phone_key', '=', phoneKey).executeTakeFirst();
  return row?.language;
}

export async function saveLanguage(db: Database, phoneKey: string, language: Language,
  now: Date): Promise<void> {
  await ussdDb(db).insertInto('ussd_language_preference')
    .values({ phone_key: phoneKey, language, updated_at: now })
    .onConflict((conflict) => conflict.column('phone_key')
      .doUpdateSet({ language, updated_at: now }))
    .execute();
}

export async function recordPayment(db: Database, row: Readonly<{ id: string; phoneKey: string;
  invoiceReference: string; stkPushId: string; now: Date }>): Promise<void> {
  await ussdDb(db).insertInto('ussd_payment').values({
    id: row.id, phone_key: row.phoneKey, invoice_reference: row.invoiceReference,
    stk_push_id: row.stkPushId, created_at: row.now,
  }).onConflict((conflict) => conflict.column('stk_push_id').doNothing()).execute();
}

/** The phone's latest prompts, newest first, one per push. */
export async function listPayments(db: Database, phoneKey: string, limit: number):
  Promise<Array<Readonly<{ invoiceReference: string; stkPushId: string }>>> {
  const rows = await ussdDb(db).selectFrom('ussd_payment')
    .select(['invoice_reference', 'stk_push_id'])
    .where('phone_key', '=', phoneKey)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => ({ invoiceReference: row.invoice_reference,
    stkPushId: row.stk_push_id }));
}

/** Counts one lookup in the phone's window; returns the window's count with it. */
export async function countLookup(db: Database, phoneKey: string, windowStart: Date):
  Promise<number> {
  const row = await ussdDb(db).insertInto('ussd_lookup_window')
    .values({ phone_key: phoneKey, window_start: windowStart, lookups: 1 })
    .onConflict((conflict) => conflict.columns(['phone_key', 'window_start'])
      .doUpdateSet({ lookups: sql<number>`ussd_lookup_window.lookups + 1` }))
    .returning('lookups').executeTakeFirstOrThrow();
  return row.lookups;
}

/** Forgets sessions last seen before one time, and lookup windows before another. */
export async function sweep(db: Database, cut: Readonly<{ sessionsBefore: Date;
  windowsBefore: Date }>): Promise<void> {
  await ussdDb(db).deleteFrom('ussd_session').where('last_seen_at', '<', cut.sessionsBefore)
    .execute();
  await ussdDb(db).deleteFrom('ussd_lookup_window')
    .where('window_start', '<', cut.windowsBefore).execute();
}
