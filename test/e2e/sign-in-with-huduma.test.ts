/**
 * Sign in with Huduma in Chromium: the sample relying party (examples/sample-relying-party)
 * signs the demo citizen in with Huduma with JavaScript off (the Huduma sign-in with password
 * and SMS code, consent, back at the portal showing the name), then signs out through Huduma.
 * axe-core finds no WCAG violation on the new pages: consent in English and Swahili, the
 * sign-out question and its end, the ended sign-in and error pages, and the staff clients
 * page (en, sw).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startSampleRelyingParty, type SampleRelyingParty } from
  '../../examples/sample-relying-party/sample-relying-party.ts';
import { demoCredentials, demoPeople, identityCookieNames } from '#modules/identity/index.ts';
import { seedDemoData } from '../../src/seed.ts';
import { testDeps } from '#test/helpers/app.ts';
import { chromiumProblem, expectNoAxeViolations, launchChromium } from '#test/helpers/browser.ts';
import { openTestDatabase } from '#test/helpers/databases.ts';
import { freePort, libraryFormPost, registerTestClient, startFederationApp,
  type FederationApp } from '#test/helpers/federation.ts';
import { latestCodeSentTo } from '#test/helpers/inbox.ts';
import { createTestAgency, signInAs } from '#test/helpers/sessions.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { accessibleFormPost } from '../../src/modules/federation/form-post-page.ts';
import sw from '../../src/modules/federation/locales/sw.json' with { type: 'json' };

describe('Sign in with Huduma in Chromium', { skip: chromiumProblem ?? false }, () => {
  let database: DatabaseHandle;
  let dispose: () => Promise<void> = async () => undefined;
  let huduma: FederationApp;
  let party: SampleRelyingParty;
  let browser: Browser;

  before(async () => {
    const opened = await openTestDatabase('pglite');
    database = opened.handle;
    await seedDemoData(testDeps(database));
    huduma = await startFederationApp(database);
    const agencyId = await createTestAgency(database, 'County Permits');
    const port = await freePort();
    const rpUrl = `http://127.0.0.1:${String(port)}`;
    const client = await registerTestClient(database, { agencyId,
      redirectUris: [`${rpUrl}/callback`], postLogoutRedirectUris: [`${rpUrl}/`],
      scopes: ['openid', 'profile', 'id_number'] });
    party = await startSampleRelyingParty({ issuer: huduma.issuer, clientId: client.clientId,
      clientSecret: client.secret, host: '127.0.0.1', port, scope: 'openid profile id_number' });
    browser = await launchChromium();
    dispose = async () => {
      await browser.close();
      await party.close();
      await huduma.close();
      await opened.dispose();
    };
  });
  after(async () => dispose());

  const newContext = (options: Readonly<{ javaScript: boolean; locale: string }>):
    Promise<BrowserContext> => browser.newContext({ javaScriptEnabled: options.javaScript,
    locale: options.locale, viewport: { width: 360, height: 640 } });

  it('signs the demo citizen in at the sample portal, and out (JS off)', async () => {
    const context = await newContext({ javaScript: false, locale: 'en-KE' });
    const page = await context.newPage();
    try {
      await page.goto(party.url);
      await page.getByRole('link', { name: 'Sign in with Huduma' }).click();
      await page.waitForURL(`${huduma.baseUrl}/sign-in?**`);
      await page.getByLabel('National ID card').check();
      await page.getByLabel('ID or passport number').fill(demoPeople.citizen.documentNumber);
      await page.getByLabel('Password').fill(demoCredentials.citizenPassword);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL('**/sign-in/code**');
      const code = await latestCodeSentTo(database, demoCredentials.citizenPhone);
      await page.getByLabel('Code', { exact: true }).fill(code);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/federation/interaction/**');
      const main = await page.locator('main').innerText();
      assert.match(main, /County Permits Portal/);
      assert.match(main, /Your name/);
      await page.getByRole('button', { name: 'Allow', exact: true }).click();
      await page.waitForURL(`${party.url}/`);
      assert.match(await page.locator('main').innerText(),
        /Signed in as Amina Wanjiku Otieno/);
      assert.doesNotMatch(await page.locator('main').innerText(), /ID number/,
        'the ID number was not ticked');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${huduma.baseUrl}/oidc/session/end**`);
      await page.getByRole('button', { name: 'Yes, sign me out' }).click();
      await page.waitForURL(`${party.url}/`);
      assert.ok(await page.getByRole('link', { name: 'Sign in with Huduma' }).isVisible());
    } finally {
      await context.close();
    }
  });

  /** A page signed in to Huduma as a new citizen, on the consent page for the portal. */
  async function consentPage(locale: string): Promise<Page> {
    const citizen = await signInAs(database, 'account-holder');
    const context = await newContext({ javaScript: true, locale });
    const [name = '', value = ''] = (citizen.headers.cookie ?? '').split('=');
    assert.equal(name, identityCookieNames(false).session);
    await context.addCookies([{ name, value, url: huduma.baseUrl }]);
    const page = await context.newPage();
    await page.goto(`${party.url}/login`);
    await page.waitForURL('**/federation/interaction/**');
    return page;
  }

  for (const [locale, allow] of [['en-KE', 'Allow'], ['sw-KE', 'Ruhusu']] as const) {
    it(`consent page has no axe violations (${locale})`, async () => {
      const page = await consentPage(locale);
      try {
        assert.ok(await page.getByRole('button', { name: allow, exact: true }).isVisible());
        await expectNoAxeViolations(page);
      } finally {
        await page.context().close();
      }
    });
  }

  it('sign-out question, error page and staff clients page have no axe violations',
    async () => {
      const page = await consentPage('sw-KE');
      try {
        await page.goto(`${huduma.baseUrl}/oidc/session/end`);
        await expectNoAxeViolations(page);
        // Where a sign-out with no address of the agency's to return to ends.
        await page.goto(`${huduma.baseUrl}/oidc/session/end/success`);
        assert.equal(await page.locator('h1').innerText(), 'Umetoka');
        await expectNoAxeViolations(page);
        // The library's self-submitting page as the /oidc route passes it on (its script,
        // which would submit the form at once, left out so axe can look at it).
        await page.setContent(accessibleFormPost(libraryFormPost, 'sw', (key) =>
          (sw as Record<string, string>)[key] ?? key).replace(/<script>[\s\S]*?<\/script>/, ''));
        assert.equal(await page.locator('h1').innerText(), 'Tunakuingiza tena');
        await expectNoAxeViolations(page);
        await page.goto(`${huduma.baseUrl}/federation/interaction/gone`);
        assert.match(await page.locator('h1').innerText(), /Kuingia huku kumekwisha/);
        await expectNoAxeViolations(page);
        await page.goto(`${huduma.baseUrl}/oidc/auth?client_id=unknown&response_type=code`);
        assert.match(await page.locator('h1').innerText(), /haliwezi kujibiwa/);
        await expectNoAxeViolations(page);
      } finally {
        await page.context().close();
      }
      const admin = await signInAs(database, 'platform-admin');
      for (const locale of ['en-KE', 'sw-KE']) {
        const context = await newContext({ javaScript: true, locale });
        const [name = '', value = ''] = (admin.headers.cookie ?? '').split('=');
        await context.addCookies([{ name, value, url: huduma.baseUrl }]);
        const staffPage = await context.newPage();
        try {
          await staffPage.goto(`${huduma.baseUrl}/staff/federation/clients`);
          assert.match(await staffPage.locator('main').innerText(), /County Permits Portal/);
          await expectNoAxeViolations(staffPage);
        } finally {
          await context.close();
        }
      }
    });
});
