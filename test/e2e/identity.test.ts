/**
 * Identity in a real browser (Chromium): a synthetic person registers, reads the code in the
 * dev inbox, signs in and sees the profile, with JavaScript off; five wrong codes lock the
 * attempt; staff sign in with an authenticator code; axe-core finds no WCAG 2.x A/AA violation
 * on identity's pages, in English and Swahili.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  base32Decode,
  demoCredentials,
  hotp,
  syntheticPeople,
  totpStepAt,
} from '#modules/identity/index.ts';
import {
  closePage,
  describeInBrowser,
  expectNoAxeViolations,
  expectNoThirdPartyRequests,
} from '#test/helpers/browser.ts';

// Generated people, not the demo citizen (the demo data already registered them).
const people = syntheticPeople().filter((p) => p.documentType === 'national_id').slice(3, 6);

function personAt(index: number) {
  const person = people[index];
  if (person === undefined) throw new Error('the synthetic register has people');
  return person;
}

async function heading(page: Page): Promise<string> {
  return (await page.locator('h1').innerText()).trim();
}

async function codeFromInbox(page: Page, recipient: string): Promise<string> {
  await page.goto('/dev/inbox');
  const message = await page.locator('article', { hasText: recipient }).first().innerText();
  const code = /\b(\d{6})\b/.exec(message)?.[1];
  assert.ok(code !== undefined, `a code was sent to ${recipient}`);
  return code;
}

async function register(page: Page, index: number, phone: string): Promise<void> {
  const person = personAt(index);
  await page.goto('/register');
  assert.equal(await heading(page), 'Create an account');
  await page.getByLabel('National ID card').check();
  await page.getByLabel('ID or passport number').fill(person.documentNumber);
  await page.getByLabel('First name').fill(person.firstName);
  await page.getByLabel('Year of birth').fill(person.birthDate.slice(0, 4));
  await page.getByLabel('Mobile phone number').fill(phone);
  await page.getByLabel('SMS to my phone').check();
  await page.getByLabel('Create a password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/sign-in/code');
  assert.equal(await heading(page), 'Check your phone');
}

describeInBrowser('identity in Chromium', (suite) => {
  it('registers, reads the code in the dev inbox, signs in and sees the profile (JS off)',
    async () => {
      const page = await suite().newPage({ javaScript: false });
      const inbox = await suite().newPage({ javaScript: false });
      try {
        await register(page, 0, '0711 222 333');
        const code = await codeFromInbox(inbox, '+254711222333');
        await page.getByLabel('Code', { exact: true }).fill(code);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL('**/account');
        assert.equal(await heading(page), 'Your account');
        const person = personAt(0);
        assert.match(await page.locator('main').innerText(), new RegExp(person.lastName));
        await page.getByRole('button', { name: 'Sign out', exact: true }).click();
        await page.waitForURL('**/sign-in?notice=signedOut');
        expectNoThirdPartyRequests(page);
      } finally {
        await closePage(page);
        await closePage(inbox);
      }
    });

  it('locks the sign-in after five wrong codes (JS off)', async () => {
    const page = await suite().newPage({ javaScript: false });
    try {
      await register(page, 1, '0722 333 444');
      for (let attempt = 1; attempt <= 5; attempt += 1) {
        await page.getByLabel('Code', { exact: true }).fill('000000');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForLoadState();
      }
      assert.match(await page.locator('.error-summary').innerText(), /Too many wrong codes/);
      assert.equal(await page.getByLabel('Code', { exact: true }).count(), 0,
        'no more codes are taken');
      await page.goto('/account');
      await page.waitForURL('**/sign-in?return=%2Faccount');
    } finally {
      await closePage(page);
    }
  });

  it('signs staff in with password and authenticator code (JS off)', async () => {
    const page = await suite().newPage({ javaScript: false });
    try {
      await page.goto('/staff/sign-in');
      await page.getByLabel('Work e-mail address').fill('platform.admin@huduma.example');
      await page.getByLabel('Password').fill(demoCredentials.staffPassword);
      const code = hotp(base32Decode(demoCredentials.staffTotpSecret), totpStepAt(new Date()));
      await page.getByLabel('Code from your authenticator app').fill(code);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL('**/staff');
      assert.equal(await heading(page), 'Staff home');
      assert.match(await page.locator('main').innerText(), /Platform administrator/);
      await page.getByRole('link', { name: 'Staff and roles' }).click();
      await page.waitForURL('**/staff/people');
      assert.match(await page.locator('table').innerText(), /Kibet Officer/);
    } finally {
      await closePage(page);
    }
  });

  it('has no accessibility violations on identity\'s pages, in English and Swahili',
    async () => {
      for (const locale of ['en-KE', 'sw-KE']) {
        const page = await suite().newPage({ locale });
        try {
          for (const path of ['/register', '/sign-in', '/password-reset', '/staff/sign-in']) {
            await page.goto(path);
            await expectNoAxeViolations(page);
          }
          // A form with errors: the summary, inline errors and aria-invalid fields.
          await page.goto('/register');
          await page.locator('button[type=submit]').click();
          await page.waitForLoadState();
          assert.equal(await page.locator('.error-summary').count(), 1);
          await expectNoAxeViolations(page);
        } finally {
          await closePage(page);
        }
      }
    });

  it('has no accessibility violations once signed in (profile, act-for, staff pages)',
    async () => {
      const page = await suite().newPage();
      const inbox = await suite().newPage();
      try {
        await register(page, 2, '0733 444 555');
        await expectNoAxeViolations(page);
        await page.getByLabel('Code', { exact: true }).fill(
          await codeFromInbox(inbox, '+254733444555'));
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL('**/account');
        for (const path of ['/account', '/account/act-for', '/account/contact']) {
          await page.goto(path);
          await expectNoAxeViolations(page);
        }
        const staff = await suite().newPage();
        try {
          await staff.goto('/staff/sign-in');
          await staff.getByLabel('Work e-mail address').fill('admin.immigration@huduma.example');
          await staff.getByLabel('Password').fill(demoCredentials.staffPassword);
          await staff.getByLabel('Code from your authenticator app').fill(
            hotp(base32Decode(demoCredentials.staffTotpSecret), totpStepAt(new Date())));
          await staff.getByRole('button', { name: 'Continue' }).click();
          await staff.waitForURL('**/staff');
          for (const path of ['/staff', '/staff/people', '/staff/people/new']) {
            await staff.goto(path);
            await expectNoAxeViolations(staff);
          }
          await staff.goto('/staff/people');
          await staff.getByRole('link', { name: 'Kibet Officer' }).click();
          await staff.waitForURL('**/staff/people/*');
          await expectNoAxeViolations(staff);
          await staff.goto('/staff/people/new');
          await staff.getByLabel('Name').fill('Zawadi New');
          await staff.getByLabel('Work e-mail address').fill('zawadi.new@huduma.example');
          await staff.getByLabel('Agency officer').check();
          await staff.getByRole('button', { name: 'Add', exact: true }).click();
          await staff.waitForLoadState();
          assert.equal(await heading(staff), 'Member of staff added');
          await expectNoAxeViolations(staff);
          const link = /\/staff\/enrol\/[\w-]+/.exec(await staff.locator('main').innerText());
          assert.ok(link !== null);
          await page.goto(link[0]);
          assert.equal(await heading(page), 'Set up your staff sign-in');
          await expectNoAxeViolations(page);
        } finally {
          await closePage(staff);
        }
      } finally {
        await closePage(page);
        await closePage(inbox);
      }
    });
});
