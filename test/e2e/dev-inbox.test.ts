/**
 * The development inbox in a real browser (Chromium): a newcomer reads their sign-in code
 * with JavaScript off, in English and Swahili, and axe-core finds no WCAG 2.x A/AA violation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import {
  enqueueNotificationInTrx,
  notificationDeliverTopic,
  notificationDeliveryHandler,
  devInboxAdapter,
} from '#modules/notifications/index.ts';
import { systemClock } from '#platform/clock/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { runOutboxBatch } from '#platform/outbox/index.ts';
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

describe('the dev inbox in Chromium', { skip: chromiumProblem ?? false }, () => {
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl = '';
  let dispose: () => Promise<void> = async () => undefined;

  before(async () => {
    const database = await openTestDatabase('pglite');
    dispose = database.dispose;
    const db = database.handle.db;
    await db.transaction().execute(async (trx) => {
      await enqueueNotificationInTrx(trx, {
        channel: 'sms', to: '+254712345678', template: 'identity.sign-in-code', language: 'en',
        params: { code: '314159', minutes: '10' },
      }, new Date());
      await enqueueNotificationInTrx(trx, {
        channel: 'email', to: 'amina@example.org', template: 'payments.payment-received',
        language: 'sw',
        params: { amount: 'KES 4,600.00', billReference: 'HD7K2M9QX4PL', receiptNumber: 'TKL9X2' },
      }, new Date());
    });
    const logger = createLogger({ level: 'silent' });
    await runOutboxBatch({ db, clock: systemClock, logger, handlers: {
      [notificationDeliverTopic]: notificationDeliveryHandler({ db, clock: systemClock, logger,
        adapters: { sms: devInboxAdapter, email: devInboxAdapter } }),
    } });
    app = await buildTestApp(database.handle);
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await dispose();
  });

  for (const [locale, banner] of [
    ['en-KE', 'Development inbox: messages are NOT sent'],
    ['sw-KE', 'Sanduku la majaribio: ujumbe HAUTUMWI'],
  ] as const) {
    it(`shows the sign-in code with JavaScript off (${locale})`, async () => {
      const page = await openPage(browser, baseUrl, { javaScript: false, locale });
      try {
        await page.goto('/dev/inbox');
        assert.equal((await page.locator('[role=note] strong').innerText()).trim(), banner);
        assert.match(await page.locator('main').innerText(), /314159/);
        expectNoThirdPartyRequests(page);
      } finally {
        await closePage(page);
      }
    });

    // axe-core never finishes in a page with JavaScript disabled (its timers do not run), so
    // it checks the same server-rendered page with JavaScript on.
    it(`has no WCAG 2.x A/AA violation (${locale})`, async () => {
      const page = await openPage(browser, baseUrl, { javaScript: true, locale });
      try {
        await page.goto('/dev/inbox');
        await expectNoAxeViolations(page);
      } finally {
        await closePage(page);
      }
    });
  }
});
