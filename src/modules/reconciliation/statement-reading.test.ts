/**
 * Reading statements: amounts and times exactly as portals write them, and every way a line
 * can be unreadable refused with its line number. Pure: no database.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { it } from 'node:test';
import { money } from '#platform/money/index.ts';
import { pulledLine, readPulled } from './pull-source.ts';
import { readStatement, statementColumns, StatementLineError } from './statement-csv.ts';
import {
  kenyaDay,
  kenyaDayStart,
  minorText,
  parseAmountMinor,
  parseStatementTime,
} from './statement-formats.ts';

it('reads amounts exactly, a minus sign only where signed', () => {
  assert.equal(parseAmountMinor(''), 0n);
  assert.equal(parseAmountMinor('1,234.5'), 1_234_50n);
  assert.equal(parseAmountMinor('-20.00'), 20_00n);
  assert.equal(parseAmountMinor('-20.00', true), -20_00n);
  for (const bad of ['1.234', '12,34.00', 'ten', '1e5']) {
    assert.equal(parseAmountMinor(bad), undefined, bad);
  }
  assert.equal(minorText(-1_05n), '-1.05');
});

it('reads Kenya times, year first or day first, and refuses impossible ones', () => {
  assert.equal(parseStatementTime('2026-12-01 14:03:09')?.toISOString(),
    '2026-12-01T11:03:09.000Z');
  assert.equal(parseStatementTime('01-12-2026 14:03')?.toISOString(),
    '2026-12-01T11:03:00.000Z');
  for (const bad of ['2026-02-30 10:00:00', '2026-13-01 10:00:00', '2026-12-01 24:00:00',
    'yesterday']) {
    assert.equal(parseStatementTime(bad), undefined, bad);
  }
  assert.equal(kenyaDay(new Date('2026-12-01T21:30:00Z')), '2026-12-02');
  assert.equal(kenyaDayStart('2026-12-02').toISOString(), '2026-12-01T21:00:00.000Z');
});

async function refusal(text: string): Promise<string> {
  try {
    for await (const batch of readStatement(Readable.from([text])).batches) void batch;
  } catch (error) {
    assert.ok(error instanceof StatementLineError);
    return error.message;
  }
  return 'read';
}

const header = statementColumns.join(',');
const row = (fields: Partial<Record<(typeof statementColumns)[number], string>>) =>
  statementColumns.map((column) => fields[column] ?? ({ 'Receipt No.': 'RXX0000001',
    'Completion Time': '2026-12-01 10:00:00', 'Transaction Status': 'Completed',
    'Paid In': '10.00', Balance: '10.00', 'Reason Type': 'Pay Bill' } as Record<string,
    string>)[column] ?? '').join(',');

it('refuses every kind of unreadable line, naming it', async () => {
  assert.equal(await refusal(''), 'line 1: the file is empty');
  assert.match(await refusal('Receipt No.,Paid In\r\n'), /^line 1: the header lacks/);
  assert.match(await refusal(`${header}\r\n${row({})},extra\r\n`), /^line 2: 14 fields/);
  assert.match(await refusal(`${header}\r\n${row({})}\r\n"unclosed\r\n`),
    /^line 3: the file cannot be read as CSV \(Quote Not Closed/);
  const cases: [Partial<Record<(typeof statementColumns)[number], string>>, RegExp][] = [
    [{ 'Receipt No.': 'R-1' }, /Receipt No\./],
    [{ 'Completion Time': 'soon' }, /Completion Time/],
    [{ 'Paid In': 'x' }, /Paid In/],
    [{ Withdrawn: 'x' }, /Withdrawn is not/],
    [{ Withdrawn: '5.00' }, /exactly one/],
    [{ Balance: 'x' }, /Balance/],
    [{ 'Transaction Status': ' ' }, /Transaction Status/],
  ];
  for (const [fields, message] of cases) {
    assert.match(await refusal(`${header}\r\n${row({})}\r\n${row(fields)}\r\n`),
      new RegExp(`^line 3: .*${message.source}`));
  }
});

it('reads pulled records as paid-in lines, and refuses a failed page', async () => {
  const record = { transactionId: 'RPL0000001', transactionTime: new Date(0), msisdn: '2547',
    sender: '', transactionType: 'c2b-buy-goods-debit', billReference: 'REF',
    amount: money(5_00n, 'KES'), organizationName: 'HUDUMA' };
  assert.equal(pulledLine(record, 1).reasonType, 'Pay Merchant');
  const out = (transactionType: string) => pulledLine({ ...record, transactionType }, 2);
  assert.deepEqual([out('business-payment-to-customer'), out('reversal'),
    out('business-payment-charge'), out('organization-withdrawal-to-bank'), out('mystery')]
    .map((line) => [line.reasonType, line.paidInMinor, line.withdrawnMinor]), [
    ['Business Payment to Customer via API', 0n, 5_00n], ['Reversal', 0n, 5_00n],
    ['Business Payment Charge', 0n, 5_00n], ['Organization Withdrawal to Bank', 0n, 5_00n],
    ['mystery', 0n, 5_00n]]);
  const failing = { pullTransactions: () => Promise.resolve({ ok: false as const,
    error: { kind: 'network' } }) } as never;
  const reader = readPulled(failing, { from: new Date(0), to: new Date(1) });
  await assert.rejects(async () => {
    for await (const batch of reader.batches) void batch;
  }, /Pull Transactions failed at offset 0: network/);
});
