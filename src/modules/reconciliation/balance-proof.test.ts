/**
 * Property: the balance proof read from the few lines where the difference can change (the
 * reader's BalanceSteps and the lines the ledger posted otherwise) raises exactly the findings
 * the window over every line raises, on generated statements: balances that follow their
 * lines or jump, postings that agree, are nothing or differ, line numbers with gaps (records
 * over two lines), files oldest or newest first, and an opening balance.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { balanceFindingsInTrx } from './matching-repo.ts';
import type { AnyKysely } from './reconciliation-tables.ts';
import { StagedFacts } from './staged-facts.ts';
import type { StatementLine } from './statement-csv.ts';

const drawnLine = fc.record({
  gap: fc.integer({ min: 1, max: 3 }),
  amount: fc.integer({ min: 1, max: 900 }),
  paidIn: fc.boolean(),
  jump: fc.oneof(fc.constant(0), fc.integer({ min: -300, max: 300 })),
  // Every line has a ledger amount by the time of the proof (recordLedgerAmountsInTrx).
  posted: fc.constantFrom('own', 'own', 'own', 'nothing', 'other'),
});

type Finding = { line_number: number; amount_minor: string; detail: string };

async function findings(trx: AnyKysely, runId: string): Promise<Finding[]> {
  const rows = await sql<Finding>`select line_number, amount_minor::text as amount_minor, detail
    from reconciliation_finding where run_id = ${runId} order by line_number`.execute(trx);
  await sql`delete from reconciliation_finding where run_id = ${runId}`.execute(trx);
  return rows.rows;
}

describeOnDatabases('balance proof from its steps', (database) => {
  it('raises the findings the window over every line raises', async () => {
    const db = database().db;
    await fc.assert(fc.asyncProperty(fc.array(drawnLine, { minLength: 1, maxLength: 10 }),
      fc.boolean(), fc.integer({ min: -500, max: 500 }), async (drawn, newestFirst, opening) => {
        const runId = uuidv7(Date.now());
        let lineNumber = 0;
        const lines: (StatementLine & { ledger: bigint })[] = drawn.map((draw, index) => {
          lineNumber += draw.gap;
          const amount = BigInt(draw.amount);
          const own = draw.paidIn ? amount : -amount;
          const at = Date.UTC(2026, 10, 1, 8) + (newestFirst ? -index : index) * 60_000;
          return { lineNumber, receipt: `RB${index}`, completedAt: new Date(at),
            paidInMinor: draw.paidIn ? amount : 0n, withdrawnMinor: draw.paidIn ? 0n : amount,
            balanceMinor: 0n, transactionStatus: 'Completed', reasonType: '',
            linkedReceipt: '', accountReference: '', raw: '',
            ledger: { own, nothing: 0n, other: own + 7n }[draw.posted] };
        });
        // Balances that follow the lines in the proof's order, then jump where drawn.
        let balance = BigInt(opening);
        for (const index of lines.keys()) {
          const at = newestFirst ? lines.length - 1 - index : index;
          const line = lines[at];
          if (line === undefined) continue;
          balance += line.paidInMinor - line.withdrawnMinor + BigInt(drawn[at]?.jump ?? 0);
          lines[at] = { ...line, balanceMinor: balance };
        }
        const facts = new StagedFacts();
        facts.add(lines);
        const order = facts.window().newestFirst;
        await db.transaction().execute(async (trx) => {
          await sql`insert into reconciliation_run (id, source, shortcode, status, window_from,
              newest_first, started_by, started_at)
            values (${runId}, 'statement_csv', '222222', 'importing',
              ${new Date(Date.UTC(2026, 10, 1))}, ${order}, 'system:test', now())`.execute(trx);
          for (const line of lines) {
            await sql`insert into reconciliation_line (run_id, line_number, receipt,
                completed_at, paid_in_minor, withdrawn_minor, balance_minor,
                transaction_status, reason_type, ledger_minor)
              values (${runId}, ${line.lineNumber}, ${line.receipt}, ${line.completedAt},
                ${line.paidInMinor}, ${line.withdrawnMinor}, ${line.balanceMinor},
                'Completed', '', ${line.ledger})`.execute(trx);
          }
          const now = new Date();
          await balanceFindingsInTrx(trx, runId, '222222', now);
          const everyLine = await findings(trx, runId);
          const steps = facts.balanceSteps(order);
          assert.ok(steps !== undefined);
          await balanceFindingsInTrx(trx, runId, '222222', now, steps);
          assert.deepEqual(await findings(trx, runId), everyLine);
        });
      }), { numRuns: 60 });
  });

  it('has no steps to offer when a line has no balance', () => {
    const facts = new StagedFacts();
    facts.add([{ lineNumber: 2, receipt: 'RB1', completedAt: new Date(0), paidInMinor: 1n,
      withdrawnMinor: 0n, balanceMinor: null, transactionStatus: 'Completed', reasonType: '',
      linkedReceipt: '', accountReference: '', raw: '' }]);
    assert.equal(facts.balanceSteps(false), undefined);
    assert.equal(new StagedFacts().balanceSteps(false), undefined);
  });
});
