/**
 * The auditor's pages and the public transparency pages in real Chromium: an auditor filters
 * the audit log, opens a record and runs the tamper check; a visitor (not signed in, scripts
 * off) chooses the month view of revenue; axe finds no WCAG 2.x A/AA violation on any of these
 * pages, in English or Swahili.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import {
  invoiceCovered,
  postEntryInTrx,
  receiptMatched,
  type Entry,
} from '#modules/ledger/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { money } from '#platform/money/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import {
  chromiumProblem,
  closePage,
  expectNoAxeViolations,
  expectNoThirdPartyRequests,
  launchChromium,
  openPage,
  openPageAs,
} from '#test/helpers/browser.ts';
import { openTestDatabase } from '#test/helpers/databases.ts';
import { createReportingAgency, insertTestInvoice } from '#test/helpers/reporting.ts';
import { signInAs } from '#test/helpers/sessions.ts';

describe('auditor and transparency pages in Chromium', { skip: chromiumProblem ?? false },
  () => {
    let database: DatabaseHandle;
    let app: FastifyInstance;
    let baseUrl = '';
    let browser: Browser;
    let dispose: () => Promise<void> = async () => undefined;

    const post = async (entry: Entry) => {
      const posted = await database.db.transaction().execute((trx) =>
        postEntryInTrx(trx, entry));
      assert.ok(posted.ok);
    };

    before(async () => {
      const opened = await openTestDatabase('pglite');
      database = opened.handle;
      dispose = opened.dispose;
      const agency = await createReportingAgency(database, 'Browser Transparency Agency');
      const at = new Date();
      const invoiceId = await insertTestInvoice(database, { agencyId: agency.agencyId,
        serviceId: agency.serviceIds[0] ?? '', feeVersionId: agency.feeVersionIds[0] ?? '',
        serviceFeeMinor: 100_000n, accessFeeMinor: 5_000n, issuedAt: at });
      await post(receiptMatched({ invoiceId, receipt: { channel: { kind: 'mpesa',
        shortcode: '222222' }, receiptNumber: 'BROWSER1' }, amount: money(105_000n, 'KES'),
      occurredAt: at }));
      const covered = invoiceCovered({ invoiceId, deposits: money(105_000n, 'KES'),
        agencyFees: [{ agencyId: agency.agencyId, amount: money(100_000n, 'KES') }],
        accessFee: money(5_000n, 'KES'), payerId: undefined, occurredAt: at });
      assert.ok(covered.ok);
      await post(covered.value);
      for (const action of ['INVOICE_ISSUED', 'ACCOUNT_SIGNED_IN', 'INVOICE_ISSUED']) {
        await database.db.transaction().execute((trx) => recordAuditInTrx(trx, {
          action, actor: { kind: 'staff', id: 'browser-officer', role: 'agency-officer' },
          subject: { type: 'invoice', id: invoiceId }, detail: { reference: 'BROWSER1' },
        }, at));
      }
      app = await buildTestApp(database);
      baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
      await app?.close();
      await dispose();
    });

    it('an auditor filters the log, opens a record and runs the tamper check; axe-clean',
      async () => {
        const auditor = await signInAs(database, 'auditor');
        const page = await openPageAs(browser, baseUrl, auditor);
        try {
          await page.goto('/staff');
          await page.getByRole('heading', { name: 'Auditing' }).waitFor();
          await page.getByRole('link', { name: 'Audit log' }).first().click();
          await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
          await expectNoAxeViolations(page);
          await page.getByLabel('Action, e.g. ACCOUNT_SIGNED_IN').fill('account_signed_in');
          await page.getByRole('button', { name: 'Filter' }).click();
          await page.waitForURL(/action=account_signed_in/);
          assert.equal(await page.locator('tbody tr').count(), 1);
          await page.locator('tbody tr a').first().click();
          await page.getByRole('heading', { name: /^Audit record \d+$/ }).waitFor();
          await expectNoAxeViolations(page);
          await page.goto('/staff/audit/verify');
          await expectNoAxeViolations(page);
          await page.getByRole('button', { name: 'Run the tamper check' }).click();
          await page.getByRole('heading', { name: 'The chain is sound' }).waitFor();
          await expectNoAxeViolations(page);
          expectNoThirdPartyRequests(page);
        } finally {
          await closePage(page);
        }
        const swahili = await openPageAs(browser, baseUrl, auditor, { locale: 'sw-KE' });
        try {
          for (const url of ['/staff/audit', '/staff/audit/verify?run=1']) {
            await swahili.goto(url);
            assert.equal(await swahili.locator('html').getAttribute('lang'), 'sw');
            await expectNoAxeViolations(swahili);
          }
        } finally {
          await closePage(swahili);
        }
      });

    it('a visitor, scripts off, chooses the month view; every page axe-clean in both languages',
      async () => {
        const noScript = await openPage(browser, baseUrl, { javaScript: false });
        try {
          await noScript.goto('/about');
          await noScript.getByRole('link', { name: /download it all as open data/ }).click();
          await noScript.getByRole('heading', { name: 'Revenue per day' }).waitFor();
          await noScript.getByLabel('Show revenue per').selectOption('month');
          await noScript.getByRole('button', { name: 'Show' }).click();
          await noScript.waitForURL(/view=month/);
          await noScript.getByRole('heading', { name: 'Revenue per month' }).waitFor();
          assert.ok(await noScript.getByText('Browser Transparency Agency').count() > 0);
        } finally {
          await closePage(noScript);
        }
        for (const locale of ['en-KE', 'sw-KE']) {
          const page = await openPage(browser, baseUrl, { locale });
          try {
            for (const url of ['/transparency', '/transparency?view=month',
              '/transparency/settlement', '/transparency/services', '/transparency/scorecard']) {
              await page.goto(url);
              await expectNoAxeViolations(page);
            }
            expectNoThirdPartyRequests(page);
          } finally {
            await closePage(page);
          }
        }
      });
  });
