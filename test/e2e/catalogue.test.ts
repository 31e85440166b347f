/**
 * The catalogue in a real browser (Chromium): finding a service (and being asked to sign in to
 * apply for it) with JavaScript on and off,
 * switching language, and axe-core finding no WCAG 2.x A/AA violation on any page type in
 * either language. Runs on PGlite only: the route tests (src/modules/catalogue/pages) cover
 * both databases, and here the browser is what is under test.
 *
 * HUDUMA_SCREENSHOT_DIR=<folder> also saves phone-sized screenshots of the home and service
 * pages there, to look at.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  closePage,
  describeInBrowser,
  expectNoAxeViolations,
  expectNoThirdPartyRequests,
} from '#test/helpers/browser.ts';

const passport = {
  slug: 'ordinary-passport-34-pages',
  nameEn: 'Ordinary passport (34 pages)',
  nameSw: 'Pasipoti ya kawaida (kurasa 34)',
};
const ministrySlug = 'ministry-of-interior-and-national-administration';
const agencySlug = 'department-of-immigration-services';

async function heading(page: Page): Promise<string> {
  return (await page.locator('h1').innerText()).trim();
}

async function searchToServiceAndApply(page: Page): Promise<void> {
  await page.goto('/');
  assert.equal(await heading(page), 'Government services in one place');
  await page.getByLabel('Search for a government service').fill('passport');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL('**/services?q=passport');
  assert.equal(await heading(page), 'Search results');
  assert.match(await page.locator('#results-count').innerText(), /\d+ services found/);
  await page.getByRole('link', { name: passport.nameEn }).click();
  await page.waitForURL(`**/services/${passport.slug}`);
  assert.equal(await heading(page), passport.nameEn);
  const fees = await page.locator('table.fees').innerText();
  assert.match(fees, /Service fee\s+KES\s4,550\.00/);
  assert.match(fees, /Access fee\s+KES\s50\.00/);
  assert.match(fees, /Total to pay\s+KES\s4,600\.00/);
  // Applying needs an account: signed out, "Apply now" asks to sign in and comes back after.
  await page.getByRole('link', { name: 'Apply now' }).click();
  await page.waitForURL('**/sign-in?**');
  assert.equal(await heading(page), 'Sign in');
  assert.equal(new URL(page.url()).searchParams.get('return'),
    `/services/${passport.slug}/apply`);
  expectNoThirdPartyRequests(page);
}

describeInBrowser('the catalogue in Chromium', (suite) => {
  it('search -> results -> service page -> apply, with JavaScript on', async () => {
    const page = await suite().newPage({ javaScript: true });
    try {
      await searchToServiceAndApply(page);
    } finally {
      await closePage(page);
    }
  });

  it('the same journey with JavaScript disabled', async () => {
    const page = await suite().newPage({ javaScript: false });
    try {
      // With scripting off, <noscript> content is parsed as elements: proof it is off.
      await page.setContent('<noscript><p id="off">scripts are off</p></noscript>');
      assert.equal(await page.locator('#off').count(), 1);
      await searchToServiceAndApply(page);
    } finally {
      await closePage(page);
    }
  });

  it('filters by ministry, then agency, with plain forms (JavaScript off)', async () => {
    const page = await suite().newPage({ javaScript: false });
    try {
      await page.goto('/services?q=passport');
      assert.equal(await page.locator('#filter-agency').count(), 0, 'no agency list yet');
      await page.getByLabel('Ministry').selectOption(ministrySlug);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(`**/services?q=passport&ministry=${ministrySlug}`);
      await page.getByLabel('Agency').selectOption(agencySlug);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(`**/services?q=passport&ministry=${ministrySlug}&agency=${agencySlug}`);
      assert.match(await page.locator('#results-count').innerText(), /services? found/);
      await page.getByRole('link', { name: 'Clear filters' }).click();
      await page.waitForURL('**/services?q=passport');
    } finally {
      await closePage(page);
    }
  });

  it('switches to Swahili and back, staying on the same page', async () => {
    const page = await suite().newPage({ javaScript: false });
    try {
      await page.goto(`/services/${passport.slug}`);
      await page.getByRole('link', { name: 'Kiswahili' }).click();
      await page.waitForURL(`**/services/${passport.slug}`);
      assert.equal(await page.locator('html').getAttribute('lang'), 'sw');
      assert.equal(await heading(page), passport.nameSw);
      assert.match(await page.locator('table.fees').innerText(), /Jumla ya kulipa/);
      await page.goto('/ministries');
      assert.equal(await heading(page), 'Wizara', 'the choice is remembered');
      await page.getByRole('link', { name: 'English' }).click();
      await page.waitForURL('**/ministries');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.equal(await heading(page), 'Ministries');
    } finally {
      await closePage(page);
    }
  });

  it('the axe check fails, naming the rule, on a page with a violation', async () => {
    const off = await suite().newPage({ javaScript: false });
    await assert.rejects(expectNoAxeViolations(off), /axe needs JavaScript/);
    await closePage(off);
    const page = await suite().newPage({ javaScript: true });
    try {
      await page.setContent('<html><body><main><img src="data:,"></main></body></html>');
      await assert.rejects(expectNoAxeViolations(page), (error: Error) => {
        assert.match(error.message, /image-alt/);
        assert.match(error.message, /html-has-lang/);
        return true;
      });
    } finally {
      await closePage(page);
    }
  });

  const pagesToCheck: readonly (readonly [string, string, number])[] = [
    ['home', '/', 200],
    ['search results', '/services?q=passport', 200],
    ['no results', '/services?q=qqqqxxxxzzzz', 200],
    ['all services, page 2', '/services?page=2', 200],
    ['ministries', '/ministries', 200],
    ['ministry', `/ministries/${ministrySlug}`, 200],
    ['agency', `/agencies/${agencySlug}`, 200],
    ['service', `/services/${passport.slug}`, 200],
    ['apply (signed out: sign in)', `/services/${passport.slug}/apply`, 200],
    ['about', '/about', 200],
    ['API docs', '/docs', 200],
    ['error codes', '/docs/errors', 200],
    ['not found', '/services/no-such-service', 404],
    ['bad request', '/services?page=0', 400],
  ];

  for (const locale of ['en-KE', 'sw-KE']) {
    it(`axe finds no WCAG A/AA violation on any page type (${locale})`, async () => {
      const page = await suite().newPage({ locale });
      try {
        for (const [name, url, status] of pagesToCheck) {
          const response = await page.goto(url);
          assert.equal(response?.status(), status, `${name}: ${url}`);
          assert.equal(await page.locator('html').getAttribute('lang'), locale.slice(0, 2));
          await expectNoAxeViolations(page);
        }
        expectNoThirdPartyRequests(page);
      } finally {
        await closePage(page);
      }
    });
  }

  it('axe passes at desktop width too, and screenshots can be taken', async () => {
    const page = await suite().newPage({ viewport: { width: 1280, height: 800 } });
    try {
      for (const url of ['/', `/services/${passport.slug}`, '/services?q=licence']) {
        await page.goto(url);
        await expectNoAxeViolations(page);
      }
    } finally {
      await closePage(page);
    }
    const folder = process.env.HUDUMA_SCREENSHOT_DIR;
    if (folder === undefined || folder === '') return;
    const phone = await suite().newPage({ viewport: { width: 360, height: 640 } });
    try {
      for (const [name, url] of [['home', '/'], ['service', `/services/${passport.slug}`],
        ['results', '/services?q=passport'], ['docs', '/docs']] as const) {
        await phone.goto(url);
        await phone.screenshot({ path: path.join(folder, `${name}.png`), fullPage: true });
      }
    } finally {
      await closePage(phone);
    }
  });
});
