/**
 * The onboarding pages through axe-core in Chromium, in English and Swahili, with their forms
 * empty and with errors showing: the agencies page, an agency's page with a fee change
 * waiting, the new-service page and a service's page. Zero WCAG 2.x A/AA violations. (The
 * journey through them is the route tests' and the end-to-end suite's; this is the pages.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { buildTestApp, testDeps } from '#test/helpers/app.ts';
import {
  chromiumProblem,
  closePage,
  expectNoAxeViolations,
  launchChromium,
  openPageAs,
} from '#test/helpers/browser.ts';
import { openTestDatabase } from '#test/helpers/databases.ts';
import { agencyForm, newMinistry, serviceFields, staffActor } from '#test/helpers/onboarding.ts';
import { signInAs } from '#test/helpers/sessions.ts';
import { proposeFeeChange } from './fee-change-service.ts';
import { createAgency } from './onboarding-service.ts';
import { onboardingPaths } from './onboarding-view-parts.ts';
import { createService } from './services-service.ts';

describe('onboarding pages in Chromium: axe', { skip: chromiumProblem ?? false }, () => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let baseUrl = '';
  let browser: Browser;
  let agencyId = '';
  let serviceId = '';
  let dispose: () => Promise<void> = async () => undefined;

  before(async () => {
    const opened = await openTestDatabase('pglite');
    database = opened.handle;
    dispose = opened.dispose;
    const deps = testDeps(database);
    const platformAdmin = await staffActor(database, 'platform-admin');
    const created = await createAgency(deps, platformAdmin,
      agencyForm(await newMinistry(database), 'Axe Film Board'));
    assert.ok(created.ok);
    agencyId = created.value.agencyId;
    const admin = await staffActor(database, 'agency-admin', agencyId);
    const service = await createService(deps, admin, agencyId,
      { fields: serviceFields('Axe licence'), eligibleAccountTypes: ['citizen'] });
    assert.ok(service.ok);
    serviceId = service.value.serviceId;
    assert.ok((await proposeFeeChange(deps, admin, { agencyId, serviceId, fields: {
      currency: 'KES', amount: '1,050.00', gazetteReference: 'Legal Notice No. 9 of 2026',
      effectiveFrom: '2099-01-01' } })).ok);
    app = await buildTestApp(database);
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await dispose();
  });

  for (const locale of ['en-KE', 'sw-KE']) {
    it(`has no violations, forms empty and wrong (${locale})`, async () => {
      const caller = await signInAs(database, 'platform-admin');
      const page = await openPageAs(browser, baseUrl, caller, { locale });
      try {
        await page.goto(onboardingPaths.agencies);
        await expectNoAxeViolations(page);
        await page.locator('form[action="/staff/agencies"] button[type="submit"]').click();
        await page.waitForSelector('.error-summary');
        await expectNoAxeViolations(page);
        await page.goto(onboardingPaths.agency(agencyId));
        await expectNoAxeViolations(page);
        await page.goto(onboardingPaths.newService(agencyId));
        await expectNoAxeViolations(page);
        await page.locator('#nameEn').fill('');
        await page.locator(`form[action="${onboardingPaths.services(agencyId)}"] ` +
          'button[type="submit"]').click();
        await page.waitForSelector('.error-summary');
        await expectNoAxeViolations(page);
        await page.goto(onboardingPaths.service(agencyId, serviceId));
        await expectNoAxeViolations(page);
        await page.locator('#amount').fill('ten shillings');
        await page.locator(`form[action="${onboardingPaths.feeChanges(agencyId, serviceId)}"] ` +
          'button[type="submit"]').click();
        await page.waitForSelector('.error-summary');
        await expectNoAxeViolations(page);
      } finally {
        await closePage(page);
      }
    });
  }
});
