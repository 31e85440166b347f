/**
 * A refund in real Chromium, JavaScript off: a citizen who paid a bill twice asks for a refund
 * of their credit; a finance officer (another person) approves it; the emulator pays it by
 * M-Pesa B2C and posts the Result over HTTP; the citizen sees it paid. axe finds no WCAG 2.x
 * A/AA violation on the citizen's and the officer's pages (run where scripts are on).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createInvoiceForService, paymentsModule } from '#modules/payments/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { runOutboxBatch } from '#platform/outbox/index.ts';
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
  insertPaymentsFixture,
  startPaymentsHarness,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';

describe('a refund in Chromium', { skip: chromiumProblem ?? false }, () => {
  let database: DatabaseHandle;
  let harness: PaymentsHarness;
  let browser: Browser;
  let citizen: TestCaller;
  let dispose: () => Promise<void> = async () => undefined;

  before(async () => {
    const opened = await openTestDatabase('pglite');
    database = opened.handle;
    dispose = opened.dispose;
    await insertPaymentsFixture(database);
    harness = await startPaymentsHarness(database, { emulator: { externalValidation: false } });
    browser = await launchChromium();
    citizen = await signInAs(database, 'account-holder');
    const bill = await createInvoiceForService(harness.deps, { service: 'fixture-passport',
      payerAccountId: citizen.id, now: new Date() });
    assert.ok(bill.ok);
    for (let paid = 0; paid < 2; paid += 1) {
      await harness.daraja.emulator.simulateC2b({ amountShillings: 1_050n,
        msisdn: '254708374149', billReference: bill.value.reference });
    }
    await harness.daraja.emulator.idle();
  });
  after(async () => {
    await browser?.close();
    await harness?.close();
    await dispose();
  });

  async function pageAs(caller: TestCaller, javaScript: boolean): Promise<Page> {
    const page = await openPageAs(browser, harness.url, caller, { javaScript });
    return page;
  }

  it('asked by the citizen, approved by an officer, paid by M-Pesa', async () => {
    // The citizen's forms with JavaScript off; axe (which needs scripts) on the other pages.
    const mine = await pageAs(citizen, false);
    try {
      await mine.goto('/account/payments');
      await mine.getByRole('link', { name: 'ask for a refund' }).click();
      await mine.getByLabel('Amount in shillings').fill('1050');
      await mine.getByLabel('Reason').selectOption('double_payment');
      await mine.getByRole('button', { name: 'Ask for the refund' }).click();
      await mine.getByRole('status').getByText('Your refund request was received.').waitFor();
      await mine.getByRole('cell', { name: 'Awaiting approval' }).waitFor();

      const officer = await pageAs(await signInAs(database, 'finance-officer'), true);
      try {
        await officer.goto('/staff/refunds?status=requested');
        await officer.getByRole('link', { name: 'Open' }).first().click();
        await expectNoAxeViolations(officer);
        await officer.getByRole('button', { name: 'Approve the refund' }).click();
        await officer.getByRole('status')
          .getByText('The refund was approved and is being paid.').waitFor();
        expectNoThirdPartyRequests(officer);
      } finally {
        await closePage(officer);
      }

      const handlers = paymentsModule.outboxHandlers?.(harness.deps) ?? {};
      const sendTopic = 'payments.refund-send';
      const sender = handlers[sendTopic];
      assert.ok(sender !== undefined);
      await runOutboxBatch({ db: database.db, clock: harness.deps.clock,
        logger: createLogger({ level: 'silent' }), handlers: { [sendTopic]: sender } });
      await harness.daraja.emulator.idle();

      expectNoThirdPartyRequests(mine);
    } finally {
      await closePage(mine);
    }
    const seen = await pageAs(citizen, true);
    try {
      await seen.goto('/account/refunds');
      await seen.getByRole('cell', { name: 'Paid', exact: true }).waitFor();
      await expectNoAxeViolations(seen);
      await seen.goto('/account/refunds/new');
      await expectNoAxeViolations(seen);
    } finally {
      await closePage(seen);
    }
  });
});
