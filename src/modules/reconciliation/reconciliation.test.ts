/**
 * Reconciling a statement (issue 11): every class of line, the findings, the balance proof
 * with the lines around a difference, a missing callback that becomes a payment allocated to
 * its invoice, a re-import that changes nothing, and a bad line that refuses the whole file.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import {
  accountCodes,
  balanceOf,
  entryCodes,
  postEntriesInTrx,
  refundApproved,
} from '#modules/ledger/index.ts';
import {
  createInvoiceForService,
  ingestContextFor,
  invoiceViewById,
  recordStatementPaymentsInTrx,
  type InvoiceView,
} from '#modules/payments/index.ts';
import { money } from '#platform/money/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { fixtureIds, insertPaymentsFixture, newPayerId } from '#test/helpers/payments.ts';
import { reconcileStatementCsv, type RunReport } from './reconciliation-service.ts';
import { listFindings, reconciliationDb } from './run-repo.ts';
import { statementText, type TestLine } from './test-statement.ts';

const shortcode = '174379';
const base = Date.parse('2026-12-02T06:00:00Z');
const at = (minutes: number) => new Date(base + minutes * 60_000);

function counts(report: RunReport, part: 'classes' | 'findings'): Record<string, number> {
  return Object.fromEntries(report[part].map((row) => [row.name, row.count]));
}

describeOnDatabases('reconciliation of a statement', (database) => {
  let deps: ModuleDeps;
  let paidInvoice: InvoiceView;
  let missingInvoice: InvoiceView;
  let lines: TestLine[];

  const reconcile = (text: string) => reconcileStatementCsv(deps, {
    csv: Readable.from([text]), shortcode, startedBy: 'system:test' });
  const countOf = async (table: string) => Number((await sql<{ n: string }>`
    select count(*) as n from ${sql.table(table)}`.execute(deps.db)).rows[0]?.n);

  before(async () => {
    deps = testDeps(database());
    await insertPaymentsFixture(database());
    const issue = async () => {
      const created = await createInvoiceForService(deps, { service: fixtureIds.passport,
        payerAccountId: newPayerId(), now: at(-60) });
      assert.ok(created.ok);
      return created.value;
    };
    paidInvoice = await issue();
    missingInvoice = await issue();
    const total = missingInvoice.total.amountMinor;
    // What callbacks told the platform: R10 in full, R11 for 70.00, R12 (not in the statement).
    await deps.db.transaction().execute(async (trx) => {
      await recordStatementPaymentsInTrx(trx, [
        ['RCN0000010', total, paidInvoice.reference, 0], ['RCN0000011', 70_00n, 'NOSUCH', 1],
        ['RCN0000012', 30_00n, 'UNKNOWN', 2],
      ].map(([receipt, amount, reference, minute]) => ({
        receiptNumber: receipt as string, amount: money(amount as bigint, 'KES'),
        accountReference: reference as string, paidAt: at(minute as number), shortcode,
        raw: 'callback', rawKind: 'mpesa_statement_line' as const,
      })), ingestContextFor(deps)());
      // A refund of 20.00 from suspense, paid out by B2C as RFB0000002.
      const posted = await postEntriesInTrx(trx, [
        refundApproved({ refundId: 'r1', source: { kind: 'suspense' },
          amount: money(20_00n, 'KES'), occurredAt: at(3) }),
        { code: entryCodes.refundPaidOut, idempotencyKey: 'refund:r1:paid', occurredAt: at(9),
          lines: [
            { accountCode: accountCodes.refundsPayable(), side: 'debit',
              amount: money(20_00n, 'KES') },
            { accountCode: accountCodes.mpesaCollection(shortcode), side: 'credit',
              amount: money(20_00n, 'KES') }],
          reference: { refundId: 'r1', providerReceipt: 'RFB0000002' } },
      ]);
      assert.ok(posted.ok);
    });
    lines = [
      { receipt: 'RCN0000010', at: at(0), paidInMinor: total, reference: paidInvoice.reference },
      { receipt: 'RCN0000011', at: at(1), paidInMinor: 75_00n, reference: 'NOSUCH' },
      { receipt: 'RCN0000013', at: at(4), paidInMinor: total, reference: missingInvoice.reference },
      { receipt: 'RCN0000013', at: at(4), paidInMinor: total, reference: missingInvoice.reference,
        balanceMinor: 0n },
      { receipt: 'SWP0000001', at: at(6), withdrawnMinor: 500_00n },
      { receipt: 'CHG0000001', at: at(7), withdrawnMinor: 1_00n,
        reason: 'Business Payment Charge', linked: 'RFB0000001' },
      { receipt: 'RFB0000001', at: at(8), withdrawnMinor: 100_00n,
        reason: 'Business Payment to Customer via API' },
      { receipt: 'RFB0000002', at: at(9), withdrawnMinor: 20_00n,
        reason: 'Business Payment to Customer via API' },
    ];
  });

  it('classifies every line once, creates the missing payment and proves the balance',
    async () => {
      const total = missingInvoice.total.amountMinor;
      // The duplicate line repeats the balance before it (the provider moved no money twice).
      const withBalances = lines.map((line, index) => index === 3
        ? { ...line, balanceMinor: total * 2n + 75_00n } : line);
      const report = await reconcile(statementText(withBalances));
      assert.equal(report.run.status, 'completed');
      assert.equal(report.run.lineCount, 8);
      assert.deepEqual(counts(report, 'classes'), { charge: 1, duplicate: 1, matched: 1,
        mismatch: 1, missing_callback: 1, refund_payout: 1, sweep: 1, unknown_withdrawal: 1 });
      assert.deepEqual(counts(report, 'findings'), { balance_difference: 2, duplicate: 1,
        mismatch: 1, missing_callback: 1, platform_only: 1, unknown_withdrawal: 1 });
      const findings = await listFindings(reconciliationDb(deps.db), report.run.id, 100);
      const balance = findings.filter((finding) => finding.kind === 'balance_difference');
      // The statement has 5.00 more from line 3 (the mismatch), 100.00 less from line 8.
      assert.deepEqual(balance.map((finding) => [finding.lineNumber, finding.amountMinor]),
        [[3, -5_00n], [8, 95_00n]]);
      assert.match(balance[0]?.detail ?? '', /lines around it: 2, 3, 4, 5/);
      assert.equal(findings.find((finding) => finding.kind === 'platform_only')?.receipt,
        'RCN0000012');
      const paid = await invoiceViewById(deps, missingInvoice.id);
      assert.equal(paid?.status, 'paid');
      assert.equal(paid?.allocations[0]?.receiptNumber, 'RCN0000013');
      const treasury = await balanceOf(deps.db, accountCodes.treasuryBank(), 'KES');
      assert.equal(treasury.amountMinor, 500_00n);
      const charges = await balanceOf(deps.db, accountCodes.providerCharges(), 'KES');
      assert.equal(charges.amountMinor, 1_00n);
    });

  it('changes nothing when the same statement is imported again', async () => {
    const total = missingInvoice.total.amountMinor;
    const text = statementText(lines.map((line, index) => index === 3
      ? { ...line, balanceMinor: total * 2n + 75_00n } : line));
    const before = await Promise.all(['payment', 'ledger_entry', 'reconciliation_finding',
      'reconciliation_line', 'payment_callback_raw'].map(countOf));
    const report = await reconcile(text);
    assert.equal(report.run.status, 'repeated');
    assert.ok(report.run.repeatOf !== null);
    const after = await Promise.all(['payment', 'ledger_entry', 'reconciliation_finding',
      'reconciliation_line', 'payment_callback_raw'].map(countOf));
    assert.deepEqual(after, before);
  });

  it('refuses a file with a bad line, naming it, and keeps nothing of it', async () => {
    const good = statementText([{ receipt: 'RBD0000001', at: at(20), paidInMinor: 10_00n,
      reference: 'X' }, { receipt: 'RBD0000002', at: at(21), paidInMinor: 10_00n }]);
    const bad = good.replace('RBD0000002', 'RBD0000002').replace(/10\.00,,20\.00/, 'ten,,20.00');
    const payments = await countOf('payment');
    const report = await reconcile(bad);
    assert.equal(report.run.status, 'rejected');
    assert.match(report.run.rejection ?? '', /^line 3: Paid In is not an amount/);
    assert.equal(await countOf('payment'), payments);
    assert.equal(report.classes.length, 0);
  });
});
