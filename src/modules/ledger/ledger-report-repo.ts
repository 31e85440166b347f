/**
 * Read-only ledger queries for reports: balances by account prefix, the trial balance by
 * account kind, an account's entries. Balances are always sums of lines (never stored).
 */
import { sql, type Kysely } from 'kysely';
import { money, type Currency, type Money } from '#platform/money/index.ts';
import type { AccountType, Side } from './account-codes.ts';
import type { EntryReference } from './entry-rules.ts';
import { ledgerDatabase } from './ledger-repo.ts';

export type AccountKey = Readonly<{ code: string; currency: Currency }>;

export type AccountBalanceRow = Readonly<{
  accountCode: string;
  currency: Currency;
  normalSide: Side;
  balance: Money;
}>;

/** Balances of the accounts whose code starts with the prefix, in (code, currency) order. */
export async function selectBalancesByPrefix<DB>(
  db: Kysely<DB>,
  prefix: string,
  page: Readonly<{ limit: number; after: AccountKey | undefined }>,
): Promise<AccountBalanceRow[]> {
  const pattern = `${prefix.replaceAll(/[\\%_]/g, (character) => `\\${character}`)}%`;
  let query = ledgerDatabase(db).selectFrom('ledger_account as account')
    .leftJoin('ledger_line as line', (join) => join
      .onRef('line.account_code', '=', 'account.code')
      .onRef('line.currency', '=', 'account.currency'))
    .select(['account.code', 'account.currency', 'account.normal_side'])
    .select(sql<string>`coalesce(sum(case when line.side = account.normal_side
      then line.amount_minor else -line.amount_minor end), 0)::text`.as('balance'))
    .where('account.code', 'like', pattern)
    .groupBy(['account.code', 'account.currency', 'account.normal_side'])
    .orderBy('account.code').orderBy('account.currency').limit(page.limit);
  const after = page.after;
  if (after !== undefined) {
    query = query.where(sql<boolean>`(account.code, account.currency) >
      (${after.code}, ${after.currency})`);
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    accountCode: row.code,
    currency: row.currency,
    normalSide: row.normal_side,
    balance: money(BigInt(row.balance), row.currency),
  }));
}

export type KindTotalsRow = Readonly<{
  currency: Currency;
  kind: string;
  type: AccountType;
  normalSide: Side;
  accounts: bigint;
  debitsMinor: bigint;
  creditsMinor: bigint;
}>;

/** Per currency and account kind: how many accounts, and the sums of their debits and credits. */
export async function selectKindTotals<DB>(db: Kysely<DB>): Promise<KindTotalsRow[]> {
  const rows = await ledgerDatabase(db).selectFrom('ledger_account as account')
    .leftJoin('ledger_line as line', (join) => join
      .onRef('line.account_code', '=', 'account.code')
      .onRef('line.currency', '=', 'account.currency'))
    .select(['account.currency', 'account.kind', 'account.type', 'account.normal_side'])
    .select(sql<bigint>`count(distinct account.code)`.as('accounts'))
    .select(sql<string>`coalesce(sum(line.amount_minor)
      filter (where line.side = 'debit'), 0)::text`.as('debits'))
    .select(sql<string>`coalesce(sum(line.amount_minor)
      filter (where line.side = 'credit'), 0)::text`.as('credits'))
    .groupBy(['account.currency', 'account.kind', 'account.type', 'account.normal_side'])
    .orderBy('account.currency').orderBy('account.kind').execute();
  return rows.map((row) => ({
    currency: row.currency,
    kind: row.kind,
    type: row.type,
    normalSide: row.normal_side,
    accounts: row.accounts,
    debitsMinor: BigInt(row.debits),
    creditsMinor: BigInt(row.credits),
  }));
}

export type AccountEntryRow = Readonly<{
  entryId: string;
  code: string;
  side: Side;
  amount: Money;
  correctsEntryId: string | undefined;
  reference: EntryReference;
  occurredAt: Date;
  recordedAt: Date;
}>;

/** An account's lines with their entries, newest first (entry ids are time-ordered UUIDv7). */
export async function selectEntriesOfAccount<DB>(
  db: Kysely<DB>,
  account: AccountKey,
  page: Readonly<{ limit: number; beforeEntryId: string | undefined }>,
): Promise<AccountEntryRow[]> {
  let query = ledgerDatabase(db).selectFrom('ledger_line as line')
    .innerJoin('ledger_entry as entry', 'entry.id', 'line.entry_id')
    .select(['entry.id', 'entry.code', 'line.side', 'line.amount_minor', 'line.currency',
      'entry.corrects_entry_id', 'entry.reference', 'entry.occurred_at', 'entry.recorded_at'])
    .where('line.account_code', '=', account.code)
    .where('line.currency', '=', account.currency)
    .orderBy('line.entry_id', 'desc').limit(page.limit);
  if (page.beforeEntryId !== undefined) {
    query = query.where('line.entry_id', '<', page.beforeEntryId);
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    entryId: row.id,
    code: row.code,
    side: row.side,
    amount: money(row.amount_minor, row.currency),
    correctsEntryId: row.corrects_entry_id ?? undefined,
    reference: row.reference,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
  }));
}
