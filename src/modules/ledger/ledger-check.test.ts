/**
 * `huduma ledger check` on a sound ledger, then on one tampered with behind the ledger's back
 * (triggers off, rows changed): every broken invariant is named, with the entry or account.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '#platform/db/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import { describeOnDatabases, switchTriggersOffInTrx } from '#test/helpers/databases.ts';
import { accountCodes } from './account-codes.ts';
import type { Entry } from './entry-rules.ts';
import { checkLedger, type LedgerFinding } from './ledger-check-service.ts';
import { postEntryInTrx } from './ledger-service.ts';
import { receiptMatched, receiptUnmatched } from './receipt-postings.ts';

const occurredAt = new Date('2026-11-28T09:00:00Z');
const paybill = { kind: 'mpesa', shortcode: '222222' } as const;

/** Runs SQL with every trigger off (as an attacker with table rights could). */
async function tamper(db: Database, statement: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await switchTriggersOffInTrx(trx);
    await sql.raw(statement).execute(trx);
  });
}

async function post(db: Database, entry: Entry): Promise<string> {
  const result = await db.transaction().execute((trx) => postEntryInTrx(trx, entry));
  assert.ok(result.ok);
  return result.value.entryId;
}

const rulesOf = (findings: readonly LedgerFinding[]) =>
  findings.map((finding) => finding.rule).sort();

describeOnDatabases('ledger check', (database) => {
  const db = () => database().db;
  const invoiceId = uuidv7();
  let receiptEntryId = '';
  let unmatchedEntryId = '';

  it('passes a sound ledger, reading it in batches with progress', async () => {
    receiptEntryId = await post(db(), receiptMatched({ receipt: { channel: paybill,
      receiptNumber: 'QK71ABC123' }, invoiceId, amount: money(150_00n, 'KES'), occurredAt }));
    unmatchedEntryId = await post(db(), receiptUnmatched({ receipt: { channel: paybill,
      receiptNumber: 'QK71ABC124' }, amount: money(20_00n, 'KES'), occurredAt }));
    for (let count = 0; count < 3; count += 1) {
      await post(db(), receiptUnmatched({ receipt: { channel: { kind: 'card', provider: 'visa' },
        receiptNumber: `CARD000${count}` }, amount: money(1_00n, 'USD'), occurredAt }));
    }
    const progress: [number, number][] = [];
    const report = await checkLedger(db(), {
      batchSize: 2,
      onProgress: (done, total) => progress.push([done, total]),
    });
    assert.deepEqual(report.findings, []);
    assert.equal(report.ok, true);
    assert.equal(report.entriesChecked, 5);
    assert.equal(report.accountsChecked, 5);
    assert.deepEqual(progress.at(-1), [10, 10]);
    assert.ok(progress.length > 4, 'several batches');
    const currencies = report.trialBalance.currencies.map((currency) =>
      `${currency.currency} ${currency.debits.amountMinor} ${currency.balanced}`);
    assert.deepEqual(currencies, ['KES 17000 true', 'USD 300 true']);
  });

  it('names an entry changed so it no longer balances, and the trial balance', async () => {
    await tamper(db(), `update ledger_line set amount_minor = 14000
      where entry_id = '${receiptEntryId}' and side = 'debit'`);
    const report = await checkLedger(db());
    assert.equal(report.ok, false);
    assert.deepEqual(rulesOf(report.findings),
      ['ENTRY_DOES_NOT_BALANCE', 'TRIAL_BALANCE_NOT_ZERO']);
    const unbalanced = report.findings.find((item) => item.rule === 'ENTRY_DOES_NOT_BALANCE');
    assert.equal(unbalanced?.subject, `entry ${receiptEntryId} (RECEIPT_ALLOCATED_TO_INVOICE)`);
    assert.match(unbalanced?.detail ?? '', /debits 14000, credits 15000/);
    await tamper(db(), `update ledger_line set amount_minor = 15000
      where entry_id = '${receiptEntryId}' and side = 'debit'`);
    assert.equal((await checkLedger(db())).ok, true);
  });

  it('names a receipt posted twice, and a receipt entry that names no receipt', async () => {
    const copy = uuidv7();
    await tamper(db(), `
      insert into ledger_entry (id, code, currency, idempotency_key, reference, occurred_at)
        select '${copy}', code, currency, 'copied', reference, occurred_at
        from ledger_entry where id = '${receiptEntryId}';
      insert into ledger_line
        select '${copy}', line_number, account_code, currency, side, amount_minor
        from ledger_line where entry_id = '${receiptEntryId}';
      update ledger_entry set reference = '{}' where id = '${unmatchedEntryId}'`);
    const report = await checkLedger(db());
    assert.deepEqual(rulesOf(report.findings),
      ['RECEIPT_ENTRY_NAMES_NO_RECEIPT', 'RECEIPT_IN_MORE_THAN_ONE_ENTRY']);
    const twice = report.findings.find((item) => item.rule === 'RECEIPT_IN_MORE_THAN_ONE_ENTRY');
    assert.equal(twice?.subject, 'receipt mpesa:QK71ABC123');
    assert.match(twice?.detail ?? '', new RegExp(`${receiptEntryId}, ${copy}`));
    assert.match(report.findings.map((item) => item.subject).join(' '),
      new RegExp(unmatchedEntryId));
  });

  it('names a negative invoice deposit, lines in another currency, a lone line', async () => {
    const other = uuidv7();
    const entryId = uuidv7();
    const deposits = accountCodes.invoiceDeposits(other);
    await tamper(db(), `
      insert into ledger_account values
        ('${deposits}', 'KES', 'deposits:invoice', 'liability', 'credit', now());
      insert into ledger_entry (id, code, currency, idempotency_key, occurred_at)
        values ('${entryId}', 'TEST_REFUND_PAID', 'KES', 'tampered', now());
      insert into ledger_line values
        ('${entryId}', 1, '${deposits}', 'KES', 'debit', 500),
        ('${entryId}', 2, 'suspense', 'KES', 'credit', 500);
      update ledger_line set currency = 'USD'
        where entry_id = '${unmatchedEntryId}' and account_code = 'suspense';
      insert into ledger_entry (id, code, currency, idempotency_key, occurred_at)
        values ('${uuidv7()}', 'TEST_LONE_LINE', 'KES', 'lone', now())`);
    const report = await checkLedger(db());
    const rules = rulesOf(report.findings);
    for (const rule of ['ACCOUNT_BELOW_ZERO', 'ENTRY_LINES_IN_OTHER_CURRENCY',
      'ENTRY_HAS_FEWER_THAN_TWO_LINES']) {
      assert.ok(rules.includes(rule as LedgerFinding['rule']), rule);
    }
    const negative = report.findings.find((item) => item.rule === 'ACCOUNT_BELOW_ZERO');
    assert.equal(negative?.subject, `account ${deposits} (KES)`);
    assert.equal(negative?.detail, 'balance -500 minor units');
  });

  it('names accounts that disagree with the chart, and lines with no account', async () => {
    await tamper(db(), `
      insert into ledger_account values
        ('collection:mpesa:222222', 'USD', 'collection:mpesa', 'asset', 'debit', now()),
        ('cash', 'KES', 'cash', 'asset', 'debit', now()),
        ('collection:card:visa', 'KES', 'collection:bank', 'asset', 'debit', now());
      update ledger_line set account_code = 'collection:mpesa:999999'
        where entry_id = '${receiptEntryId}' and side = 'debit'`);
    const report = await checkLedger(db());
    const subjects = (rule: LedgerFinding['rule']) => report.findings
      .filter((item) => item.rule === rule).map((item) => item.subject);
    assert.deepEqual(subjects('ACCOUNT_CURRENCY_NOT_ALLOWED'),
      ['account collection:mpesa:222222 (USD)']);
    assert.deepEqual(subjects('ACCOUNT_NOT_IN_CHART'), ['account cash (KES)']);
    assert.deepEqual(subjects('ACCOUNT_DIFFERS_FROM_CHART'),
      ['account collection:card:visa (KES)']);
    assert.deepEqual(subjects('LINE_ACCOUNT_MISSING'),
      [`entry ${receiptEntryId} (RECEIPT_ALLOCATED_TO_INVOICE)`]);
    assert.equal(report.findingsCount, report.findings.length);
  });
});
