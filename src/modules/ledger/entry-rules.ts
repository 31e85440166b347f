/**
 * What a journal entry is, and the rules every entry must keep, checked in a fixed precedence
 * (TigerBeetle's CreateTransferStatus): the first broken rule is the one reported, so the same
 * bad entry always fails the same way. Pure, no I/O; the database checks balance again at commit.
 */
import assert from 'node:assert/strict';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import type { Currency, Money } from '#platform/money/index.ts';
import {
  accountAllowsCurrency,
  parseAccountCode,
  type AccountCode,
  type ParsedAccountCode,
  type Side,
} from './account-codes.ts';
import { receiptEntryCodes } from './entry-codes.ts';

export type EntryLine = Readonly<{ accountCode: AccountCode | string; side: Side; amount: Money }>;

/**
 * Links from an entry to what caused it: invoiceId, paymentId, providerReceipt ('mpesa:<id>').
 * Values are ids, never personal data; the rules below refuse anything that looks like a phone
 * or ID number, because the journal can never be edited to remove it.
 */
export type EntryReference = Readonly<Record<string, string>>;

export type Entry = Readonly<{
  /** What happened, past tense: RECEIPT_ALLOCATED_TO_INVOICE. */
  code: string;
  /** Names the event, so a replay posts nothing: 'mpesa:<receipt>:receipt'. */
  idempotencyKey: string;
  /** When it happened in the world (e.g. the receipt time); recorded time is the commit's. */
  occurredAt: Date;
  lines: readonly EntryLine[];
  reference: EntryReference;
}>;

export type ValidEntry = Readonly<{
  entry: Entry;
  currency: Currency;
  /** The parsed account of each line, in line order. */
  accounts: readonly ParsedAccountCode[];
}>;

export const entryRuleCodes = [
  'LEDGER_ENTRY_CODE_INVALID',
  'LEDGER_IDEMPOTENCY_KEY_INVALID',
  'LEDGER_REFERENCE_INVALID',
  'LEDGER_RECEIPT_MUST_NAME_PROVIDER_RECEIPT',
  'LEDGER_ENTRY_MUST_HAVE_TWO_LINES',
  'LEDGER_ENTRY_TOO_MANY_LINES',
  'LEDGER_ACCOUNT_CODE_INVALID',
  'LEDGER_ACCOUNTS_MUST_BE_DIFFERENT',
  'LEDGER_AMOUNT_MUST_BE_POSITIVE',
  'LEDGER_AMOUNT_TOO_LARGE',
  'LEDGER_LINES_MUST_SHARE_CURRENCY',
  'LEDGER_ACCOUNT_CURRENCY_NOT_ALLOWED',
  'LEDGER_ENTRY_MUST_BALANCE',
] as const;

export type EntryRuleCode = (typeof entryRuleCodes)[number];

/** The database allows line numbers 1..64 (ledger_line_line_number_check). */
export const linesPerEntryMax = 64;
/** KES 10 trillion: far above any real payment, and 64 such lines still fit in int8. */
export const amountMinorMax = 1_000_000_000_000_000n;
export const referenceKeysMax = 8;

const entryCodePattern = /^[A-Z][A-Z0-9_]{0,63}$/;
const idempotencyKeyPattern = /^[\x21-\x7e]{1,200}$/;
const referenceKeyPattern = /^[a-z][A-Za-z0-9]{0,39}$/;
const referenceValuePattern = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,99}$/;
// Seven or more digits alone: a phone number, an ID number or an account number.
const personalNumberPattern = /^\d{7,}$/;
const providerReceiptPattern = /^[a-z]+:[A-Za-z0-9_-]{4,80}$/;

type Rule = (entry: Entry, accounts: readonly (ParsedAccountCode | undefined)[]) =>
  string | undefined;

function referenceProblem(reference: EntryReference): string | undefined {
  const pairs = Object.entries(reference);
  if (pairs.length > referenceKeysMax) return `at most ${referenceKeysMax} references`;
  for (const [key, value] of pairs) {
    if (!referenceKeyPattern.test(key)) return `reference key "${key}" is not a camelCase name`;
    if (typeof value !== 'string' || !referenceValuePattern.test(value) ||
      personalNumberPattern.test(value)) {
      return `reference ${key} is not an id`;
    }
  }
  return undefined;
}

function firstCurrency(entry: Entry): Currency | undefined {
  return entry.lines[0]?.amount.currency;
}

/** The rules in precedence order; each returns a detail when broken. */
const rules: ReadonlyArray<readonly [EntryRuleCode, Rule]> = [
  ['LEDGER_ENTRY_CODE_INVALID', (entry) =>
    entryCodePattern.test(entry.code) ? undefined : `"${entry.code}"`],
  ['LEDGER_IDEMPOTENCY_KEY_INVALID', (entry) =>
    idempotencyKeyPattern.test(entry.idempotencyKey) ? undefined : 'bad idempotency key'],
  ['LEDGER_REFERENCE_INVALID', (entry) => referenceProblem(entry.reference)],
  ['LEDGER_RECEIPT_MUST_NAME_PROVIDER_RECEIPT', (entry) => {
    if (!receiptEntryCodes.includes(entry.code)) return undefined;
    const receipt = entry.reference['providerReceipt'];
    return receipt !== undefined && providerReceiptPattern.test(receipt)
      ? undefined : 'reference.providerReceipt must be <channel>:<receipt number>';
  }],
  ['LEDGER_ENTRY_MUST_HAVE_TWO_LINES', (entry) =>
    entry.lines.length >= 2 ? undefined : `${entry.lines.length} line(s)`],
  ['LEDGER_ENTRY_TOO_MANY_LINES', (entry) =>
    entry.lines.length <= linesPerEntryMax ? undefined : `more than ${linesPerEntryMax} lines`],
  ['LEDGER_ACCOUNT_CODE_INVALID', (entry, accounts) => {
    const index = accounts.findIndex((account) => account === undefined);
    return index === -1 ? undefined : `line ${index + 1}: "${entry.lines[index]?.accountCode}"`;
  }],
  ['LEDGER_ACCOUNTS_MUST_BE_DIFFERENT', (entry) => {
    const seen = new Set<string>();
    for (const line of entry.lines) {
      if (seen.has(line.accountCode)) return `${line.accountCode} appears twice`;
      seen.add(line.accountCode);
    }
    return undefined;
  }],
  ['LEDGER_AMOUNT_MUST_BE_POSITIVE', (entry) => {
    const index = entry.lines.findIndex((line) => line.amount.amountMinor <= 0n);
    return index === -1 ? undefined : `line ${index + 1}`;
  }],
  ['LEDGER_AMOUNT_TOO_LARGE', (entry) => {
    const index = entry.lines.findIndex((line) => line.amount.amountMinor > amountMinorMax);
    return index === -1 ? undefined : `line ${index + 1}`;
  }],
  ['LEDGER_LINES_MUST_SHARE_CURRENCY', (entry) => {
    const currency = firstCurrency(entry);
    return entry.lines.every((line) => line.amount.currency === currency)
      ? undefined : 'lines in more than one currency';
  }],
  ['LEDGER_ACCOUNT_CURRENCY_NOT_ALLOWED', (entry, accounts) => {
    const index = accounts.findIndex((account, at) => account !== undefined &&
      !accountAllowsCurrency(account, entry.lines[at]?.amount.currency ?? 'KES'));
    return index === -1 ? undefined
      : `${entry.lines[index]?.accountCode} does not hold ${entry.lines[index]?.amount.currency}`;
  }],
  ['LEDGER_ENTRY_MUST_BALANCE', (entry) => {
    const { debitsMinor, creditsMinor } = totalsOf(entry.lines);
    return debitsMinor === creditsMinor
      ? undefined : `debits ${debitsMinor}, credits ${creditsMinor}`;
  }],
];

export type EntryTotals = Readonly<{ debitsMinor: bigint; creditsMinor: bigint }>;

/** Sums of the debit and of the credit lines. */
export function totalsOf(lines: readonly EntryLine[]): EntryTotals {
  let debitsMinor = 0n;
  let creditsMinor = 0n;
  for (const line of lines) {
    if (line.side === 'debit') debitsMinor += line.amount.amountMinor;
    else creditsMinor += line.amount.amountMinor;
  }
  return { debitsMinor, creditsMinor };
}

/**
 * Checks an entry against every rule, in precedence order.
 * @returns err(LEDGER_...) naming the first broken rule (see entryRuleCodes).
 */
export function validateEntry(entry: Entry): Result<ValidEntry, Failure<EntryRuleCode>> {
  assert.ok(entry.occurredAt instanceof Date && !Number.isNaN(entry.occurredAt.getTime()),
    'occurredAt must be a valid Date');
  const accounts = entry.lines.map((line) => parseAccountCode(line.accountCode));
  for (const [code, rule] of rules) {
    const detail = rule(entry, accounts);
    if (detail !== undefined) return err(failure(code, detail));
  }
  const currency = firstCurrency(entry);
  assert.ok(currency !== undefined);
  return ok({
    entry,
    currency,
    accounts: accounts.map((account) => {
      assert.ok(account !== undefined);
      return account;
    }),
  });
}

/** The same entry with every line on the other side: what a correction posts. */
export function reversedLines(lines: readonly EntryLine[]): EntryLine[] {
  return lines.map((line) => ({
    accountCode: line.accountCode,
    side: line.side === 'debit' ? 'credit' : 'debit',
    amount: line.amount,
  }));
}
