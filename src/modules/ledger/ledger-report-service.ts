/**
 * Reading the ledger: balances by account prefix, the trial balance, an account's entries.
 * Lists are paged (keyset cursors) with a bounded page size.
 */
import type { Kysely } from 'kysely';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import { currencies, isCurrency, money, type Currency, type Money } from '#platform/money/index.ts';
import {
  parseAccountCode,
  type AccountCode,
  type AccountType,
  type Side,
} from './account-codes.ts';
import {
  selectBalancesByPrefix,
  selectEntriesOfAccount,
  selectKindTotals,
  type AccountBalanceRow,
  type AccountEntryRow,
  type AccountKey,
} from './ledger-report-repo.ts';

export type { AccountBalanceRow, AccountEntryRow };

export const pageSizeDefault = 100;
export const pageSizeMax = 1000;

export type PageRequest = Readonly<{ limit?: number; cursor?: string }>;
export type Page<T> = Readonly<{ items: readonly T[]; nextCursor: string | undefined }>;
type CursorFailure = Failure<'LEDGER_PAGE_CURSOR_INVALID'>;

function pageSize(request: PageRequest): number {
  const limit = request.limit ?? pageSizeDefault;
  if (!Number.isFinite(limit)) return pageSizeDefault;
  return Math.min(Math.max(Math.trunc(limit), 1), pageSizeMax);
}

/** A balances cursor is 'KES:payable:agency:<id>', the last account of the previous page. */
function parseAccountCursor(cursor: string): AccountKey | undefined {
  const currency = cursor.slice(0, 3);
  const code = cursor.slice(4);
  if (cursor[3] !== ':' || !isCurrency(currency) || parseAccountCode(code) === undefined) {
    return undefined;
  }
  return { code, currency };
}

/**
 * Balances (signed by normal side) of the accounts whose code starts with the prefix, e.g.
 * 'payable:agency:' or 'deposits:invoice:<id>', in code order.
 * @returns err(LEDGER_PAGE_CURSOR_INVALID) for a cursor this function did not give out.
 */
export async function balancesByPrefix<DB>(
  db: Kysely<DB>,
  prefix: string,
  request: PageRequest = {},
): Promise<Result<Page<AccountBalanceRow>, CursorFailure>> {
  const after = request.cursor === undefined ? undefined : parseAccountCursor(request.cursor);
  if (request.cursor !== undefined && after === undefined) {
    return err(failure('LEDGER_PAGE_CURSOR_INVALID'));
  }
  const limit = pageSize(request);
  const items = await selectBalancesByPrefix(db, prefix, { limit, after });
  const last = items.at(-1);
  return ok({
    items,
    nextCursor: items.length === limit && last !== undefined
      ? `${last.currency}:${last.accountCode}` : undefined,
  });
}

/**
 * An account's entries, newest first: each with this account's side and amount.
 * @returns err(LEDGER_PAGE_CURSOR_INVALID) for a cursor this function did not give out.
 */
export async function entriesOfAccount<DB>(
  db: Kysely<DB>,
  accountCode: AccountCode,
  currency: Currency,
  request: PageRequest = {},
): Promise<Result<Page<AccountEntryRow>, CursorFailure>> {
  if (request.cursor !== undefined && !isUuid(request.cursor)) {
    return err(failure('LEDGER_PAGE_CURSOR_INVALID'));
  }
  const limit = pageSize(request);
  const items = await selectEntriesOfAccount(db, { code: accountCode, currency },
    { limit, beforeEntryId: request.cursor });
  const last = items.at(-1);
  return ok({
    items,
    nextCursor: items.length === limit && last !== undefined ? last.entryId : undefined,
  });
}

export type KindBalance = Readonly<{
  /** The account kind: 'deposits:invoice', 'suspense', ... */
  kind: string;
  type: AccountType;
  normalSide: Side;
  accounts: bigint;
  debits: Money;
  credits: Money;
  /** Signed by the normal side. */
  balance: Money;
}>;

export type CurrencyTrialBalance = Readonly<{
  currency: Currency;
  kinds: readonly KindBalance[];
  /** All debits and all credits posted in this currency: equal when the ledger balances. */
  debits: Money;
  credits: Money;
  balanced: boolean;
}>;

export type TrialBalance = Readonly<{
  currencies: readonly CurrencyTrialBalance[];
  balanced: boolean;
}>;

/**
 * The trial balance per currency, by account kind (a line per account would be millions of
 * invoices; balancesByPrefix lists the accounts of a kind). It sums to zero: debits = credits.
 */
export async function trialBalance<DB>(db: Kysely<DB>): Promise<TrialBalance> {
  const rows = await selectKindTotals(db);
  const perCurrency = currencies.map((currency): CurrencyTrialBalance => {
    const kinds = rows.filter((row) => row.currency === currency).map((row) => ({
      kind: row.kind,
      type: row.type,
      normalSide: row.normalSide,
      accounts: row.accounts,
      debits: money(row.debitsMinor, currency),
      credits: money(row.creditsMinor, currency),
      balance: money(row.normalSide === 'debit'
        ? row.debitsMinor - row.creditsMinor : row.creditsMinor - row.debitsMinor, currency),
    }));
    const debitsMinor = kinds.reduce((total, kind) => total + kind.debits.amountMinor, 0n);
    const creditsMinor = kinds.reduce((total, kind) => total + kind.credits.amountMinor, 0n);
    return {
      currency,
      kinds,
      debits: money(debitsMinor, currency),
      credits: money(creditsMinor, currency),
      balanced: debitsMinor === creditsMinor,
    };
  });
  return { currencies: perCurrency, balanced: perCurrency.every((total) => total.balanced) };
}
