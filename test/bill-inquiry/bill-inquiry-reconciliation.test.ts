/**
 * Reconciliation of payments to agency bills (bill inquiry), both databases: a routed payment
 * a callback told us of is matched like any other line, and one the statement shows but no
 * callback did (a missing callback) becomes a payment allocated to its bill's invoice, made
 * then, not held in suspense. Reconciliation knows nothing of bill inquiry: it matches by
 * receipt, amount and account reference, and payments makes the invoice.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { before, it } from 'node:test';
import {
  generateBillReference,
  ingestContextFor,
  invoiceView,
  recordStatementPaymentsInTrx,
  saveBillInquiryRoute,
} from '#modules/payments/index.ts';
import { reconcileStatementCsv, statementText } from '#modules/reconciliation/index.ts';
import { money } from '#platform/money/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { fixtureIds, insertPaymentsFixture } from '#test/helpers/payments.ts';

const shortcode = '174379';
const base = Date.parse('2026-12-03T06:00:00Z');
const at = (minutes: number) => new Date(base + minutes * 60_000);
const randomBytes = (count: number) => crypto.getRandomValues(new Uint8Array(count));

describeOnDatabases('reconciling payments to agency bills', (database) => {
  let deps: ModuleDeps;
  before(async () => {
    deps = testDeps(database());
    await insertPaymentsFixture(database());
    const saved = await saveBillInquiryRoute(deps, { scope: fixtureIds.agency, prefix: 'KQ',
      service: fixtureIds.permit, lookupUrl: 'https://bills.example.test/lookup',
      timeoutMs: 1_000, fallback: 'accept', allowsPartPayment: false, production: false,
      actor: { kind: 'system', id: null }, now: new Date() });
    assert.ok(saved.ok);
  });

  it('matches a routed payment, and allocates a missing callback to its bill', async () => {
    const told = generateBillReference(randomBytes, 'KQ');
    const missing = generateBillReference(randomBytes, 'KQ');
    await deps.db.transaction().execute(async (trx) => {
      await recordStatementPaymentsInTrx(trx, [{ receiptNumber: 'RBQ0000001',
        amount: money(1_200_00n, 'KES'), accountReference: told, paidAt: at(0), shortcode,
        raw: 'callback', rawKind: 'mpesa_statement_line' }], ingestContextFor(deps)());
    });
    const report = await reconcileStatementCsv(deps, { csv: Readable.from([statementText([
      { receipt: 'RBQ0000001', at: at(0), paidInMinor: 1_200_00n, reference: told },
      { receipt: 'RBQ0000002', at: at(1), paidInMinor: 800_00n, reference: missing },
    ])]), shortcode, startedBy: 'system:test' });
    assert.equal(report.run.status, 'completed');
    const classes = Object.fromEntries(report.classes.map((row) => [row.name, row.count]));
    assert.deepEqual(classes, { matched: 1, missing_callback: 1 });
    const found = await invoiceView(deps, missing);
    assert.equal(found?.status, 'paid', 'the missing payment paid its bill\'s invoice');
    assert.equal(found.agencyId, fixtureIds.agency);
    assert.equal(found.allocations[0]?.receiptNumber, 'RBQ0000002');
    assert.equal((await invoiceView(deps, told))?.status, 'paid');
  });
});
