/**
 * The bill inquiry page in real Chromium (plain forms, no script of its own): an agency's
 * administrator registers a prefix with its lookup address (the signing secret shown once),
 * sees a refused change explained at its field, changes the fallback and rotates the secret;
 * axe finds no WCAG 2.x A/AA violation, in English or Swahili, with or without an error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { identityCookieNames } from '#modules/identity/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import {
  chromiumProblem,
  closePage,
  expectNoAxeViolations,
  expectNoThirdPartyRequests,
  launchChromium,
  openPage,
} from '#test/helpers/browser.ts';
import { openTestDatabase } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs } from '#test/helpers/sessions.ts';

describe('bill inquiry page in Chromium', { skip: chromiumProblem ?? false }, () => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let baseUrl = '';
  let browser: Browser;
  let agencyId = '';
  const serviceSlug = `power-bills-${uuidv7().slice(-8)}`;
  let dispose: () => Promise<void> = async () => undefined;

  before(async () => {
    const opened = await openTestDatabase('pglite');
    database = opened.handle;
    dispose = opened.dispose;
    agencyId = await createTestAgency(database, 'Browser Power Agency');
    await sql`insert into service (id, agency_id, slug, name_en, origin)
      values (${uuidv7()}, ${agencyId}, ${serviceSlug}, 'Power bills', 'synthetic')`
      .execute(database.db);
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
    const page = await openPage(browser, baseUrl, locale === undefined ? {} : { locale });
    const [name = '', value = ''] = (caller.headers.cookie ?? '').split('=');
    assert.equal(name, identityCookieNames(false).session);
    await page.context().addCookies([{ name, value, url: baseUrl }]);
    return page;
  }

  it('registers (secret once), explains a refused change, changes the fallback, rotates the ' +
    'secret; axe-clean in English and Swahili', async () => {
    const page = await adminPage();
    try {
      await page.goto('/staff/bill-inquiry');
      await expectNoAxeViolations(page);
      await page.getByLabel('Reference prefix').fill('kp');
      await page.getByLabel('Service').fill(serviceSlug);
      await page.getByLabel('Bill lookup address (URL)').fill('https://bills.power.example/lookup');
      await page.getByRole('button', { name: 'Save' }).click();
      const secret = await page.getByRole('status').locator('code').textContent();
      assert.match(secret ?? '', /^bisec_[A-Za-z0-9_-]{43}$/);
      await expectNoAxeViolations(page);
      await page.goto('/staff/bill-inquiry');
      await page.getByLabel('Timeout (milliseconds)').fill('9000');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('alert').getByText('Enter a timeout from 100 to 5000').waitFor();
      await expectNoAxeViolations(page);
      await page.getByLabel('Timeout (milliseconds)').fill('2000');
      await page.getByLabel('Take the payment as unconfirmed').check();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('The bill inquiry settings are saved.').waitFor();
      await page.getByRole('cell', { name: 'Take the payment as unconfirmed' }).waitFor();
      await page.getByRole('button', { name: 'New signing secret' }).click();
      const rotated = await page.getByRole('status').locator('code').textContent();
      assert.match(rotated ?? '', /^bisec_/);
      assert.notEqual(rotated, secret);
      expectNoThirdPartyRequests(page);
    } finally {
      await closePage(page);
    }
    const swahili = await adminPage('sw-KE');
    try {
      await swahili.goto('/staff/bill-inquiry');
      await swahili.getByText('Ulizo la bili kutoka mfumo wenu wa bili').first().waitFor();
      await expectNoAxeViolations(swahili);
    } finally {
      await closePage(swahili);
    }
  });
});
