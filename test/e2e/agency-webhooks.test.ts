/**
 * The agency webhooks pages in real Chromium (plain forms, no script of their own): an
 * agency's administrator adds an endpoint, sees its signing secret once, opens its delivery
 * log and disables it; axe finds no WCAG 2.x A/AA violation, in English or Swahili.
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

describeAgencyInBrowser('agency webhooks in Chromium', 'Browser Webhooks Agency', (suite) => {
  async function adminPage(locale?: string): Promise<Page> {
    return suite().pageAs('agency-admin', locale === undefined ? {} : { locale });
  }

  it('adds an endpoint (secret shown once), opens its log, disables it; axe-clean in English ' +
    'and Swahili', async () => {
    const page = await adminPage();
    try {
      await page.goto('/staff/agency-webhooks');
      await expectNoAxeViolations(page);
      await page.getByLabel('Address (URL)').fill('https://billing.agency.example/hooks');
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      const secret = await page.getByRole('status').locator('code').textContent();
      assert.match(secret ?? '', /^whsec_[A-Za-z0-9_-]{43}$/);
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: 'https://billing.agency.example/hooks' }).click();
      await page.getByText('Nothing has been sent to this endpoint yet.').waitFor();
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: 'All webhook endpoints' }).click();
      await page.getByRole('button', { name: 'Disable' }).click();
      await page.getByText('The endpoint is disabled').waitFor();
      expectNoThirdPartyRequests(page);
    } finally {
      await closePage(page);
    }
    const swahili = await adminPage('sw-KE');
    try {
      await swahili.goto('/staff/agency-webhooks');
      await swahili.getByText('Webhooks kwa mifumo yenu').first().waitFor();
      await expectNoAxeViolations(swahili);
    } finally {
      await closePage(swahili);
    }
  });
});
