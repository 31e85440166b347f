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

type EntryLineRow = Readonly<{
  id: string;
  code: string;
  currency: Currency;
  idempotency_key: string;
  corrects_entry_id: string | null;
  reference: Readonly<Record<string, string>>;
  occurred_at: Date | string;
  recorded_at: Date | string;
  account_code: string;
  side: EntryLine['side'];
  amount_minor: bigint | string;
  line_currency: Currency;
}>;

/** Rows of entries joined to their lines (in entry, line order) to entries by key. */
function entriesByKey(rows: readonly EntryLineRow[]): Map<string, StoredEntry> {
  const found = new Map<string, StoredEntry>();
  const lines = new Map<string, EntryLine[]>();
  for (const row of rows) {
    let entryLines = lines.get(row.idempotency_key);
    if (entryLines === undefined) {
      entryLines = [];
      lines.set(row.idempotency_key, entryLines);
      found.set(row.idempotency_key, {
        id: row.id, code: row.code, currency: row.currency, idempotencyKey: row.idempotency_key,
        correctsEntryId: row.corrects_entry_id ?? undefined, reference: row.reference,
        occurredAt: new Date(row.occurred_at), recordedAt: new Date(row.recorded_at),
        lines: entryLines,
      });
    }
    entryLines.push({ accountCode: row.account_code, side: row.side,
      amount: money(BigInt(row.amount_minor), row.line_currency) });
  }
  return found;
}

const entryLineColumns = sql`e.id, e.code, e.currency, e.idempotency_key, e.corrects_entry_id,
  e.reference, e.occurred_at, e.recorded_at, l.account_code, l.side,
  l.amount_minor::text as amount_minor, l.currency as line_currency, l.line_number`;

/** The entries stored under any of `keys`, with their lines, by idempotency key. */
export async function findEntriesByKeysInTrx(
  trx: Transaction<LedgerTables>,
  keys: readonly string[],
): Promise<Map<string, StoredEntry>> {
  if (keys.length === 0) return new Map();
  const rows = await sql<EntryLineRow>`select ${entryLineColumns}
    from ledger_entry e join ledger_line l on l.entry_id = e.id
    where e.idempotency_key in (${sql.join([...new Set(keys)])})
    order by e.id, l.line_number`.execute(trx);
  return entriesByKey(rows.rows);
}

export type AccountInCurrency = Readonly<{ account: ParsedAccountCode; currency: Currency }>;

/**
 * Creates the accounts not yet known and locks them all until the transaction ends, in one
 * statement: an insert that, on a conflict, locks the existing row and changes nothing (ON
 * CONFLICT DO UPDATE ... WHERE false). Rows go in (currency, code) order, so transactions
 * locking overlapping sets cannot deadlock; a row another transaction is inserting is waited
 * for, then locked.
 */
export async function createAndLockAccountsInTrx(
  trx: Transaction<LedgerTables>,
  accounts: readonly AccountInCurrency[],
): Promise<void> {
  if (accounts.length === 0) return;
  const order = (item: AccountInCurrency) => `${item.currency} ${item.account.code}`;
  const sorted = [...accounts].sort((left, right) => order(left).localeCompare(order(right)));
  const rows = sorted.map(({ account, currency }) => sql`(${account.code}, ${currency},
    ${account.kind}, ${account.definition.type}, ${account.definition.normalSide})`);
  await sql`insert into ledger_account (code, currency, kind, type, normal_side)
    values ${sql.join(rows)}
    on conflict (code, currency) do update set kind = excluded.kind where false`.execute(trx);
}

/**
 * In one statement (after the accounts are locked): the entries under `keys`, and the debits
 * minus credits of each account, keyed `code currency` (0n when unused).
 */
export async function readEntriesAndNetsInTrx(
  trx: Transaction<LedgerTables>,
  keys: readonly string[],
  accounts: readonly Readonly<{ code: string; currency: Currency }>[],
): Promise<Readonly<{ entries: Map<string, StoredEntry>; nets: Map<string, bigint> }>> {
  const nets = new Map<string, bigint>();
  for (const account of accounts) nets.set(`${account.code} ${account.currency}`, 0n);
  const keyList = keys.length === 0 ? sql`null` : sql.join([...new Set(keys)]);
  const pairs = accounts.length === 0 ? sql`(null, null)`
    : sql.join(accounts.map((account) => sql`(${account.code}, ${account.currency})`));
  const result = await sql<{ entries: EntryLineRow[]; nets: { code: string; currency: string;
    net: string }[] }>`select
    (select coalesce(json_agg(x order by x.id, x.line_number), '[]'::json) from (
      select ${entryLineColumns} from ledger_entry e join ledger_line l on l.entry_id = e.id
      where e.idempotency_key in (${keyList})) x) as entries,
    (select coalesce(json_agg(n), '[]'::json) from (
      select account_code as code, currency,
        sum(case when side = 'debit' then amount_minor else -amount_minor end)::text as net
      from ledger_line where (account_code, currency) in (${pairs})
      group by account_code, currency) n) as nets`.execute(trx);
  const row = result.rows[0];
  assert.ok(row !== undefined);
  for (const net of row.nets) nets.set(`${net.code} ${net.currency}`, BigInt(net.net));
  return { entries: entriesByKey(row.entries), nets };
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
