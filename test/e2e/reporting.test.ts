/**
 * The Treasury dashboard in real Chromium, JavaScript off: Treasury changes the period with the
 * form and reads the day's total in the table beside its chart; the access-fee proof lists a
 * bill planted with a wrong fee. axe finds no WCAG 2.x A/AA violation on the dashboard, the
 * proof and the refused-period page, in English and Swahili, for Treasury and for an agency
 * supervisor.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { postEntryInTrx, receiptMatched, receiptUnmatched } from '#modules/ledger/index.ts';
import type { Role } from '#modules/authorisation/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { money } from '#platform/money/index.ts';
import {
  chromiumProblem,
  closePage,
  expectNoAxeViolations,
  expectNoThirdPartyRequests,
  launchChromium,
  openPageAs,
} from '#test/helpers/browser.ts';
import { openTestDatabase } from '#test/helpers/databases.ts';
import { startPaymentsHarness, type PaymentsHarness } from '#test/helpers/payments.ts';
import { createReportingAgency, insertTestInvoice } from '#test/helpers/reporting.ts';
import { signInAs } from '#test/helpers/sessions.ts';

const period = '?from=2026-11-01&to=2026-11-30';

describe('Treasury dashboard in Chromium', { skip: chromiumProblem ?? false }, () => {
  let database: DatabaseHandle;
  let harness: PaymentsHarness;
  let browser: Browser;
  let agencyId = '';
  let dispose: () => Promise<void> = async () => undefined;

  before(async () => {
    const opened = await openTestDatabase('pglite');
    database = opened.handle;
    dispose = opened.dispose;
    harness = await startPaymentsHarness(database);
    browser = await launchChromium();
    const agency = await createReportingAgency(database, 'Browser Report Agency');
    agencyId = agency.agencyId;
    for (const [index, accessFeeMinor] of [5_000n, 4_000n].entries()) {
      const invoiceId = await insertTestInvoice(database, { agencyId,
        serviceId: agency.serviceIds[0] ?? '', feeVersionId: agency.feeVersionIds[0] ?? '',
        serviceFeeMinor: 100_000n, accessFeeMinor, issuedAt: new Date('2026-11-14T07:00:00Z') });
      await database.db.transaction().execute((trx) => postEntryInTrx(trx, receiptMatched({
        receipt: { channel: { kind: 'mpesa', shortcode: '222222' },
          receiptNumber: `BRWREP${index}` }, invoiceId,
        amount: money(100_000n + accessFeeMinor, 'KES'),
        occurredAt: new Date(`2026-11-1${String(4 + index)}T08:00:00Z`) })));
    }
    await database.db.transaction().execute((trx) => postEntryInTrx(trx, receiptUnmatched({
      receipt: { channel: { kind: 'card', provider: 'visa' }, receiptNumber: 'BRWREP9' },
      amount: money(2_500n, 'KES'), occurredAt: new Date('2026-11-20T08:00:00Z') })));
  });
  after(async () => {
    await browser?.close();
    await harness?.close();
    await dispose();
  });

  async function signedInPage(role: Role, options: Readonly<{ javaScript?: boolean;
    locale?: string }>): Promise<Page> {
    const caller = await signInAs(database, role, { agencyId });
    const page = await openPageAs(browser, harness.url, caller, options);
    return page;
  }

  it('changes the period with the form and proves the access fees, JavaScript off',
    async () => {
      const page = await signedInPage('treasury', { javaScript: false });
      try {
        await page.goto('/staff/reports');
        await page.getByLabel('From (Kenya date)').fill('2026-11-01');
        await page.getByLabel('To (Kenya date)').fill('2026-11-30');
        await page.getByRole('button', { name: 'Show' }).click();
        const row = page.getByRole('row', { name: /2026-11-15/ });
        assert.match(await row.innerText(), /1,040\.00/);
        assert.equal(await page.locator('svg[role="img"]').count(), 3);
        await page.getByRole('link', { name: 'Access fees against the gazetted tiers' }).click();
        await page.getByRole('status').getByText('1 bills did not charge').waitFor();
        expectNoThirdPartyRequests(page);
      } finally {
        await closePage(page);
      }
    });

  it('has no accessibility violations, in English and Swahili, for Treasury and an agency',
    async () => {
      for (const role of ['treasury', 'agency-supervisor'] as const) {
        for (const locale of ['en-KE', 'sw-KE']) {
          const page = await signedInPage(role, { locale });
          try {
            for (const url of [`/staff/reports${period}`, `/staff/reports/access-fees${period}`,
              '/staff/reports?from=2026-11-30&to=2026-11-01']) {
              await page.goto(url);
              await expectNoAxeViolations(page);
            }
          } finally {
            await closePage(page);
          }
        }
      }
    });
});
