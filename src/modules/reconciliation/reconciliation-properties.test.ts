/**
 * Property: for generated statements (random mixes of matched, missing, mismatched and
 * duplicate lines, and withdrawals), every line is classified exactly once, as generated,
 * and the class counts sum to the line count.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { ingestContextFor, recordStatementPaymentsInTrx } from '#modules/payments/index.ts';
import { money } from '#platform/money/index.ts';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { reconcileStatementCsv } from './reconciliation-service.ts';
import { statementText, type TestLine } from './test-statement.ts';

type Kind = 'matched' | 'missing_callback' | 'mismatch' | 'duplicate' | 'sweep' | 'charge' |
  'unknown_withdrawal';

const kinds = fc.constantFrom<Kind>('matched', 'missing_callback', 'mismatch', 'duplicate',
  'sweep', 'charge', 'unknown_withdrawal');

describeOnDatabases('reconciliation properties', (database) => {
  let statementNumber = 0;

  it('classifies every line exactly once, as generated', async () => {
    const deps = testDeps(database());
    await fc.assert(fc.asyncProperty(
      fc.array(fc.record({ kind: kinds, amount: fc.integer({ min: 1, max: 50_000 }) }),
        { minLength: 1, maxLength: 25 }),
      async (draws) => {
        statementNumber += 1;
        const prefix = `P${String(statementNumber).padStart(3, '0')}`;
        const base = Date.UTC(2026, 10, 1) + statementNumber * 3_600_000;
        const lines: TestLine[] = [];
        const recorded: [string, bigint][] = [];
        const expected: Kind[] = [];
        for (const [index, draw] of draws.entries()) {
          const at = new Date(base + index * 1_000);
          const amount = BigInt(draw.amount) * 100n;
          const receipt = `${prefix}X${String(index).padStart(4, '0')}`;
          const earlier = lines.findLast((line) => (line.paidInMinor ?? 0n) > 0n);
          if (draw.kind === 'duplicate' && earlier !== undefined) {
            lines.push({ ...earlier });
          } else if (draw.kind === 'sweep' || draw.kind === 'charge' ||
            draw.kind === 'unknown_withdrawal' || draw.kind === 'duplicate') {
            const kind = draw.kind === 'duplicate' ? 'unknown_withdrawal' : draw.kind;
            lines.push({ receipt, at, withdrawnMinor: amount, reason: kind === 'sweep'
              ? 'Organization Withdrawal to Bank' : kind === 'charge'
                ? 'Business Payment Charge' : 'Business Payment to Customer via API' });
            expected.push(kind);
            continue;
          } else {
            lines.push({ receipt, at, paidInMinor: amount, reference: 'NOREF' });
            if (draw.kind === 'matched') recorded.push([receipt, amount]);
            if (draw.kind === 'mismatch') recorded.push([receipt, amount + 100n]);
          }
          expected.push(draw.kind);
        }
        await deps.db.transaction().execute((trx) => recordStatementPaymentsInTrx(trx,
          recorded.map(([receipt, amount]) => ({ receiptNumber: receipt,
            amount: money(amount, 'KES'), accountReference: 'NOREF', paidAt: new Date(base),
            shortcode: '222222', raw: 'callback', rawKind: 'mpesa_statement_line' as const })),
          ingestContextFor(deps)()));
        const report = await reconcileStatementCsv(deps, {
          csv: Readable.from([statementText(lines, 1_000_000_00n)]), shortcode: '222222',
          startedBy: 'system:test' });
        assert.equal(report.run.status, 'completed');
        const classes = await sql<{ class: string | null }>`select class from
          reconciliation_line where run_id = ${report.run.id} order by line_number`
          .execute(deps.db);
        assert.deepEqual(classes.rows.map((row) => row.class), expected);
        const total = report.classes.reduce((sum, row) => sum + row.count, 0);
        assert.equal(total, lines.length);
        assert.equal(report.run.lineCount, lines.length);
      }), { numRuns: 12 });
  });
});
