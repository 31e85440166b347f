/**
 * The payment alerts page in real Chromium: Treasury sees the alerts M-Pesa deliveries raised
 * (posted over HTTP as M-Pesa posts them) and closes one with a note with JavaScript off; a
 * blank note is refused with the problem shown at the field. axe finds no WCAG 2.x A/AA
 * violation, in English or Swahili, with or without the problem shown.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createInvoiceForService } from '#modules/payments/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { testDeps } from '#test/helpers/app.ts';
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
  c2bConfirmationBody,
  insertPaymentsFixture,
  newPayerId,
  startPaymentsHarness,
  testCallbackToken,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { signInAs } from '#test/helpers/sessions.ts';

describe('payment alerts in Chromium', { skip: chromiumProblem ?? false }, () => {
  let database: DatabaseHandle;
  let harness: PaymentsHarness;
  let browser: Browser;
  let dispose: () => Promise<void> = async () => undefined;

  before(async () => {
    const opened = await openTestDatabase('pglite');
    database = opened.handle;
    dispose = opened.dispose;
    await insertPaymentsFixture(database);
    harness = await startPaymentsHarness(database);
    browser = await launchChromium();
    const created = await createInvoiceForService(testDeps(database), {
      service: 'fixture-passport', payerAccountId: newPayerId(), now: new Date() });
    assert.ok(created.ok);
    const confirm = (body: string) => fetch(
      `${harness.url}/api/v1/payments/callbacks/${testCallbackToken}/c2b/confirmation`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const reference = created.value.reference;
    await confirm(c2bConfirmationBody({ receipt: 'BRW0000001', shillings: 1_050n,
      billReference: reference }));
    await confirm(c2bConfirmationBody({ receipt: 'BRW0000001', shillings: 1_000n,
      billReference: reference }));
    await confirm(JSON.stringify({ ...JSON.parse(c2bConfirmationBody({ receipt: 'BRW0000002',
      shillings: 1_050n, billReference: reference })) as object, TransAmount: '1050.50' }));
  });
  after(async () => {
    await browser?.close();
    await harness?.close();
    await dispose();
  });

  async function treasuryPage(options: Readonly<{ javaScript?: boolean; locale?: string }>):
    Promise<Page> {
    const caller = await signInAs(database, 'treasury');
    const page = await openPageAs(browser, harness.url, caller, options);
    return page;
  }

  it('closes an alert with a note, JavaScript off', async () => {
    const page = await treasuryPage({ javaScript: false });
    try {
      await page.goto('/staff/payment-alerts');
      assert.equal(await page.locator('section').count(), 2);
      const first = page.locator('section').first();
      await first.getByRole('button', { name: 'Close this alert' }).click();
      await page.getByRole('alert').getByText('Write a closing note').waitFor();
      await page.locator('section').first().getByLabel('Closing note')
        .fill('Checked against the statement.');
      await page.locator('section').first().getByRole('button', { name: 'Close this alert' })
        .click();
      await page.getByRole('status').getByText('The alert is closed.').waitFor();
      assert.equal(await page.locator('section').count(), 1);
      await page.getByRole('link', { name: 'Show closed alerts' }).click();
      await page.getByText('Checked against the statement.').waitFor();
      expectNoThirdPartyRequests(page);
    } finally {
      await closePage(page);
    }
  });

  it('has no accessibility violations, in English and Swahili, with a problem shown',
    async () => {
      for (const locale of ['en-KE', 'sw-KE']) {
        const page = await treasuryPage({ locale });
        try {
          await page.goto('/staff/payment-alerts');
          await expectNoAxeViolations(page);
          await page.locator('section').first().locator('button[type=submit]').click();
          await page.getByRole('alert').waitFor();
          await expectNoAxeViolations(page);
          await page.goto('/staff/payment-alerts?state=closed');
          await expectNoAxeViolations(page);
        } finally {
          await closePage(page);
        }
      }
    });
});
