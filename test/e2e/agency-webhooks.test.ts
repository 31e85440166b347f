/**
 * The agency webhooks pages in real Chromium (plain forms, no script of their own): an
 * agency's administrator adds an endpoint, sees its signing secret once, opens its delivery
 * log and disables it; axe finds no WCAG 2.x A/AA violation, in English or Swahili.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import {
  chromiumProblem,
  closePage,
  expectNoAxeViolations,
  expectNoThirdPartyRequests,
  launchChromium,
  openPageAs,
} from '#test/helpers/browser.ts';
import { openTestDatabase } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs } from '#test/helpers/sessions.ts';

describe('agency webhooks in Chromium', { skip: chromiumProblem ?? false }, () => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let baseUrl = '';
  let browser: Browser;
  let agencyId = '';
  let dispose: () => Promise<void> = async () => undefined;

  before(async () => {
    const opened = await openTestDatabase('pglite');
    database = opened.handle;
    dispose = opened.dispose;
    agencyId = await createTestAgency(database, 'Browser Webhooks Agency');
    app = await buildTestApp(database);
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await dispose();
  });

  async function adminPage(locale?: string): Promise<Page> {
    const caller = await signInAs(database, 'agency-admin', { agencyId });
    const page = await openPageAs(browser, baseUrl, caller,
      locale === undefined ? {} : { locale });
    return page;
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
