/**
 * The entry rules as a table, in precedence order (TigerBeetle's state_machine_tests): each row
 * breaks its rule AND a later one, and must be reported as its own rule.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { money, type Currency } from '#platform/money/index.ts';
import { accountCodes } from './account-codes.ts';
import { entryCodes } from './entry-codes.ts';
import {
  amountMinorMax,
  entryRuleCodes,
  linesPerEntryMax,
  reversedLines,
  totalsOf,
  validateEntry,
  type Entry,
  type EntryLine,
  type EntryRuleCode,
} from './entry-rules.ts';

const invoiceId = '0190b2d0-1c4f-7a3e-8f00-2b5c6d7e8f90';
const paybill = accountCodes.mpesaCollection('222222');
const deposits = accountCodes.invoiceDeposits(invoiceId);

const line = (
  accountCode: string,
  side: 'debit' | 'credit',
  amountMinor: bigint,
  currency: Currency = 'KES',
): EntryLine => ({ accountCode, side, amount: money(amountMinor, currency) });

const valid: Entry = {
  code: 'TEST_RECEIPT_POSTED',
  idempotencyKey: 'test:1',
  occurredAt: new Date('2026-11-28T09:00:00Z'),
  lines: [line(paybill, 'debit', 150_00n), line(deposits, 'credit', 150_00n)],
  reference: { invoiceId },
};

const unbalanced = [line(paybill, 'debit', 150_00n), line(deposits, 'credit', 100_00n)];

const table: ReadonlyArray<readonly [EntryRuleCode, string, Partial<Entry>]> = [
  ['LEDGER_ENTRY_CODE_INVALID', 'lower-case code, bad key, unbalanced',
    { code: 'receipt posted', idempotencyKey: ' ', lines: unbalanced }],
  ['LEDGER_ENTRY_CODE_INVALID', 'code longer than 64', { code: 'A'.repeat(65) }],
  ['LEDGER_IDEMPOTENCY_KEY_INVALID', 'key with a space, personal reference',
    { idempotencyKey: 'mpesa: QK71', reference: { phone: '254712345678' } }],
  ['LEDGER_IDEMPOTENCY_KEY_INVALID', 'empty key', { idempotencyKey: '' }],
  ['LEDGER_IDEMPOTENCY_KEY_INVALID', 'key over 200', { idempotencyKey: 'k'.repeat(201) }],
  ['LEDGER_REFERENCE_INVALID', 'a phone number, unbalanced',
    { reference: { payer: '254712345678' }, lines: unbalanced }],
  ['LEDGER_REFERENCE_INVALID', 'an ID number', { reference: { subject: '12345678' } }],
  ['LEDGER_REFERENCE_INVALID', 'a name with a space', { reference: { payer: 'Jane Doe' } }],
  ['LEDGER_REFERENCE_INVALID', 'a key not camelCase', { reference: { 'invoice-id': invoiceId } }],
  ['LEDGER_REFERENCE_INVALID', 'too many keys', {
    reference: Object.fromEntries(Array.from({ length: 9 }, (_, index) => [`k${index}`, 'x'])),
  }],
  ['LEDGER_RECEIPT_MUST_NAME_PROVIDER_RECEIPT', 'receipt code without receipt, one line',
    { code: entryCodes.receiptHeldInSuspense, reference: {}, lines: [line(paybill, 'debit', 1n)] }],
  ['LEDGER_RECEIPT_MUST_NAME_PROVIDER_RECEIPT', 'receipt without channel',
    { code: entryCodes.receiptAllocatedToInvoice, reference: { providerReceipt: 'QK71ABC123' } }],
  ['LEDGER_ENTRY_MUST_HAVE_TWO_LINES', 'one line of zero',
    { lines: [line(paybill, 'debit', 0n)] }],
  ['LEDGER_ENTRY_MUST_HAVE_TWO_LINES', 'no lines', { lines: [] }],
  ['LEDGER_ENTRY_TOO_MANY_LINES', '65 lines on bad accounts', {
    lines: Array.from({ length: linesPerEntryMax + 1 }, (_, index) =>
      line(`cash:${index}`, 'debit', 1n)),
  }],
  ['LEDGER_ACCOUNT_CODE_INVALID', 'unknown account, zero amount',
    { lines: [line('cash', 'debit', 0n), line(deposits, 'credit', 0n)] }],
  ['LEDGER_ACCOUNT_CODE_INVALID', 'a phone number as payer id',
    { lines: [line(paybill, 'debit', 1n), line('credit:payer:254712345678', 'credit', 1n)] }],
  ['LEDGER_ACCOUNTS_MUST_BE_DIFFERENT', 'the same account twice, zero amount',
    { lines: [line(deposits, 'debit', 0n), line(deposits, 'credit', 0n)] }],
  ['LEDGER_AMOUNT_MUST_BE_POSITIVE', 'zero, mixed currencies',
    { lines: [line(paybill, 'debit', 0n), line(deposits, 'credit', 0n, 'USD')] }],
  ['LEDGER_AMOUNT_MUST_BE_POSITIVE', 'negative',
    { lines: [line(paybill, 'debit', -5n), line(deposits, 'credit', -5n)] }],
  ['LEDGER_AMOUNT_TOO_LARGE', 'over the limit, mixed currencies', {
    lines: [line(paybill, 'debit', amountMinorMax + 1n),
      line(deposits, 'credit', amountMinorMax + 1n, 'USD')],
  }],
  ['LEDGER_LINES_MUST_SHARE_CURRENCY', 'KES and USD, unbalanced',
    { lines: [line(paybill, 'debit', 150_00n), line(deposits, 'credit', 100_00n, 'USD')] }],
  ['LEDGER_ACCOUNT_CURRENCY_NOT_ALLOWED', 'dollars into the paybill, unbalanced', {
    lines: [line(paybill, 'debit', 150_00n, 'USD'), line(deposits, 'credit', 1_00n, 'USD')],
  }],
  ['LEDGER_ENTRY_MUST_BALANCE', 'debits above credits', { lines: unbalanced }],
  ['LEDGER_ENTRY_MUST_BALANCE', 'three lines, credits above debits', {
    lines: [line(paybill, 'debit', 100n), line(deposits, 'credit', 60n),
      line(accountCodes.suspense(), 'credit', 41n)],
  }],
];

describe('entry rules', () => {
  it('covers every rule, in precedence order', () => {
    assert.deepEqual([...new Set(table.map(([code]) => code))], [...entryRuleCodes]);
  });

  for (const [code, title, change] of table) {
    it(`${code}: ${title}`, () => {
      const result = validateEntry({ ...valid, ...change });
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.error.code, code);
    });
  }

  it('accepts a valid entry, with its currency and parsed accounts', () => {
    const result = validateEntry(valid);
    assert.ok(result.ok);
    assert.equal(result.value.currency, 'KES');
    assert.deepEqual(result.value.accounts.map((account) => account.kind),
      ['collection:mpesa', 'deposits:invoice']);
  });

  it('accepts the largest amount and the most lines', () => {
    const many = Array.from({ length: linesPerEntryMax - 1 }, (_, index) =>
      line(accountCodes.bankCollection(`bank-${index}`), 'debit', 1n));
    const result = validateEntry({ ...valid, lines: [...many,
      line(deposits, 'credit', BigInt(many.length))] });
    assert.ok(result.ok);
    assert.ok(validateEntry({ ...valid, lines: [line(paybill, 'debit', amountMinorMax),
      line(deposits, 'credit', amountMinorMax)] }).ok);
  });

  it('treats a bad occurredAt as a bug, not an input error', () => {
    assert.throws(() => validateEntry({ ...valid, occurredAt: new Date('nonsense') }),
      /occurredAt/);
  });

  it('reverses an entry into one that still balances', () => {
    const reversed = reversedLines(valid.lines);
    assert.deepEqual(reversed.map((item) => item.side), ['credit', 'debit']);
    assert.deepEqual(totalsOf(reversed), totalsOf(valid.lines));
    assert.ok(validateEntry({ ...valid, lines: reversed }).ok);
  });
});
