/**
 * The agency integration page in real Chromium (plain forms, no script of its own): an
 * agency's administrator creates an API key, sees its secret once, rotates it with a day's
 * overlap; axe finds no WCAG 2.x A/AA violation, in English or Swahili.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  closePage,
  describeAgencyInBrowser,
  expectNoAxeViolations,
  expectNoThirdPartyRequests,
} from '#test/helpers/browser.ts';

describeAgencyInBrowser('agency integration keys in Chromium', 'Browser Keys Agency', (suite) => {
  async function adminPage(locale?: string): Promise<Page> {
    return suite().pageAs('agency-admin', locale === undefined ? {} : { locale });
  }

  it('creates a key shown once, rotates it; axe-clean in English and Swahili', async () => {
    const page = await adminPage();
    try {
      await page.goto('/staff/agency-integration');
      await expectNoAxeViolations(page);
      await page.getByLabel('Name').fill('Billing system');
      await page.getByRole('button', { name: 'Create key' }).click();
      const secret = await page.getByRole('status').locator('code').textContent();
      assert.match(secret ?? '', /^hk_[a-z0-9]{12}_/);
      await expectNoAxeViolations(page);
      await page.getByLabel('Old key works for').selectOption('24');
      await page.getByRole('button', { name: 'Rotate' }).click();
      await page.getByText('Revoked from').waitFor();
      expectNoThirdPartyRequests(page);
    } finally {
      await closePage(page);
    }
    const swahili = await adminPage('sw-KE');
    try {
      await swahili.goto('/staff/agency-integration');
      await swahili.getByText('Funguo za API ya muunganisho').first().waitFor();
      await expectNoAxeViolations(swahili);
    } finally {
      await closePage(swahili);
    }
  });
});
