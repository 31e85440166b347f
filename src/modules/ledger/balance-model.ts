/**
 * Balances from entries, in memory: the ledger's meaning in a few lines. The database derives
 * balances the same way (sums of lines); the property tests hold the two against each other.
 * Pure, no I/O.
 */
import assert from 'node:assert/strict';
import { currencies, money, type Currency, type Money } from '#platform/money/index.ts';
import { describeAccount, type AccountCode, type Side } from './account-codes.ts';
import { validateEntry, type Entry } from './entry-rules.ts';

/** Balance of each account touched, keyed by balanceKey(code, currency). */
export type Balances = ReadonlyMap<string, Money>;

export function balanceKey(code: string, currency: Currency): string {
  return `${currency} ${code}`;
}

/**
 * A line's effect on its account's balance, signed by the account's normal side: a debit
 * raises an asset and lowers a liability.
 */
export function signedAmountMinor(normalSide: Side, side: Side, amountMinor: bigint): bigint {
  return side === normalSide ? amountMinor : -amountMinor;
}

/** The balances after the entries, applied in order to `start`. Each entry must be valid. */
export function applyEntries(entries: readonly Entry[], start: Balances = new Map()): Balances {
  const balances = new Map(start);
  for (const entry of entries) {
    const validation = validateEntry(entry);
    assert.ok(validation.ok, `the model applies only valid entries: ${entry.idempotencyKey}`);
    for (const [index, line] of entry.lines.entries()) {
      const account = validation.value.accounts[index];
      assert.ok(account !== undefined);
      const key = balanceKey(line.accountCode, line.amount.currency);
      const before = balances.get(key)?.amountMinor ?? 0n;
      const change = signedAmountMinor(account.definition.normalSide, line.side,
        line.amount.amountMinor);
      balances.set(key, money(before + change, line.amount.currency));
    }
  }
  return balances;
}

export function balanceIn(balances: Balances, code: AccountCode, currency: Currency): Money {
  return balances.get(balanceKey(code, currency)) ?? money(0n, currency);
}

export type TrialBalanceTotals = Readonly<{
  currency: Currency;
  /** Sum of the balances of debit-normal accounts (assets, expenses). */
  debitBalancesMinor: bigint;
  /** Sum of the balances of credit-normal accounts (liabilities, income, equity). */
  creditBalancesMinor: bigint;
}>;

/**
 * Per currency, the debit-normal and credit-normal balance totals. In a double-entry ledger
 * they are always equal: the trial balance sums to zero.
 */
export function trialBalanceOf(balances: Balances): TrialBalanceTotals[] {
  const totals = new Map(currencies.map((currency) => [currency, {
    currency, debitBalancesMinor: 0n, creditBalancesMinor: 0n,
  }]));
  for (const [key, balance] of balances) {
    const code = key.slice(key.indexOf(' ') + 1) as AccountCode;
    const side = describeAccount(code).definition.normalSide;
    const total = totals.get(balance.currency);
    assert.ok(total !== undefined);
    if (side === 'debit') total.debitBalancesMinor += balance.amountMinor;
    else total.creditBalancesMinor += balance.amountMinor;
  }
  return [...totals.values()];
}
