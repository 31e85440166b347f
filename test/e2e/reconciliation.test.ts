/**
 * Reconciliation in real Chromium: Treasury signs in, opens the reconciliation page, follows
 * the run of a statement with a line of each class, sees every class with its count, and
 * pages through one class's lines, then opens the trial balance. axe finds no WCAG 2.x A/AA
 * violation.
 */
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { ingestContextFor, recordStatementPaymentsInTrx } from '#modules/payments/index.ts';
import { reconcileStatementCsv, statementText } from '#modules/reconciliation/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { money } from '#platform/money/index.ts';
import {
  chromiumProblem,
  closePage,
  expectNoAxeViolations,
  expectNoThirdPartyRequests,
  launchChromium,
  openPageAs,
} from '#test/helpers/browser.ts';
import { openTestDatabase } from '#test/helpers/databases.ts';
import { startPaymentsHarness, type PaymentsHarness } from '#test/helpers/payments.ts';
import { signInAs } from '#test/helpers/sessions.ts';

describe('reconciliation in Chromium', { skip: chromiumProblem ?? false }, () => {
  let database: DatabaseHandle;
  let harness: PaymentsHarness;
  let browser: Browser;
  let dispose: () => Promise<void> = async () => undefined;

  before(async () => {
    const opened = await openTestDatabase('pglite');
    database = opened.handle;
    dispose = opened.dispose;
    harness = await startPaymentsHarness(database);
    browser = await launchChromium();
    const deps = harness.deps;
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 6, minute));
    await deps.db.transaction().execute((trx) => recordStatementPaymentsInTrx(trx,
      [['BRC0000001', 100_00n], ['BRC0000002', 70_00n]].map(([receipt, amount]) => ({
        receiptNumber: receipt as string, amount: money(amount as bigint, 'KES'),
        accountReference: 'NOREF', paidAt: at(0), shortcode: '222222', raw: 'callback',
        rawKind: 'mpesa_statement_line' as const })), ingestContextFor(deps)()));
    const paid = (receipt: string, minute: number, amount: bigint) =>
      ({ receipt, at: at(minute), paidInMinor: amount, reference: 'NOREF' });
    await reconcileStatementCsv(deps, { csv: Readable.from([statementText([
      paid('BRC0000001', 1, 100_00n), paid('BRC0000002', 2, 75_00n),
      paid('BRC0000003', 3, 40_00n), paid('BRC0000003', 3, 40_00n),
      { receipt: 'BRS0000001', at: at(4), withdrawnMinor: 50_00n },
      { receipt: 'BRS0000002', at: at(5), withdrawnMinor: 1_00n,
        reason: 'Business Payment Charge' },
      { receipt: 'BRS0000003', at: at(6), withdrawnMinor: 10_00n,
        reason: 'Business Payment to Customer via API' },
    ])]), shortcode: '222222', startedBy: 'system:test' });
  });
  after(async () => {
    await browser?.close();
    await harness?.close();
    await dispose();
  });

  it('shows Treasury a run with each class, axe clean', async () => {
    const caller = await signInAs(database, 'treasury');
    const page = await openPageAs(browser, harness.url, caller);
    try {
      await page.goto('/staff');
      await page.getByRole('link', { name: 'Reconciliation' }).first().click();
      await page.getByRole('heading', { name: 'Reconciliation with the M-Pesa statement' })
        .waitFor();
      await expectNoAxeViolations(page);
      await page.getByRole('table').getByRole('link').first().click();
      const classes = page.getByRole('table', { name: 'Lines by class' });
      for (const label of ['Matched', 'Missing callback', 'Amount or reference mismatch',
        'Duplicate', 'Sweep to the Treasury bank', 'Provider charge', 'Unknown withdrawal']) {
        await classes.getByRole('rowheader', { name: label }).waitFor();
      }
      await page.getByText('Balance difference').first().waitFor();
      await expectNoAxeViolations(page);
      await classes.getByRole('link', { name: 'Missing callback' }).click();
      await page.getByRole('cell', { name: 'BRC0000003' }).first().waitFor();
      // The trial balance beside it: the same money, by kind of account.
      await page.getByRole('link', { name: 'Ledger' }).first().click();
      await page.getByRole('heading', { name: 'Trial balance' }).waitFor();
      await page.getByText('Balanced: debits equal credits.').first().waitFor();
      await expectNoAxeViolations(page);
      expectNoThirdPartyRequests(page);
    } finally {
      await closePage(page);
    }
  });
});
