/**
 * An agency on board, end to end in real Chromium: a platform administrator
 * creates the agency and a service in its sandbox, gives it a form and proposes its fee; a
 * second administrator approves the fee (the proposer could not); the service goes live. A
 * citizen's bill for it is paid through the Daraja emulator over HTTP; Treasury then sees the
 * agency and the amount on its dashboard, and the public sees them on the transparency page
 * without signing in. axe finds no WCAG 2.x A/AA violation on any page of the way.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'kysely';
import { onboardingPaths } from '#modules/agencies/index.ts';
import { createInvoiceForService } from '#modules/payments/index.ts';
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
import { newMinistry, oneQuestionForm } from '#test/helpers/onboarding.ts';
import { newPayerId, startPaymentsHarness, type PaymentsHarness } from '#test/helpers/payments.ts';
import { signInAs } from '#test/helpers/sessions.ts';

const agencyName = 'Journey Film Classification Board';
const serviceName = 'Film exhibition licence';
const todayInKenya = (): string =>
  new Date(Date.now() + 3 * 3_600_000).toISOString().slice(0, 10);

describe('an agency on board, paid and seen, in Chromium', { skip: chromiumProblem ?? false },
  () => {
    let database: DatabaseHandle;
    let harness: PaymentsHarness;
    let browser: Browser;
    let ministryId = '';
    let dispose: () => Promise<void> = async () => undefined;

    before(async () => {
      const opened = await openTestDatabase('pglite');
      database = opened.handle;
      dispose = opened.dispose;
      ministryId = await newMinistry(database);
      harness = await startPaymentsHarness(database,
        { emulator: { externalValidation: false } });
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
      await harness?.close();
      await dispose();
    });

    async function submit(page: Page, action: string): Promise<void> {
      await page.locator(`form[action="${action}"] button[type="submit"]`).first().click();
      await page.waitForLoadState('domcontentloaded');
    }

    async function createAgencyAndService(page: Page): Promise<Readonly<{ agencyId: string;
      serviceId: string }>> {
      await page.goto(onboardingPaths.agencies);
      await expectNoAxeViolations(page);
      await page.locator('#nameEn').fill(agencyName);
      await page.locator('#nameSw').fill('Bodi ya Uainishaji wa Filamu');
      await page.locator('#ministryId').selectOption(ministryId);
      await page.locator('#contactName').fill('Amina Otieno');
      await page.locator('#contactEmail').fill('amina.otieno@example.go.ke');
      await page.locator('#contactPhone').fill('0712 345 678');
      await page.locator('#bankName').fill('Kenya Commercial Bank');
      await page.locator('#bankCode').fill('01');
      await page.locator('#branch').fill('Moi Avenue');
      await page.locator('#accountNumber').fill('1100223344');
      await page.locator('#accountName').fill('Film Board Collections');
      await submit(page, onboardingPaths.agencies);
      const agencyId = /\/staff\/agencies\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
      assert.notEqual(agencyId, '', `on the agency's page, not ${page.url()}`);
      await expectNoAxeViolations(page);

      await page.goto(onboardingPaths.newService(agencyId));
      await page.locator('#nameEn').fill(serviceName);
      await page.locator('#nameSw').fill('Leseni ya kuonyesha filamu');
      await page.locator('#descriptionEn').fill('A licence to show films in public.');
      await page.locator('#descriptionSw').fill('Leseni ya kuonyesha filamu hadharani.');
      await page.locator('#slaDays').fill('14');
      await page.locator('#formSchema').fill(oneQuestionForm);
      await page.locator('input[name="eligibleAccountTypes"][value="citizen"]').check();
      await submit(page, onboardingPaths.services(agencyId));
      const serviceId = /\/services\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
      assert.notEqual(serviceId, '', `on the service's page, not ${page.url()}`);
      assert.match(await page.locator('main').innerText(), /Sandbox/);
      await expectNoAxeViolations(page);
      return { agencyId, serviceId };
    }

    async function proposeFee(page: Page, agencyId: string, serviceId: string): Promise<void> {
      await page.locator('#currency').selectOption('KES');
      await page.locator('#amount').fill('2,000.00');
      await page.locator('#gazetteReference').fill('Legal Notice No. 12 of 2026');
      await page.locator('#effectiveFrom').fill(todayInKenya());
      await submit(page, onboardingPaths.feeChanges(agencyId, serviceId));
      await expectNoAxeViolations(page);
    }

    it('onboards, approves the fee with two people, and shows the payment', async () => {
      const first = await signInAs(database, 'platform-admin');
      const second = await signInAs(database, 'platform-admin');
      const proposer = await openPageAs(browser, harness.url, first);
      const checker = await openPageAs(browser, harness.url, second);
      const publicPage = await openPage(browser, harness.url);
      try {
        const { agencyId, serviceId } = await createAgencyAndService(proposer);
        await proposeFee(proposer, agencyId, serviceId);
        const changeId = (await sql<{ id: string }>`select id from fee_change_request
          where service_id = ${serviceId}`.execute(database.db)).rows[0]?.id ?? '';
        await proposer.goto(onboardingPaths.service(agencyId, serviceId));
        assert.equal(await proposer.locator(
          `form[action="${onboardingPaths.approve(agencyId, changeId)}"]`).count(), 0,
        'the proposer is offered no approval');
        assert.match(await proposer.locator('main').innerText(), /Waiting for another person/);

        await checker.goto(onboardingPaths.service(agencyId, serviceId));
        await expectNoAxeViolations(checker);
        await submit(checker, onboardingPaths.approve(agencyId, changeId));
        assert.match(await checker.locator('main').innerText(), /KES\s2,000\.00/);

        await proposer.goto(onboardingPaths.service(agencyId, serviceId));
        await submit(proposer, onboardingPaths.live(agencyId, serviceId));
        assert.doesNotMatch(await proposer.locator('main').innerText(), /Sandbox \(not public\)/);

        const slug = (await sql<{ slug: string }>`select slug from service
          where id = ${serviceId}`.execute(database.db)).rows[0]?.slug ?? '';
        const bill = await createInvoiceForService(harness.deps,
          { service: slug, payerAccountId: newPayerId(), now: new Date() });
        assert.ok(bill.ok, bill.ok ? '' : bill.error.code);
        assert.equal(bill.value.lines[0]?.amount.amountMinor, 200_000n, 'the approved fee');
        const totalMinor = bill.value.total.amountMinor;
        await harness.daraja.emulator.simulateC2b({ amountShillings: totalMinor / 100n,
          msisdn: '254708374149', billReference: bill.value.reference });
        await harness.daraja.emulator.idle();
        const paid = (totalMinor / 100n).toLocaleString('en-KE');

        const treasury = await openPageAs(browser, harness.url,
          await signInAs(database, 'treasury'));
        try {
          await treasury.goto('/staff/reports');
          const row = treasury.getByRole('row', { name: new RegExp(agencyName) }).first();
          assert.match(await row.innerText(), new RegExp(`KES\\s${paid}\\.00`));
          await expectNoAxeViolations(treasury);
        } finally {
          await closePage(treasury);
        }

        await publicPage.goto('/transparency');
        const publicRow = publicPage.getByRole('row', { name: new RegExp(agencyName) }).first();
        // The public page shows what the agency earned: the fee, without the access fee.
        assert.match(await publicRow.innerText(), /KES\s2,000\.00/);
        await expectNoAxeViolations(publicPage);
        expectNoThirdPartyRequests(publicPage);
        expectNoThirdPartyRequests(proposer);
      } finally {
        await closePage(proposer);
        await closePage(checker);
        await closePage(publicPage);
      }
    });
  });
