/**
 * The acquirer's pages in Chromium: the whole payment with JavaScript off (card form, challenge,
 * back to the merchant), and axe-core on every page and error state with JavaScript on (axe is
 * a script). The emulator runs on its own port; the pages are English, as the acquirer's are.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  chromiumProblem,
  closePage,
  expectNoAxeViolations,
  expectNoThirdPartyRequests,
  launchChromium,
  openPage,
} from '#test/helpers/browser.ts';
import {
  startTestCardEmulator,
  testCardMerchant,
  type TestCardEmulator,
} from '#test/helpers/card-emulator.ts';

describe('card emulator pages in Chromium', { skip: chromiumProblem ?? false }, () => {
  let acquirer: TestCardEmulator;
  let browser: Browser;
  let keys = 0;
  before(async () => {
    acquirer = await startTestCardEmulator();
    browser = await launchChromium();
  });
  after(async () => {
    await browser.close();
    await acquirer.close();
  });

  /** A session whose return URL is on the emulator's own origin (others are blocked). */
  const open = async (currency = 'USD') => {
    const response = await fetch(`${acquirer.baseUrl}/v1/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testCardMerchant.secretKey}`,
        'idempotency-key': `browser-${keys += 1}`, 'content-type': 'application/json' },
      body: JSON.stringify({ merchantReference: 'BILL-7H2K9Q', amountMinor: '10100', currency,
        description: 'Tourist visa', returnUrl: `${acquirer.baseUrl}/_emulator/state`,
        notificationUrl: 'http://127.0.0.1:9/notify' }),
    });
    return await response.json() as { sessionId: string; hostedUrl: string };
  };
  const fillCard = async (page: Page, cardNumber: string, expiry = '08/29') => {
    await page.getByLabel('Card number').fill(cardNumber);
    await page.getByLabel('Expiry date').fill(expiry);
    await page.getByLabel('Security code (CVC)').fill('123');
    await page.getByLabel('Name on card').fill('Amina Njeri');
  };

  it('pays with the challenge card with JavaScript off', async () => {
    const { sessionId, hostedUrl } = await open();
    const page = await openPage(browser, acquirer.baseUrl, { javaScript: false });
    try {
      await page.goto(hostedUrl);
      await fillCard(page, '4242 4242 4242 4241');
      await page.getByRole('button', { name: /^Pay USD/ }).click();
      const error = page.locator('#cardNumber-error');
      assert.match(await error.innerText(), /valid card number/);
      assert.equal(await page.getByLabel('Card number').getAttribute('aria-invalid'), 'true');
      await fillCard(page, '4000 0000 0000 3220');
      await page.getByRole('button', { name: /^Pay USD/ }).click();
      await page.getByRole('heading', { name: 'Confirm the payment with your bank' }).waitFor();
      const shown = await page.getByText(/Test code: \d{6}/).innerText();
      await page.getByLabel('One-time code').fill(shown.replace(/\D/g, ''));
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.waitForURL(`${acquirer.baseUrl}/_emulator/state?sessionId=${sessionId}`);
      const session = acquirer.emulator.snapshot().sessions
        .find((s) => s['sessionId'] === sessionId);
      assert.equal(session?.['status'], 'succeeded');
      expectNoThirdPartyRequests(page);
    } finally {
      await closePage(page);
    }
  });

  it('has no axe violations on the card form, its errors, the challenge and closed pages',
    async () => {
      const { hostedUrl } = await open('KES');
      const page = await openPage(browser, acquirer.baseUrl);
      try {
        await page.goto(hostedUrl);
        await expectNoAxeViolations(page);
        await fillCard(page, '4242', '13/99');
        await page.getByRole('button', { name: /^Pay KES/ }).click();
        await page.locator('#expiry-error').waitFor();
        await expectNoAxeViolations(page);
        await fillCard(page, '4000000000003220');
        await page.getByRole('button', { name: /^Pay KES/ }).click();
        await page.getByLabel('One-time code').fill('000000');
        await page.getByRole('button', { name: 'Confirm' }).click();
        await page.locator('#code-error').waitFor();
        await expectNoAxeViolations(page);
        await page.getByRole('button', { name: 'Cancel payment' }).click();
        await page.waitForURL(/_emulator\/state/);
        await page.goto(hostedUrl);
        await page.getByRole('heading', { name: 'This payment is closed' }).waitFor();
        await expectNoAxeViolations(page);
        await page.goto(`${acquirer.baseUrl}/pay/cs_000000000000000000000000`);
        await expectNoAxeViolations(page);
      } finally {
        await closePage(page);
      }
    });
});
