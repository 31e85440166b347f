/**
 * The ledger's SQL. Functions ending in InTrx run inside the caller's transaction; on PGlite
 * (one connection) nothing here may touch `db` while that transaction is open.
 * Sums are read as text and parsed to bigint: sum(int8) is numeric, which drivers return as a
 * string, and a cast back to int8 could overflow on a very old, very busy account.
 */
import assert from 'node:assert/strict';
import { sql, type Kysely, type Transaction } from 'kysely';
import { money, type Currency } from '#platform/money/index.ts';
import type { ParsedAccountCode } from './account-codes.ts';
import type { EntryLine, EntryReference } from './entry-rules.ts';
import type { LedgerTables } from './ledger-tables.ts';

/** The ledger's view of any transaction on the shared database (the tables are ours). */
export function ledgerTransaction<DB>(trx: Transaction<DB>): Transaction<LedgerTables> {
  assert.ok(trx.isTransaction, 'an *InTrx ledger function needs the caller\'s transaction');
  return trx as unknown as Transaction<LedgerTables>;
}

/** The ledger's view of the shared database handle (or of a transaction, for reads). */
export function ledgerDatabase<DB>(db: Kysely<DB>): Kysely<LedgerTables> {
  return db as unknown as Kysely<LedgerTables>;
}

export type StoredEntry = Readonly<{
  id: string;
  code: string;
  currency: Currency;
  idempotencyKey: string;
  correctsEntryId: string | undefined;
  reference: EntryReference;
  occurredAt: Date;
  recordedAt: Date;
  lines: readonly EntryLine[];
}>;

/** Creates the accounts not yet known (accounts exist from first use). */
export async function insertAccountsInTrx(
  trx: Transaction<LedgerTables>,
  accounts: readonly ParsedAccountCode[],
  currency: Currency,
): Promise<void> {
  await trx.insertInto('ledger_account').values(accounts.map((account) => ({
    code: account.code,
    currency,
    kind: account.kind,
    type: account.definition.type,
    normal_side: account.definition.normalSide,
  }))).onConflict((conflict) => conflict.doNothing()).execute();
}

/**
 * Locks the accounts' rows until the transaction ends, in code order so two transactions
 * locking overlapping sets cannot deadlock. Only accounts that are debited and must not go
 * negative are locked; the busy receipt path (Dr collection, Cr deposits) takes no lock.
 */
export async function lockAccountsInTrx(
  trx: Transaction<LedgerTables>,
  codes: readonly string[],
  currency: Currency,
): Promise<void> {
  const sorted = [...codes].sort();
  await trx.selectFrom('ledger_account').select('code')
    .where('currency', '=', currency).where('code', 'in', sorted)
    .orderBy('code').forUpdate().execute();
}

/** Debits minus credits of an account's lines (positive for a debit balance). */
export async function netDebitMinor(
  db: Kysely<LedgerTables>,
  code: string,
  currency: Currency,
): Promise<bigint> {
  const row = await db.selectFrom('ledger_line')
    .select(sql<string>`coalesce(sum(case when side = 'debit' then amount_minor
      else -amount_minor end), 0)::text`.as('net'))
    .where('account_code', '=', code).where('currency', '=', currency)
    .executeTakeFirstOrThrow();
  return BigInt(row.net);
}

async function readLines(
  db: Kysely<LedgerTables>,
  entryId: string,
): Promise<EntryLine[]> {
  const rows = await db.selectFrom('ledger_line')
    .select(['account_code', 'currency', 'side', 'amount_minor'])
    .where('entry_id', '=', entryId).orderBy('line_number').execute();
  return rows.map((row) => ({
    accountCode: row.account_code,
    side: row.side,
    amount: money(row.amount_minor, row.currency),
  }));
}

async function findEntryWhere(
  db: Kysely<LedgerTables>,
  column: 'id' | 'idempotency_key' | 'corrects_entry_id',
  value: string,
): Promise<StoredEntry | undefined> {
  const row = await db.selectFrom('ledger_entry').selectAll()
    .where(column, '=', value).executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id,
    code: row.code,
    currency: row.currency,
    idempotencyKey: row.idempotency_key,
    correctsEntryId: row.corrects_entry_id ?? undefined,
    reference: row.reference,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    lines: await readLines(db, row.id),
  };
}

export function findEntryByIdempotencyKey(
  db: Kysely<LedgerTables>,
  idempotencyKey: string,
): Promise<StoredEntry | undefined> {
  return findEntryWhere(db, 'idempotency_key', idempotencyKey);
}

/** The id must be a UUID (a malformed one would abort the transaction). */
export function findEntryById(
  db: Kysely<LedgerTables>,
  id: string,
): Promise<StoredEntry | undefined> {
  return findEntryWhere(db, 'id', id);
}

/** The entry that corrects this one, if any (an entry is corrected at most once). */
export function findCorrectionOf(
  db: Kysely<LedgerTables>,
  entryId: string,
): Promise<StoredEntry | undefined> {
  return findEntryWhere(db, 'corrects_entry_id', entryId);
}

export type NewEntryRow = Readonly<{
  id: string;
  code: string;
  currency: Currency;
  idempotencyKey: string;
  correctsEntryId: string | undefined;
  reference: EntryReference;
  occurredAt: Date;
}>;

/**
 * Inserts the entry unless its idempotency key (or the entry it corrects) is taken; then
 * returns false and the caller reads back what is there. A concurrent insert of the same key
 * waits for the other transaction and then does nothing (PostgreSQL ON CONFLICT semantics).
 */
export async function insertEntryInTrx(
  trx: Transaction<LedgerTables>,
  entry: NewEntryRow,
  lines: readonly EntryLine[],
): Promise<boolean> {
  const inserted = await trx.insertInto('ledger_entry').values({
    id: entry.id,
    code: entry.code,
    currency: entry.currency,
    idempotency_key: entry.idempotencyKey,
    corrects_entry_id: entry.correctsEntryId ?? null,
    reference: JSON.stringify(entry.reference),
    occurred_at: entry.occurredAt,
  }).onConflict((conflict) => conflict.doNothing()).returning('id').executeTakeFirst();
  if (inserted === undefined) return false;
  await trx.insertInto('ledger_line').values(lines.map((line, index) => ({
    entry_id: entry.id,
    line_number: index + 1,
    account_code: line.accountCode,
    currency: line.amount.currency,
    side: line.side,
    amount_minor: line.amount.amountMinor,
  }))).execute();
  return true;
}
