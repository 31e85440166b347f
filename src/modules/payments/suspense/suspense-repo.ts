/**
 * Suspense resolution SQL: proposed matches and their decisions, and the payment row locked
 * for a match. Functions ending in InTrx run in the caller's transaction.
 */
import { sql, type Kysely } from 'kysely';
import { money, type Money } from '#platform/money/index.ts';
import type { PaymentDisposition, PaymentsTables } from '../payments-tables.ts';
import type { SuspenseMatchDecision, SuspenseTables } from './suspense-tables.ts';

export type SuspenseDb = Kysely<PaymentsTables & SuspenseTables>;

export function suspenseDb<DB>(db: Kysely<DB>): SuspenseDb {
  return db as unknown as SuspenseDb;
}

/** The same handle or transaction, as payments' own repositories take it. */
export function asPaymentsDb(db: SuspenseDb): Kysely<PaymentsTables> {
  return db as unknown as Kysely<PaymentsTables>;
}

export type SuspenseMatchRow = Readonly<{
  id: string;
  paymentId: string;
  invoiceId: string;
  invoiceReference: string;
  proposedBy: string;
  proposedAt: Date;
  proposalNote: string;
  decision: SuspenseMatchDecision | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string;
}>;

function matches(db: SuspenseDb) {
  return db.selectFrom('suspense_match')
    .innerJoin('invoice', 'invoice.id', 'suspense_match.invoice_id')
    .select(['suspense_match.id', 'suspense_match.payment_id', 'suspense_match.invoice_id',
      'invoice.reference', 'suspense_match.proposed_by', 'suspense_match.proposed_at',
      'suspense_match.proposal_note', 'suspense_match.decision', 'suspense_match.decided_by',
      'suspense_match.decided_at', 'suspense_match.decision_note']);
}

type MatchSelection = Readonly<{
  id: string; payment_id: string; invoice_id: string; reference: string; proposed_by: string;
  proposed_at: Date; proposal_note: string; decision: SuspenseMatchDecision | null;
  decided_by: string | null; decided_at: Date | null; decision_note: string;
}>;

function toMatch(row: MatchSelection): SuspenseMatchRow {
  return {
    id: row.id, paymentId: row.payment_id, invoiceId: row.invoice_id,
    invoiceReference: row.reference, proposedBy: row.proposed_by, proposedAt: row.proposed_at,
    proposalNote: row.proposal_note, decision: row.decision, decidedBy: row.decided_by,
    decidedAt: row.decided_at, decisionNote: row.decision_note,
  };
}

export async function findMatch(db: SuspenseDb, matchId: string):
  Promise<SuspenseMatchRow | undefined> {
  const row = await matches(db).where('suspense_match.id', '=', matchId).executeTakeFirst();
  return row === undefined ? undefined : toMatch(row);
}

/** Locks the match row, then reads it in a new statement (it may have been decided meanwhile). */
export async function lockMatchInTrx(trx: SuspenseDb, matchId: string):
  Promise<SuspenseMatchRow | undefined> {
  const locked = await trx.selectFrom('suspense_match').select('id')
    .where('id', '=', matchId).forUpdate().executeTakeFirst();
  if (locked === undefined) return undefined;
  return findMatch(trx, matchId);
}

/** The open (undecided) proposals of these payments, by payment. */
export async function openMatchesOf(db: SuspenseDb, paymentIds: readonly string[]):
  Promise<Map<string, SuspenseMatchRow>> {
  if (paymentIds.length === 0) return new Map();
  const rows = await matches(db).where('suspense_match.payment_id', 'in', [...paymentIds])
    .where('suspense_match.decision', 'is', null).execute();
  return new Map(rows.map((row) => [row.payment_id, toMatch(row)]));
}

export async function listMatchesOfPayment(db: SuspenseDb, paymentId: string):
  Promise<SuspenseMatchRow[]> {
  const rows = await matches(db).where('suspense_match.payment_id', '=', paymentId)
    .orderBy('suspense_match.proposed_at').orderBy('suspense_match.id').execute();
  return rows.map(toMatch);
}

export async function insertMatchInTrx(trx: SuspenseDb, row: Readonly<{
  id: string; paymentId: string; invoiceId: string; proposedBy: string; proposedAt: Date;
  note: string;
}>): Promise<void> {
  await trx.insertInto('suspense_match').values({
    id: row.id, payment_id: row.paymentId, invoice_id: row.invoiceId,
    proposed_by: row.proposedBy, proposed_at: row.proposedAt, proposal_note: row.note,
    decision: null, decided_by: null, decided_at: null, decision_note: '',
  }).execute();
}

export async function markDecidedInTrx(trx: SuspenseDb, decided: Readonly<{
  matchId: string; decision: SuspenseMatchDecision; decidedBy: string; decidedAt: Date;
  note: string;
}>): Promise<void> {
  await trx.updateTable('suspense_match').set({
    decision: decided.decision, decided_by: decided.decidedBy, decided_at: decided.decidedAt,
    decision_note: decided.note,
  }).where('id', '=', decided.matchId).where('decision', 'is', null).execute();
}

/** A payment as a match needs it. */
export type HeldPayment = Readonly<{
  id: string;
  receiptNumber: string | null;
  checkoutRequestId: string | null;
  shortcode: string;
  amount: Money;
  accountReference: string;
  disposition: PaymentDisposition;
  paidAt: Date;
}>;

/** Locks the payment row, then reads it in a new statement. */
export async function lockPaymentInTrx(trx: SuspenseDb, paymentId: string):
  Promise<HeldPayment | undefined> {
  const locked = await trx.selectFrom('payment').select('id')
    .where('id', '=', paymentId).forUpdate().executeTakeFirst();
  if (locked === undefined) return undefined;
  return findHeldPayment(trx, paymentId);
}

export async function findHeldPayment(db: SuspenseDb, paymentId: string):
  Promise<HeldPayment | undefined> {
  const row = await db.selectFrom('payment')
    .select(['id', 'provider_reference', 'checkout_request_id', 'shortcode', 'amount_minor',
      'currency', 'account_reference', 'disposition', 'paid_at'])
    .where('id', '=', paymentId).executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id, receiptNumber: row.provider_reference, checkoutRequestId: row.checkout_request_id,
    shortcode: row.shortcode, amount: money(row.amount_minor, row.currency),
    accountReference: row.account_reference, disposition: row.disposition, paidAt: row.paid_at,
  };
}

/** The payment leaves suspense for its invoice (and that invoice's payer). */
export async function markPaymentMatchedInTrx(trx: SuspenseDb, moved: Readonly<{
  paymentId: string; invoiceId: string; payerAccountId: string;
}>): Promise<void> {
  await trx.updateTable('payment').set({
    disposition: 'allocated', invoice_id: moved.invoiceId, payer_account_id: moved.payerAccountId,
  }).where('id', '=', moved.paymentId).where('disposition', '=', 'suspense').execute();
}

export async function countSuspensePayments(db: SuspenseDb): Promise<number> {
  const row = await db.selectFrom('payment')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('disposition', '=', 'suspense').executeTakeFirstOrThrow();
  return row.count;
}
