/**
 * The queries of `huduma ledger check`. They read what is stored, trusting none of the
 * database's own guards (a tampered database may have had its triggers disabled).
 * Large tables are read in keyset batches, so memory stays flat however big the ledger is.
 */
import { sql, type Kysely } from 'kysely';
import type { Currency } from '#platform/money/index.ts';
import type { AccountType, Side } from './account-codes.ts';
import { ledgerDatabase } from './ledger-repo.ts';

/** Below every UUID, so the first batch starts at the beginning. */
const uuidBeforeAll = '00000000-0000-0000-0000-000000000000';

export async function countEntriesAndAccounts<DB>(
  db: Kysely<DB>,
): Promise<{ entries: number; accounts: number }> {
  const result = await sql<{ entries: number; accounts: number }>`
    select (select count(*)::int from ledger_entry) as entries,
           (select count(*)::int from ledger_account) as accounts`.execute(db);
  return result.rows[0] ?? { entries: 0, accounts: 0 };
}

export type EntryCheckRow = Readonly<{
  id: string;
  code: string;
  currency: Currency;
  lineCount: number;
  debitsMinor: bigint;
  creditsMinor: bigint;
  linesInOtherCurrency: number;
  linesWithoutAccount: number;
}>;

/** The next batch of entries after `afterId` (undefined: from the start), with line sums. */
export async function selectEntryBatch<DB>(
  db: Kysely<DB>,
  afterId: string | undefined,
  batchSize: number,
): Promise<EntryCheckRow[]> {
  const result = await sql<{
    id: string; code: string; currency: Currency; line_count: number; debits: string;
    credits: string; other_currency: number; without_account: number;
  }>`
    with batch as (
      select id, code, currency from ledger_entry
      where id > ${afterId ?? uuidBeforeAll}::uuid order by id limit ${batchSize})
    select batch.id, batch.code, batch.currency,
      count(line.entry_id)::int as line_count,
      coalesce(sum(line.amount_minor) filter (where line.side = 'debit'), 0)::text as debits,
      coalesce(sum(line.amount_minor) filter (where line.side = 'credit'), 0)::text as credits,
      count(*) filter (where line.currency <> batch.currency)::int as other_currency,
      count(*) filter (where line.entry_id is not null and account.code is null)::int
        as without_account
    from batch
    left join ledger_line line on line.entry_id = batch.id
    left join ledger_account account
      on account.code = line.account_code and account.currency = line.currency
    group by batch.id, batch.code, batch.currency
    order by batch.id`.execute(db);
  return result.rows.map((row) => ({
    id: row.id,
    code: row.code,
    currency: row.currency,
    lineCount: row.line_count,
    debitsMinor: BigInt(row.debits),
    creditsMinor: BigInt(row.credits),
    linesInOtherCurrency: row.other_currency,
    linesWithoutAccount: row.without_account,
  }));
}

export type AccountCheckRow = Readonly<{
  code: string;
  currency: Currency;
  kind: string;
  type: AccountType;
  normalSide: Side;
}>;

export async function selectAccountBatch<DB>(
  db: Kysely<DB>,
  after: Readonly<{ code: string; currency: string }> | undefined,
  batchSize: number,
): Promise<AccountCheckRow[]> {
  let query = ledgerDatabase(db).selectFrom('ledger_account')
    .select(['code', 'currency', 'kind', 'type', 'normal_side'])
    .orderBy('code').orderBy('currency').limit(batchSize);
  if (after !== undefined) {
    query = query.where(sql<boolean>`(code, currency) > (${after.code}, ${after.currency})`);
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    code: row.code, currency: row.currency, kind: row.kind, type: row.type,
    normalSide: row.normal_side,
  }));
}

export type NegativeBalanceRow = Readonly<{ code: string; currency: Currency; balance: bigint }>;

/** Accounts of the given kinds whose balance (signed by normal side) is below zero. */
export async function selectNegativeBalances<DB>(
  db: Kysely<DB>,
  kinds: readonly string[],
  limit: number,
): Promise<NegativeBalanceRow[]> {
  if (kinds.length === 0) return [];
  const result = await sql<{ code: string; currency: Currency; balance: string }>`
    select account.code, account.currency,
      sum(case when line.side = account.normal_side
        then line.amount_minor else -line.amount_minor end)::text as balance
    from ledger_account account
    join ledger_line line
      on line.account_code = account.code and line.currency = account.currency
    where account.kind in (${sql.join(kinds)})
    group by account.code, account.currency, account.normal_side
    having sum(case when line.side = account.normal_side
      then line.amount_minor else -line.amount_minor end) < 0
    order by account.code, account.currency
    limit ${limit}`.execute(db);
  return result.rows.map((row) => ({ ...row, balance: BigInt(row.balance) }));
}

export type RepeatedReceiptRow = Readonly<{ providerReceipt: string; entryIds: string[] }>;

/**
 * Provider receipts in more than one standing (uncorrected) receipt entry. A receipt entry
 * with no providerReceipt is returned with providerReceipt '' (the rule requires one).
 */
export async function selectRepeatedReceipts<DB>(
  db: Kysely<DB>,
  receiptCodes: readonly string[],
  limit: number,
): Promise<RepeatedReceiptRow[]> {
  const result = await sql<{ receipt: string | null; entry_ids: string[] }>`
    select entry.reference->>'providerReceipt' as receipt,
      array_agg(entry.id::text order by entry.id) as entry_ids
    from ledger_entry entry
    where entry.code in (${sql.join(receiptCodes)})
      and not exists (
        select 1 from ledger_entry correction where correction.corrects_entry_id = entry.id)
    group by entry.reference->>'providerReceipt'
    having count(*) > 1 or entry.reference->>'providerReceipt' is null
    order by 1 nulls first
    limit ${limit}`.execute(db);
  return result.rows.map((row) => ({
    providerReceipt: row.receipt ?? '',
    entryIds: row.entry_ids,
  }));
}
