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
 * FOR NO KEY UPDATE, not FOR UPDATE: another entry's line crediting the account takes a KEY
 * SHARE lock on it (the foreign key), which FOR UPDATE would wait for, and so two transfers
 * in opposite directions deadlocked.
 */
export async function lockAccountsInTrx(
  trx: Transaction<LedgerTables>,
  codes: readonly string[],
  currency: Currency,
): Promise<void> {
  const sorted = [...codes].sort();
  await trx.selectFrom('ledger_account').select('code')
    .where('currency', '=', currency).where('code', 'in', sorted)
    .orderBy('code').forNoKeyUpdate().execute();
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
 * In one statement: creates the accounts not yet known, inserts the entry unless its
 * idempotency key (or the entry it corrects) is taken, and its lines if the entry went in.
 * Returns false when the entry was not inserted; the caller reads back what is there.
 * A concurrent insert of the same key waits for the other transaction, then does nothing.
 * One statement, because a receipt's cost is mostly round trips to the database.
 */
export async function insertEntryInTrx(
  trx: Transaction<LedgerTables>,
  entry: NewEntryRow,
  lines: readonly EntryLine[],
  accounts: readonly ParsedAccountCode[],
): Promise<boolean> {
  const accountRows = accounts.map((account) => sql`(${account.code}, ${entry.currency},
    ${account.kind}, ${account.definition.type}, ${account.definition.normalSide})`);
  const lineRows = lines.map((line, index) => sql`(${index + 1}::smallint,
    ${line.accountCode}, ${line.side}, ${line.amount.amountMinor}::int8)`);
  const result = await sql<{ entry_id: string }>`
    with new_account as (
      insert into ledger_account (code, currency, kind, type, normal_side)
      values ${sql.join(accountRows)}
      on conflict do nothing),
    new_entry as (
      insert into ledger_entry
        (id, code, currency, idempotency_key, corrects_entry_id, reference, occurred_at)
      values (${entry.id}::uuid, ${entry.code}, ${entry.currency}, ${entry.idempotencyKey},
        ${entry.correctsEntryId ?? null}::uuid, ${JSON.stringify(entry.reference)}::jsonb,
        ${entry.occurredAt}::timestamptz)
      on conflict do nothing
      returning id)
    insert into ledger_line (entry_id, line_number, account_code, currency, side, amount_minor)
    select new_entry.id, line.line_number, line.account_code, ${entry.currency}, line.side,
      line.amount_minor
    from new_entry cross join (values ${sql.join(lineRows)})
      as line (line_number, account_code, side, amount_minor)
    returning entry_id`.execute(trx);
  assert.ok(result.rows.length === 0 || result.rows.length === lines.length);
  return result.rows.length > 0;
}
