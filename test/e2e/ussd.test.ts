/**
 * The USSD simulator in real Chromium with JavaScript off, against the real app, M-Pesa played
 * by the Daraja emulator over HTTP: a whole session dials, finds a bill by its reference, pays
 * it with the prompt sent to the phone typed in, and the ledger shows the payment. axe finds no
 * WCAG 2.x A/AA violation on the simulator, in English and in Swahili.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { checkLedger } from '#modules/ledger/index.ts';
import { createInvoiceForService, invoiceView } from '#modules/payments/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import {
  chromiumProblem,
  closePage,
  expectNoAxeViolations,
  expectNoThirdPartyRequests,
  launchChromium,
  openPage,
} from '#test/helpers/browser.ts';
import { openTestDatabase } from '#test/helpers/databases.ts';
import {
  insertPaymentsFixture,
  newPayerId,
  startPaymentsHarness,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';

describe('the USSD simulator in Chromium', { skip: chromiumProblem ?? false }, () => {
  let database: DatabaseHandle;
  let harness: PaymentsHarness;
  let browser: Browser;
  let dispose: () => Promise<void> = async () => undefined;

  before(async () => {
    const opened = await openTestDatabase('pglite');
    database = opened.handle;
    dispose = opened.dispose;
    await insertPaymentsFixture(database);
    harness = await startPaymentsHarness(database);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await harness?.close();
    await dispose();
  });

  async function send(page: Page, answer: string): Promise<string> {
    await page.getByRole('textbox', { name: /Your answer|Jibu lako/ }).fill(answer);
    await page.getByRole('button', { name: /^(Send|Tuma)$/ }).click();
    return page.locator('pre.ussd-screen').innerText();
  }

  it('pays a bill in a whole session with JavaScript off, and the ledger shows it',
    async () => {
      const created = await createInvoiceForService(harness.deps, {
        service: 'fixture-passport', payerAccountId: newPayerId(), now: new Date() });
      assert.ok(created.ok);
      const { reference } = created.value;
      const page = await openPage(browser, harness.url, { javaScript: false });
      try {
        await page.goto('/ussd/simulator');
        await page.getByRole('textbox', { name: 'Phone number' }).fill('0708 374 149');
        await page.getByRole('button', { name: /^Dial / }).click();
        assert.match(await page.locator('pre.ussd-screen').innerText(), /^Huduma\n1 Pay a bill/);
        assert.match(await send(page, '1'), /Enter the bill reference/);
        const bill = await send(page, reference);
        assert.match(bill, /Due KES 1,050\.00\n1 Pay by M-Pesa on this phone/);
        assert.match(await send(page, '1'), /^An M-Pesa prompt for KES 1,050\.00/);
        assert.equal(await page.getByRole('status').innerText(), 'The session has ended.');
        await harness.daraja.emulator.idle();
        assert.equal((await invoiceView(harness.deps, reference))?.status, 'paid');
        const entries = await sql<{ n: string }>`select count(*)::text as n from ledger_entry
          where reference->>'invoiceId' = ${created.value.id}`.execute(database.db);
        assert.ok(Number(entries.rows[0]?.n) >= 1);
        assert.deepEqual((await checkLedger(database.db)).findings, []);
        expectNoThirdPartyRequests(page);
      } finally {
        await closePage(page);
      }
    });

  for (const [locale, names] of [
    ['en-KE', { title: 'USSD simulator', phone: 'Phone number', dial: /^Dial /,
      invalid: /Enter a Kenyan mobile number/ }],
    ['sw-KE', { title: 'Kiigaji cha USSD', phone: 'Nambari ya simu', dial: /^Piga /,
      invalid: /Weka nambari ya simu ya Kenya/ }],
  ] as const) {
    it(`has no axe violations in ${locale}: empty, a bad number, a session, a notice`,
      async () => {
        const page = await openPage(browser, harness.url, { locale });
        try {
          await page.goto('/ussd/simulator');
          assert.equal(await page.locator('h1').innerText(), names.title);
          await expectNoAxeViolations(page);
          await page.getByRole('textbox', { name: names.phone }).fill('12345');
          await page.getByRole('button', { name: names.dial }).click();
          assert.match(await page.getByRole('alert').innerText(), names.invalid);
          await expectNoAxeViolations(page);
          await page.getByRole('textbox', { name: names.phone }).fill('0711 000 444');
          await page.getByRole('button', { name: names.dial }).click();
          assert.match(await send(page, '7'), /Chagua lugha|Choose language/);
          await expectNoAxeViolations(page);
          assert.match(await send(page, '2'), /^Lugha imehifadhiwa\.\nHuduma\n1 Lipa bili/);
          assert.match(await send(page, '2'), /Angalia bili/);
          assert.match(await send(page, 'NOT-A-BILL'), /^Hakuna kilichopatikana/);
          await expectNoAxeViolations(page);
        } finally {
          await closePage(page);
        }
      });
  }
});
