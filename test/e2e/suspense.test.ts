/**
 * Suspense resolution in real Chromium, JavaScript off: a receipt with a mistyped reference
 * (sent over HTTP by the emulator, as M-Pesa sends it) is in the register; one finance officer
 * finds the invoice the payer meant and proposes the match; a second officer approves it and
 * the receipt leaves suspense. axe finds no WCAG 2.x A/AA violation (scripts on, for axe).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createInvoiceForService } from '#modules/payments/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import {
  chromiumProblem,
  closePage,
  expectNoAxeViolations,
  expectNoThirdPartyRequests,
  launchChromium,
  openPageAs,
} from '#test/helpers/browser.ts';
import { openTestDatabase } from '#test/helpers/databases.ts';
import {
  insertPaymentsFixture,
  newPayerId,
  startPaymentsHarness,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';

describe('suspense resolution in Chromium', { skip: chromiumProblem ?? false }, () => {
  let database: DatabaseHandle;
  let harness: PaymentsHarness;
  let browser: Browser;
  let reference = '';
  let dispose: () => Promise<void> = async () => undefined;

  before(async () => {
    const opened = await openTestDatabase('pglite');
    database = opened.handle;
    dispose = opened.dispose;
    await insertPaymentsFixture(database);
    harness = await startPaymentsHarness(database, { emulator: { externalValidation: false } });
    browser = await launchChromium();
    const bill = await createInvoiceForService(harness.deps, { service: 'fixture-passport',
      payerAccountId: newPayerId(), now: new Date() });
    assert.ok(bill.ok);
    reference = bill.value.reference;
    await harness.daraja.emulator.simulateC2b({ amountShillings: 1_050n,
      msisdn: '254708374149', billReference: 'MISTYPED1' });
    await harness.daraja.emulator.idle();
  });
  after(async () => {
    await browser?.close();
    await harness?.close();
    await dispose();
  });

  async function pageAs(caller: TestCaller, javaScript: boolean): Promise<Page> {
    const page = await openPageAs(browser, harness.url, caller, { javaScript });
    return page;
  }

  it('one officer proposes a match, a second approves it', async () => {
    const [maker, checker] = [await signInAs(database, 'finance-officer'),
      await signInAs(database, 'finance-officer')];
    const proposing = await pageAs(maker, false);
    try {
      await proposing.goto('/staff/suspense');
      await proposing.getByRole('cell', { name: 'MISTYPED1' }).waitFor();
      await proposing.locator('tbody a').first().click();
      await proposing.getByLabel('Bill reference the payer meant').fill(reference.toLowerCase());
      await proposing.getByRole('button', { name: 'Find the invoice' }).click();
      await proposing.getByText('Balance due').waitFor();
      await proposing.getByRole('button', { name: 'Propose this match' }).click();
      await proposing.getByRole('status').getByText('The match is proposed.').waitFor();
      assert.equal(await proposing.getByRole('button', { name: 'Approve the match' }).count(), 1);
      expectNoThirdPartyRequests(proposing);
    } finally {
      await closePage(proposing);
    }
    const approving = await pageAs(checker, true);
    try {
      await approving.goto('/staff/suspense');
      await approving.getByText(`Match to ${reference} awaiting approval`).waitFor();
      await expectNoAxeViolations(approving);
      await approving.locator('tbody a').first().click();
      await expectNoAxeViolations(approving);
      await approving.getByRole('button', { name: 'Approve the match' }).click();
      await approving.getByRole('status').getByText('The match is approved').waitFor();
      await approving.getByText('Matched to an invoice').waitFor();
      await expectNoAxeViolations(approving);
      await approving.goto('/staff/suspense');
      await approving.getByText('No receipt is held in suspense.').waitFor();
    } finally {
      await closePage(approving);
    }
  });
});
