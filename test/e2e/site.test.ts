/**
 * The site shell in a real browser (Chromium): the site pages (help, contact, privacy,
 * accessibility, terms) and the header of a signed-in person and of staff have no WCAG 2.x A/AA
 * violation in English or Swahili, and signing out from the header works with JavaScript off.
 * (A citizen's header is checked by identity.test.ts, whose signed-in pages carry it.)
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  base32Decode,
  demoCredentials,
  hotp,
  totpStepAt,
} from '#modules/identity/index.ts';
import { sitePages } from '#modules/site/index.ts';
import {
  closePage,
  describeInBrowser,
  expectNoAxeViolations,
  expectNoThirdPartyRequests,
} from '#test/helpers/browser.ts';

/** Each sign-in needs its own person: an authenticator code is good for one sign-in only. */
async function staffSignIn(page: Page, email: string): Promise<void> {
  await page.goto('/staff/sign-in');
  await page.getByLabel('Work e-mail address').fill(email);
  await page.getByLabel('Password').fill(demoCredentials.staffPassword);
  await page.getByLabel('Code from your authenticator app').fill(
    hotp(base32Decode(demoCredentials.staffTotpSecret), totpStepAt(new Date())));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL('**/staff');
}

describeInBrowser('the site shell in Chromium', (suite) => {
  it('the site pages have no accessibility violations, in English and Swahili', async () => {
    for (const locale of ['en-KE', 'sw-KE']) {
      const page = await suite().newPage({ locale });
      try {
        for (const sitePage of sitePages) {
          const response = await page.goto(sitePage.path);
          assert.equal(response?.status(), 200, sitePage.path);
          await expectNoAxeViolations(page);
        }
        expectNoThirdPartyRequests(page);
      } finally {
        await closePage(page);
      }
    }
  });

  it('the staff header has no violations, and signs out with JavaScript off', async () => {
    const page = await suite().newPage();
    try {
      await staffSignIn(page, 'supervisor.immigration@huduma.example');
      assert.equal(await page.locator('header.staff-header').count(), 1);
      for (const language of ['en', 'sw']) {
        for (const path of ['/staff', '/help']) {
          await page.goto(`/language?to=${language}&return=${encodeURIComponent(path)}`);
          await page.waitForURL(`**${path}`);
          await expectNoAxeViolations(page);
        }
      }
    } finally {
      await closePage(page);
    }
    const off = await suite().newPage({ javaScript: false });
    try {
      await staffSignIn(off, 'officer.immigration@huduma.example');
      const who = await off.locator('header .who').innerText();
      assert.match(who, /Signed in as Kibet Officer/);
      assert.match(who, /Agency officer/);
      await off.locator('header').getByRole('button', { name: 'Sign out' }).click();
      await off.waitForURL('**/sign-in?notice=signedOut');
      assert.equal(await off.locator('header .who').count(), 0);
    } finally {
      await closePage(off);
    }
  });
});
