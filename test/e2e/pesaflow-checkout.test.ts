/**
 * The Pesaflow-compatible checkout in real Chromium: an agency administrator registers a
 * client on the clients page (its keys shown once); the sample Pesaflow-style client checks
 * out with those keys; the payer opens the hosted checkout, gets a
 * mistyped phone number explained, has the M-Pesa prompt sent (the Daraja emulator over real
 * HTTP pays it), checks again, sees it paid and is returned to the client's
 * callBackURLOnSuccess; the client has its signed IPN. The same with JavaScript off (axe needs
 * it on, so the JS-off journey is its own). axe finds no WCAG 2.x A/AA violation on
 * either page, in English or Swahili.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createLogger } from '#platform/logging/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
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
import {
  fixtureIds,
  insertPaymentsFixture,
  startPaymentsHarness,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { signInAs } from '#test/helpers/sessions.ts';
import {
  collectPesaflowIpns,
  sendDuePesaflowIpns,
} from '../../src/modules/channel-pesaflow/pesaflow-ipn.ts';
import {
  startSamplePesaflowClient,
  type ClientKeys,
  type SamplePesaflowClient,
} from '../../examples/sample-pesaflow-client/pesaflow-client.ts';

const payerPhone = '254708374149';

describe('Pesaflow-compatible checkout in Chromium', { skip: chromiumProblem ?? false }, () => {
  let database: DatabaseHandle;
  let harness: PaymentsHarness;
  let browser: Browser;
  let client: SamplePesaflowClient;
  let dispose: () => Promise<void> = async () => undefined;

  before(async () => {
    const opened = await openTestDatabase('pglite');
    database = opened.handle;
    dispose = opened.dispose;
    await insertPaymentsFixture(database);
    // The payer sees "check your phone" before M-Pesa's answer lands: a prompt takes 1.5 s.
    harness = await startPaymentsHarness(database,
      { emulator: { timing: { stkCompletionDelayMs: 1_500, stkTimeoutMs: 10_000 } } });
    browser = await launchChromium();
  });
  after(async () => {
    await client?.close();
    await browser?.close();
    await harness?.close();
    await dispose();
  });

  /** The sample client's own pages are another origin: let the payer reach them. */
  const allowClient = async (page: Page) => {
    await page.context().route(`${client.url}/**`, (route) => route.continue());
  };

  async function registerClient(): Promise<ClientKeys> {
    const admin = await signInAs(database, 'agency-admin', { agencyId: fixtureIds.agency });
    const page = await openPageAs(browser, harness.url, admin);
    try {
      await page.goto('/staff/pesaflow-clients');
      await expectNoAxeViolations(page);
      await page.getByLabel('Name').fill('Passport office system');
      await page.getByLabel('Base64 of the raw digest').check();
      await page.getByRole('button', { name: 'Register' }).click();
      const shown = page.getByRole('status');
      const codes = await shown.locator('code').allTextContents();
      assert.equal(codes.length, 3);
      await expectNoAxeViolations(page);
      const swahili = await openPageAs(browser, harness.url, admin, { locale: 'sw-KE' });
      try {
        await swahili.goto('/staff/pesaflow-clients');
        await swahili.getByRole('heading', { name: 'Sajili mteja' }).waitFor();
        await expectNoAxeViolations(swahili);
      } finally {
        await closePage(swahili);
      }
      const [apiClientID = '', apiKey = '', secret = ''] = codes;
      return { apiClientID, apiKey, secret, encoding: 'raw-base64', recipe: 'invoice-amount' };
    } finally {
      await closePage(page);
    }
  }

  async function checkoutPath(billRefNumber: string): Promise<string> {
    const answer = await client.checkout({ billRefNumber, amountExpected: '250.00',
      serviceID: 'fixture-permit', billDesc: 'Work permit', clientName: 'Achieng Otieno',
      clientIDNumber: '23456789' });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const link = new URL((answer.body as { invoice_link: string }).invoice_link);
    return `${link.pathname}${link.search}`;
  }

  const runIpnJobs = async () => {
    const jobs = { ...harness.deps, clock: { now: () => new Date(Date.now() + 10_000) },
      logger: createLogger({ level: 'silent' }) };
    await collectPesaflowIpns(jobs);
    await sendDuePesaflowIpns(jobs, { timeoutMs: 2_000 });
  };

  it('registers a client, checks out, pays by the STK prompt and returns the payer to the ' +
    'agency; axe-clean at every step', async () => {
    const keys = await registerClient();
    client = await startSamplePesaflowClient({ baseUrl: harness.url, keys });
    const path = await checkoutPath('WP-0001');
    const page = await openPage(browser, harness.url);
    try {
      await allowClient(page);
      await page.goto(path);
      await page.getByRole('heading', { name: 'Pay Immigration' }).waitFor();
      await page.getByRole('cell', { name: 'KES\u00a0260.00' }).waitFor();
      await expectNoAxeViolations(page);
      await page.getByLabel('M-Pesa phone number').fill('12345');
      await page.getByRole('button', { name: 'Send the prompt' }).click();
      await page.getByRole('alert').getByText('Enter a Kenyan mobile number').waitFor();
      await expectNoAxeViolations(page);
      await page.getByLabel('M-Pesa phone number').fill(payerPhone);
      await page.getByRole('button', { name: 'Send the prompt' }).click();
      await page.getByRole('status').getByText('Check your phone').waitFor();
      await expectNoAxeViolations(page);
      await harness.daraja.emulator.idle();
      await page.getByRole('link', { name: 'Check again' }).click();
      await page.getByText('Paid. Thank you').waitFor();
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: 'Return to Immigration' }).click();
      await page.getByRole('heading', { name: 'Thank you: your payment was received' }).waitFor();
      assert.equal(page.url(), client.callBackURLOnSuccess);
      expectNoThirdPartyRequests(page);
    } finally {
      await closePage(page);
    }
    await runIpnJobs();
    assert.deepEqual(client.ipns.map((ipn) => [ipn.body.client_invoice_ref, ipn.verified]),
      [['WP-0001', true]]);
  });

  it('works with JavaScript off: the prompt, the refresh link, paid, back to the agency',
    async () => {
      const path = await checkoutPath('WP-0003');
      const page = await openPage(browser, harness.url, { javaScript: false });
      try {
        await allowClient(page);
        await page.goto(path);
        await page.getByLabel('M-Pesa phone number').fill(payerPhone);
        await page.getByRole('button', { name: 'Send the prompt' }).click();
        await page.getByRole('status').getByText('Check your phone').waitFor();
        await harness.daraja.emulator.idle();
        await page.getByRole('link', { name: 'Check again' }).click();
        await page.getByText('Paid. Thank you').waitFor();
        await page.getByRole('link', { name: 'Return to Immigration' }).click();
        await page.getByRole('heading', { name: 'Thank you: your payment was received' })
          .waitFor();
        expectNoThirdPartyRequests(page);
      } finally {
        await closePage(page);
      }
      await runIpnJobs();
      assert.ok(client.ipns.some((ipn) => ipn.body.client_invoice_ref === 'WP-0003' &&
        ipn.verified));
    });

  it('shows the hosted checkout in Swahili, axe-clean', async () => {
    const path = await checkoutPath('WP-0002');
    const page = await openPage(browser, harness.url, { locale: 'sw-KE' });
    try {
      await page.goto(path);
      await page.getByRole('heading', { name: 'Lipa Uhamiaji' }).waitFor();
      await page.getByText('Au pokea ombi la M-Pesa kwenye simu yako').waitFor();
      await expectNoAxeViolations(page);
    } finally {
      await closePage(page);
    }
  });
});
