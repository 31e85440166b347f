/**
 * The agency integration page in real Chromium (plain forms, no script of its own): an
 * agency's administrator creates an API key, sees its secret once, rotates it with a day's
 * overlap; axe finds no WCAG 2.x A/AA violation, in English or Swahili.
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

describe('agency integration keys in Chromium', { skip: chromiumProblem ?? false }, () => {
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
    agencyId = await createTestAgency(database, 'Browser Keys Agency');
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
