/**
 * The ledger's SQL for posting many entries at once (postEntriesInTrx): a statement each for
 * the entries already under the batch's keys, the accounts, the lock of the guarded accounts,
 * their balances, and the insert of every entry with its lines. Round trips, not rows, are
 * what a busy ingest pays for.
 */
import assert from 'node:assert/strict';
import { sql, type Transaction } from 'kysely';
import { money, type Currency } from '#platform/money/index.ts';
import type { ParsedAccountCode } from './account-codes.ts';
import type { EntryLine } from './entry-rules.ts';
import type { NewEntryRow, StoredEntry } from './ledger-repo.ts';
import type { LedgerTables } from './ledger-tables.ts';

/** The entries stored under any of `keys`, with their lines, by idempotency key. */
export async function findEntriesByKeysInTrx(
  trx: Transaction<LedgerTables>,
  keys: readonly string[],
): Promise<Map<string, StoredEntry>> {
  const found = new Map<string, StoredEntry>();
  if (keys.length === 0) return found;
  const rows = await trx.selectFrom('ledger_entry')
    .innerJoin('ledger_line', 'ledger_line.entry_id', 'ledger_entry.id')
    .select(['ledger_entry.id', 'ledger_entry.code', 'ledger_entry.currency',
      'ledger_entry.idempotency_key', 'ledger_entry.corrects_entry_id',
      'ledger_entry.reference', 'ledger_entry.occurred_at', 'ledger_entry.recorded_at',
      'ledger_line.account_code', 'ledger_line.side', 'ledger_line.amount_minor',
      'ledger_line.currency as line_currency'])
    .where('ledger_entry.idempotency_key', 'in', [...new Set(keys)])
    .orderBy('ledger_entry.id').orderBy('ledger_line.line_number').execute();
  const lines = new Map<string, EntryLine[]>();
  for (const row of rows) {
    let entryLines = lines.get(row.idempotency_key);
    if (entryLines === undefined) {
      entryLines = [];
      lines.set(row.idempotency_key, entryLines);
      found.set(row.idempotency_key, {
        id: row.id, code: row.code, currency: row.currency, idempotencyKey: row.idempotency_key,
        correctsEntryId: row.corrects_entry_id ?? undefined, reference: row.reference,
        occurredAt: row.occurred_at, recordedAt: row.recorded_at, lines: entryLines,
      });
    }
    entryLines.push({ accountCode: row.account_code, side: row.side,
      amount: money(row.amount_minor, row.line_currency) });
  }
  return found;
}

export type AccountInCurrency = Readonly<{ account: ParsedAccountCode; currency: Currency }>;

/** Creates the accounts not yet known, in one statement. */
export async function insertAccountRowsInTrx(
  trx: Transaction<LedgerTables>,
  accounts: readonly AccountInCurrency[],
): Promise<void> {
  if (accounts.length === 0) return;
  await trx.insertInto('ledger_account').values(accounts.map(({ account, currency }) => ({
    code: account.code, currency, kind: account.kind, type: account.definition.type,
    normal_side: account.definition.normalSide,
  }))).onConflict((conflict) => conflict.doNothing()).execute();
}

/**
 * Locks the accounts' rows until the transaction ends, in (currency, code) order in one
 * statement, so transactions locking overlapping sets cannot deadlock.
 */
export async function lockAccountRowsInTrx(
  trx: Transaction<LedgerTables>,
  accounts: readonly Readonly<{ code: string; currency: Currency }>[],
): Promise<void> {
  if (accounts.length === 0) return;
  const pairs = accounts.map((account) => sql`(${account.code}, ${account.currency})`);
  await sql`select code from ledger_account
    where (code, currency) in (${sql.join(pairs)})
    order by currency, code for update`.execute(trx);
}

/** Debits minus credits of each account's lines, keyed `code currency` (0n when unused). */
export async function netDebitsMinorInTrx(
  trx: Transaction<LedgerTables>,
  accounts: readonly Readonly<{ code: string; currency: Currency }>[],
): Promise<Map<string, bigint>> {
  const nets = new Map<string, bigint>();
  if (accounts.length === 0) return nets;
  for (const account of accounts) nets.set(`${account.code} ${account.currency}`, 0n);
  const pairs = accounts.map((account) => sql`(${account.code}, ${account.currency})`);
  const rows = await sql<{ code: string; currency: string; net: string }>`
    select account_code as code, currency,
      sum(case when side = 'debit' then amount_minor else -amount_minor end)::text as net
    from ledger_line where (account_code, currency) in (${sql.join(pairs)})
    group by account_code, currency`.execute(trx);
  for (const row of rows.rows) nets.set(`${row.code} ${row.currency}`, BigInt(row.net));
  return nets;
}

export type NewEntryWithLines = Readonly<{
  entry: NewEntryRow;
  lines: readonly EntryLine[];
  accounts: readonly ParsedAccountCode[];
}>;

/**
 * In one statement: creates the accounts not yet known, inserts each entry whose idempotency
 * key is free, and the lines of those that went in. Returns the ids inserted; an entry left
 * out lost a race for its key (the caller reads back what is there).
 */
export async function insertEntriesInTrx(
  trx: Transaction<LedgerTables>,
  items: readonly NewEntryWithLines[],
): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const accounts = new Map<string, unknown>();
  for (const { entry, accounts: parsed } of items) {
    for (const account of parsed) {
      accounts.set(`${account.code} ${entry.currency}`, {
        code: account.code, currency: entry.currency, kind: account.kind,
        type: account.definition.type, normal_side: account.definition.normalSide });
    }
  }
  const entries = items.map(({ entry }) => ({
    id: entry.id, code: entry.code, currency: entry.currency,
    idempotency_key: entry.idempotencyKey, reference: entry.reference,
    occurred_at: entry.occurredAt.toISOString(),
  }));
  const lines = items.flatMap(({ entry, lines: entryLines }) => entryLines.map((line, index) => ({
    entry_id: entry.id, line_number: index + 1, account_code: line.accountCode,
    currency: line.amount.currency, side: line.side,
    amount_minor: line.amount.amountMinor.toString(),
  })));
  const result = await sql<{ entry_id: string }>`
    with new_account as (
      insert into ledger_account (code, currency, kind, type, normal_side)
      select code, currency, kind, type, normal_side
      from jsonb_to_recordset(${JSON.stringify([...accounts.values()])}::jsonb)
        as r (code text, currency text, kind text, type text, normal_side text)
      on conflict do nothing),
    new_entry as (
      insert into ledger_entry (id, code, currency, idempotency_key, reference, occurred_at)
      select id, code, currency, idempotency_key, reference, occurred_at
      from jsonb_to_recordset(${JSON.stringify(entries)}::jsonb)
        as r (id uuid, code text, currency text, idempotency_key text, reference jsonb,
          occurred_at timestamptz)
      on conflict do nothing
      returning id)
    insert into ledger_line (entry_id, line_number, account_code, currency, side, amount_minor)
    select line.entry_id, line.line_number, line.account_code, line.currency, line.side,
      line.amount_minor::int8
    from jsonb_to_recordset(${JSON.stringify(lines)}::jsonb)
      as line (entry_id uuid, line_number smallint, account_code text, currency text,
        side text, amount_minor text)
    join new_entry on new_entry.id = line.entry_id
    returning entry_id`.execute(trx);
  const inserted = new Set(result.rows.map((row) => row.entry_id));
  assert.equal(result.rows.length, lines.filter((line) => inserted.has(line.entry_id)).length);
  return inserted;
}
