/**
 * Paying as a person, in real Chromium against the real app, with M-Pesa played by the Daraja
 * emulator on its own port calling our callback URLs over HTTP: invoice -> M-Pesa prompt ->
 * callback -> receipt (JavaScript on, and off: the page refreshes itself); a cancelled prompt
 * (1032) shows the failure and offers to try again; a lost callback (9001) is settled by the
 * scheduled STK query, run here by the outbox worker with its clock a minute ahead. axe finds
 * no WCAG 2.x A/AA violation on any page, in English or Swahili.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  createInvoiceForService,
  paymentsModule,
  receiptIssueTopic,
} from '#modules/payments/index.ts';
import { systemClock } from '#platform/clock/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { runOutboxBatch, startOutboxWorker, type OutboxWorker } from '#platform/outbox/index.ts';
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
import { insertPaymentsFixture, startPaymentsHarness, type PaymentsHarness }
  from '#test/helpers/payments.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';

const settleTimeoutMs = 30_000;

describe('paying as a person in Chromium', { skip: chromiumProblem ?? false }, () => {
  let database: DatabaseHandle;
  let harness: PaymentsHarness;
  let browser: Browser;
  let dispose: () => Promise<void> = async () => undefined;
  let receiptWorker: OutboxWorker | undefined;

  before(async () => {
    const opened = await openTestDatabase('pglite');
    database = opened.handle;
    dispose = opened.dispose;
    await insertPaymentsFixture(database);
    // The payer "answers" the prompt after 2.5 s, so the waiting page is seen (and checked).
    harness = await startPaymentsHarness(database,
      { emulator: { timing: { stkCompletionDelayMs: 2_500 } } });
    browser = await launchChromium();
    // Receipts are issued when money is allocated, by the outbox workers (npm start runs
    // them): one runs here for that topic only, as it would in production.
    const receiptHandler = paymentsModule.outboxHandlers?.(
      testDeps(database, { config: harness.config }))[receiptIssueTopic];
    assert.ok(receiptHandler !== undefined);
    receiptWorker = startOutboxWorker({ db: database.db, clock: systemClock,
      logger: createLogger({ level: 'silent' }), handlers: { [receiptIssueTopic]: receiptHandler },
      pollIntervalMs: 200 });
  });
  after(async () => {
    await receiptWorker?.stop();
    await browser?.close();
    await harness?.close();
    await dispose();
  });

  /** A signed-in citizen's page, and a fresh invoice of theirs. */
  async function citizenWithInvoice(options: Readonly<{ javaScript?: boolean; locale?: string }>):
    Promise<Readonly<{ page: Page; caller: TestCaller; reference: string }>> {
    const caller = await signInAs(database, 'account-holder');
    const page = await openPageAs(browser, harness.url, caller, options);
    const created = await createInvoiceForService(testDeps(database), {
      service: 'fixture-passport', payerAccountId: caller.id, now: new Date(),
    });
    assert.ok(created.ok);
    return { page, caller, reference: created.value.reference };
  }

  async function pushFromPayPage(page: Page, reference: string, phone: string): Promise<void> {
    await page.goto(`/pay/${reference}`);
    await page.getByRole('textbox', { name: /M-Pesa phone number|Nambari ya simu/ }).fill(phone);
    await page.locator('form[action$="/mpesa"] button[type=submit]').click();
    await page.waitForURL(/\/mpesa\/[0-9a-f-]+$/);
  }

  it('pays by the M-Pesa prompt and shows the receipt (JavaScript on, English)', async () => {
    const { page, reference } = await citizenWithInvoice({});
    try {
      await page.goto(`/pay/${reference}`);
      await expectNoAxeViolations(page);
      await pushFromPayPage(page, reference, '0712 345 678');
      assert.equal(await page.locator('h1').innerText(), 'Check your phone');
      await expectNoAxeViolations(page);
      await page.waitForURL(/\/receipts\/[0-9a-f-]+$/, { timeout: settleTimeoutMs });
      assert.match(await page.locator('h1').innerText(), /^Receipt HR[0-9A-Z]{10}$/);
      assert.match(await page.locator('main').innerText(), new RegExp(reference));
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: 'Check this receipt' }).click();
      assert.equal(await page.locator('h1').innerText(), 'This receipt is genuine');
      await expectNoAxeViolations(page);
      expectNoThirdPartyRequests(page);
    } finally {
      await closePage(page);
    }
  });

  it('pays with JavaScript off: the waiting page refreshes itself to the receipt', async () => {
    const { page, reference } = await citizenWithInvoice({ javaScript: false });
    try {
      await pushFromPayPage(page, reference, '0722 000 111');
      assert.equal(await page.locator('h1').innerText(), 'Check your phone');
      // With scripting off, <noscript> in <head> is parsed as elements: the refresh is live,
      // and it is the only thing that can move this page on.
      assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 1);
      await page.waitForURL(/\/receipts\/[0-9a-f-]+$/, { timeout: settleTimeoutMs });
      assert.match(await page.locator('h1').innerText(), /^Receipt HR/);
      expectNoThirdPartyRequests(page);
    } finally {
      await closePage(page);
    }
  });

  it('shows a cancelled prompt as a failure and offers to try again (Swahili)', async () => {
    const { page, reference } = await citizenWithInvoice({ locale: 'sw-KE' });
    try {
      await page.goto(`/pay/${reference}`);
      await expectNoAxeViolations(page);
      await pushFromPayPage(page, reference, '0712 341 032');
      await page.getByRole('heading', { name: 'Malipo hayakufanikiwa' })
        .waitFor({ timeout: settleTimeoutMs });
      assert.match(await page.locator('main').innerText(), /lilikataliwa kwenye simu/);
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: 'Jaribu tena' }).click();
      await page.waitForURL(new RegExp(`/pay/${reference}$`));
    } finally {
      await closePage(page);
    }
  });

  it('settles a lost callback by the scheduled STK query, then shows the receipt', async () => {
    const { page, reference } = await citizenWithInvoice({ locale: 'sw-KE' });
    try {
      await pushFromPayPage(page, reference, '0712 349 001');
      await harness.daraja.emulator.idle();
      assert.equal(await page.locator('h1').innerText(), 'Angalia simu yako');
      await expectNoAxeViolations(page);
      const deps = testDeps(database, { config: harness.config });
      const handlers = paymentsModule.outboxHandlers?.(deps) ?? {};
      assert.ok(Object.keys(handlers).length > 0, 'payments handles its scheduled STK queries');
      // The first query is due a minute after the push: run the worker as if it were then.
      const later = { now: () => new Date(Date.now() + 61_000) };
      const report = await runOutboxBatch({ db: database.db, clock: later,
        logger: createLogger({ level: 'silent' }), handlers });
      assert.ok(report.delivered >= 1, JSON.stringify(report));
      await page.waitForURL(/\/receipts\/[0-9a-f-]+$/, { timeout: settleTimeoutMs });
      assert.match(await page.locator('h1').innerText(), /^Risiti HR/);
      await expectNoAxeViolations(page);
    } finally {
      await closePage(page);
    }
  });
});
