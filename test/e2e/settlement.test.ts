/**
 * A settlement batch in real Chromium: the schedule prepared it (as the system); a finance
 * officer approves it, so does a second one (the batch is released and its bank file can be
 * downloaded); an officer records the bank's reference and the batch is settled. The forms
 * with JavaScript off; axe finds no WCAG 2.x A/AA violation, in English and Swahili.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createInvoiceForService } from '#modules/payments/index.ts';
import {
  prepareBatch,
  settlementDb,
  settlementPaths,
  upsertProfileInTrx,
} from '#modules/settlement/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import {
  chromiumProblem,
  closePage,
  expectNoAxeViolations,
  expectNoThirdPartyRequests,
  launchChromium,
  openPageAs,
} from '#test/helpers/browser.ts';
import { openTestDatabase } from '#test/helpers/databases.ts';
import {
  fixtureIds,
  insertPaymentsFixture,
  newPayerId,
  startPaymentsHarness,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';

describe('a settlement batch in Chromium', { skip: chromiumProblem ?? false }, () => {
  let database: DatabaseHandle;
  let harness: PaymentsHarness;
  let browser: Browser;
  let batchId = '';
  let dispose: () => Promise<void> = async () => undefined;

  before(async () => {
    const opened = await openTestDatabase('pglite');
    database = opened.handle;
    dispose = opened.dispose;
    await insertPaymentsFixture(database);
    await database.db.transaction().execute(async (trx) => {
      for (const payee of [fixtureIds.agency, 'treasury']) {
        await upsertProfileInTrx(settlementDb(trx), { payee, bank_name: 'Central Bank of Kenya',
          bank_code: '09', branch: 'Nairobi', account_number: '100012345678',
          account_name: payee === 'treasury' ? 'Exchequer' : 'Immigration Collections',
          schedule_days: 1, sla_days: 2, updated_at: new Date() });
      }
    });
    harness = await startPaymentsHarness(database, { emulator: { externalValidation: false } });
    browser = await launchChromium();
    const bill = await createInvoiceForService(harness.deps, { service: 'fixture-passport',
      payerAccountId: newPayerId(), now: new Date() });
    assert.ok(bill.ok);
    await harness.daraja.emulator.simulateC2b({ amountShillings: 1_050n,
      msisdn: '254708374149', billReference: bill.value.reference });
    await harness.daraja.emulator.idle();
    const prepared = await prepareBatch(harness.deps, { currency: 'KES', cutoff: new Date(),
      actor: { kind: 'system', id: 'settlement-schedule' }, now: new Date() });
    assert.ok(prepared.batch !== undefined);
    batchId = prepared.batch.id;
  });
  after(async () => {
    await browser?.close();
    await harness?.close();
    await dispose();
  });

  async function pageAs(caller: TestCaller, options: Readonly<{ javaScript?: boolean;
    locale?: string }>): Promise<Page> {
    const page = await openPageAs(browser, harness.url, caller, options);
    return page;
  }

  it('is approved by two officers and recorded settled', async () => {
    const [maker, checker] = [await signInAs(database, 'finance-officer'),
      await signInAs(database, 'finance-officer')];
    for (const [officer, notice] of [[maker, 'Your approval is recorded.'],
      [checker, 'Your approval is recorded.']] as const) {
      const page = await pageAs(officer, { javaScript: false });
      try {
        await page.goto(settlementPaths.page);
        await page.locator('tbody a').first().click();
        await page.getByRole('button', { name: 'Approve this batch' }).click();
        await page.getByRole('status').getByText(notice).waitFor();
        expectNoThirdPartyRequests(page);
      } finally {
        await closePage(page);
      }
    }
    const page = await pageAs(maker, { javaScript: false });
    try {
      await page.goto(settlementPaths.batch(batchId));
      await page.getByText('Released to the bank').first().waitFor();
      const file = await page.request.get(settlementPaths.file(batchId));
      assert.match(await file.text(), /"Immigration Collections","1000\.00","KES"/);
      await page.getByLabel('Bank\'s reference').fill('FT26338XK2');
      await page.getByRole('button', { name: 'Record the batch as settled' }).click();
      await page.getByRole('status').getByText('The batch is recorded as settled.').waitFor();
      await page.getByText('FT26338XK2').waitFor();
    } finally {
      await closePage(page);
    }
    for (const locale of ['en-KE', 'sw-KE']) {
      const checked = await pageAs(checker, { locale });
      try {
        await checked.goto(settlementPaths.page);
        await expectNoAxeViolations(checked);
        await checked.goto(settlementPaths.batch(batchId));
        await expectNoAxeViolations(checked);
      } finally {
        await closePage(checked);
      }
    }
  });
});
