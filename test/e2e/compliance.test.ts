/**
 * The compliance pages in real Chromium (plain forms, no script of their own): the desk issues
 * a comply-or-explain notice and records an exemption; the agency's administrator answers the
 * notice and declares a legacy paybill and outside revenue; a second desk member approves the
 * exemption; the scorecard sorts by a column link. axe finds no WCAG 2.x A/AA violation on
 * any of these pages, in English or Swahili.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Role } from '#modules/authorisation/index.ts';
import {
  closePage,
  describeAgencyInBrowser,
  expectNoAxeViolations,
  expectNoThirdPartyRequests,
} from '#test/helpers/browser.ts';

describeAgencyInBrowser('compliance pages in Chromium', 'Browser Compliance Agency', (suite) => {
  const pageAs = (role: Role, locale?: string): Promise<Page> =>
    suite().pageAs(role, locale === undefined ? {} : { locale });

  async function as(role: Role, steps: (page: Page) => Promise<void>, locale?: string) {
    const page = await pageAs(role, locale);
    try {
      await steps(page);
      expectNoThirdPartyRequests(page);
    } finally {
      await closePage(page);
    }
  }

  it('issues, answers and registers; axe-clean in English and Swahili', async () => {
    await as('platform-admin', async (page) => {
      await page.goto('/staff/compliance');
      await expectNoAxeViolations(page);
      await page.getByLabel('Agency').selectOption({ label: 'Browser Compliance Agency' });
      await page.getByLabel('Subject').fill('Legacy paybill still open');
      await page.getByLabel('Notice', { exact: true }).fill('Explain why it is still open.');
      await page.getByLabel('Deadline').fill('2099-01-31');
      await page.getByRole('button', { name: 'Issue the notice' }).click();
      await page.getByText('The notice is issued.').waitFor();
      await expectNoAxeViolations(page);
      await page.goto(`/staff/compliance/agencies/${suite().agencyId}`);
      await page.getByLabel('Reason').fill('Runs its own billing system');
      await page.getByLabel('Plan to move onto the platform').fill('Bill inquiry by March');
      await page.getByLabel('Expires on').fill('2099-03-31');
      await page.getByRole('button', { name: 'Record the exemption' }).click();
      await page.getByText('a second person must approve it').waitFor();
      await expectNoAxeViolations(page);
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.getByText('cannot approve it').first().waitFor();
    });
    await as('agency-admin', async (page) => {
      await page.goto('/staff/compliance');
      await page.getByRole('link', { name: 'Legacy paybill still open' }).click();
      await expectNoAxeViolations(page);
      await page.getByLabel('Your answer').fill('It closes at the end of the month.');
      await page.getByRole('button', { name: 'Send the answer' }).click();
      await page.getByText('Your answer is sent.').waitFor();
      await page.goto(`/staff/compliance/agencies/${suite().agencyId}`);
      await page.getByLabel('Paybill number').fill('123456');
      await page.getByLabel('Account name').fill('Licence fees');
      await page.getByLabel('To be closed by').fill('2099-06-30');
      await page.getByRole('button', { name: 'Declare the paybill' }).click();
      await page.getByText('The paybill is declared.').waitFor();
      await page.getByLabel('Month').fill('2026-01');
      await page.getByLabel('Amount').fill('125000.50');
      await page.getByRole('button', { name: 'Declare the revenue' }).click();
      await page.getByText('The revenue is declared.').waitFor();
      assert.ok(await page.getByText('KES 125,000.50').count() >= 1);
      await expectNoAxeViolations(page);
    });
    await as('platform-admin', async (page) => {
      await page.goto(`/staff/compliance/agencies/${suite().agencyId}`);
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.getByText('The exemption is approved and in force.').waitFor();
      await page.goto('/staff/compliance/scorecard');
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: 'Legacy paybills open' }).click();
      assert.match(page.url(), /sort=legacyPaybillsOpen&dir=asc/);
      await page.getByRole('columnheader', { name: /Legacy paybills open/ })
        .and(page.locator('[aria-sort="ascending"]')).waitFor();
    });
    await as('agency-admin', async (page) => {
      await page.goto(`/staff/compliance/agencies/${suite().agencyId}`);
      await page.getByText('Rejista ya utiifu').first().waitFor();
      await expectNoAxeViolations(page);
      await page.goto('/staff/compliance/scorecard');
      await expectNoAxeViolations(page);
    }, 'sw-KE');
  });
});
