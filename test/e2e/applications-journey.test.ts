/**
 * The applications journey in real Chromium with JavaScript on: two people register through
 * the UI, one finds "marriage" from the home page and fills the marriage notice, the other
 * confirms it from their own account, the applicant pays by an M-Pesa prompt answered by the
 * Daraja emulator, an officer requests a change, the applicant resubmits without paying again,
 * a supervisor approves, an officer issues, the applicant gets the certificate (PDF), /verify
 * says it is genuine, and after the supervisor revokes it /verify says revoked. axe finds no
 * WCAG 2.x A/AA violation on any page visited, and the form pages and the application page
 * are checked in Swahili too. (applications-nojs.test.ts: the same forms with JavaScript off.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  chromiumProblem,
  closePage,
  expectNoAxeViolations,
  expectNoThirdPartyRequests,
} from '#test/helpers/browser.ts';
import {
  applicationFacts,
  applicationIdIn,
  fillMarriageNotice,
  findMarriageAndApply,
  heading,
  journeyPeople,
  registerThroughUi,
  samePersonPage,
  staffPage,
  startJourneyHarness,
  type JourneyHarness,
} from '#test/helpers/application-journey.ts';

const settleTimeoutMs = 30_000;
const [applicant, partner] = journeyPeople(10, 2);

describe('applying for a civil marriage in Chromium (JavaScript on)',
  { skip: chromiumProblem ?? false }, () => {
    let harness: JourneyHarness;
    const opened: Page[] = [];
    let applicationId = '';
    let citizen: Page;
    let second: Page;
    let officer: Page;
    let supervisor: Page;

    before(async () => {
      harness = await startJourneyHarness();
    });
    after(async () => {
      for (const page of opened) await closePage(page);
      await harness?.close();
    });

    async function open(page: Promise<Page>): Promise<Page> {
      const ready = await page;
      opened.push(ready);
      return ready;
    }

    /** Goes somewhere by following a link or button, then runs axe on where it lands. */
    async function checked(page: Page): Promise<void> {
      await page.waitForLoadState();
      await expectNoAxeViolations(page);
    }

    it('registers both people, finds the service and fills the notice', async () => {
      assert.ok(applicant !== undefined && partner !== undefined);
      citizen = await open(harness.newPage());
      const inbox = await open(harness.newPage());
      await registerThroughUi(citizen, inbox, applicant, '0711 500 001');
      await checked(citizen);
      second = await open(harness.newPage());
      await registerThroughUi(second, inbox, partner, '0711 500 002');
      await findMarriageAndApply(citizen);
      await checked(citizen);
      assert.equal(await heading(citizen),
        'Apply: Civil marriage (notice and certificate)');
      await citizen.getByRole('button', { name: 'Start a new application' }).click();
      await citizen.waitForURL('**/pages/you');
      applicationId = applicationIdIn(citizen.url());
      // A page with problems first: the error summary and inline errors pass axe too.
      await citizen.getByRole('button', { name: 'Continue', exact: true }).click();
      await citizen.waitForLoadState();
      assert.equal(await citizen.locator('.error-summary').count(), 1);
      await expectNoAxeViolations(citizen);
      await fillMarriageNotice(citizen, applicant, partner, expectNoAxeViolations);
      await expectNoAxeViolations(citizen);
      expectNoThirdPartyRequests(citizen);
    });

    it('checks the form pages and the check page in Swahili', async () => {
      const swahili = await open(samePersonPage(harness, citizen, { locale: 'sw-KE' }));
      for (const pageId of ['you', 'partner', 'ceremony', 'witnesses']) {
        await swahili.goto(`/applications/${applicationId}/pages/${pageId}`);
        assert.equal(await swahili.locator('html').getAttribute('lang'), 'sw');
        await expectNoAxeViolations(swahili);
      }
      await swahili.goto(`/applications/${applicationId}/check`);
      assert.equal(await heading(swahili), 'Kagua majibu yako');
      await expectNoAxeViolations(swahili);
    });

    it('asks the second party, who confirms from their own account', async () => {
      await citizen.getByRole('button', { name: 'Ask the second party to confirm' }).click();
      await citizen.waitForURL(`**/applications/${applicationId}`);
      await checked(citizen);
      assert.match(await citizen.locator('main').innerText(),
        /Waiting for the second party to confirm/);
      await second.goto('/account/applications');
      await checked(second);
      await second.locator(`a[href="/applications/${applicationId}"]`).first().click();
      await second.waitForURL(`**/applications/${applicationId}`);
      await checked(second);
      assert.match(await second.locator('main').innerText(),
        new RegExp(`${applicant?.firstName ?? '-'} ${applicant?.lastName ?? '-'}`));
      await second.getByRole('button', { name: 'Confirm these answers' }).click();
      await second.waitForURL(`**/applications/${applicationId}`);
      await checked(second);
      assert.match(await second.locator('main').innerText(),
        /You have confirmed these answers/);
    });

    it('submits and pays by the M-Pesa prompt; the application becomes paid', async () => {
      await citizen.reload();
      await checked(citizen);
      assert.match(await citizen.locator('main').innerText(),
        /The second party has confirmed the answers/);
      await citizen.getByRole('link', { name: 'Continue the application' }).click();
      await citizen.waitForURL('**/check');
      await citizen.getByRole('button', { name: 'Submit and pay' }).click();
      await citizen.waitForURL(`**/applications/${applicationId}`);
      await checked(citizen);
      assert.equal((await applicationFacts(harness.database, applicationId)).status,
        'awaiting-payment');
      await citizen.getByRole('link', { name: 'Pay now' }).click();
      await citizen.waitForURL(/\/pay\/[0-9A-Z-]+$/);
      await checked(citizen);
      await citizen.getByRole('textbox', { name: 'M-Pesa phone number' }).fill('0712 345 678');
      await citizen.locator('form[action$="/mpesa"] button[type=submit]').click();
      await citizen.waitForURL(/\/mpesa\/[0-9a-f-]+$/);
      await checked(citizen);
      await citizen.waitForURL(/\/receipts\/[0-9a-f-]+$/, { timeout: settleTimeoutMs });
      await checked(citizen);
      const deadline = Date.now() + settleTimeoutMs;
      while ((await applicationFacts(harness.database, applicationId)).status !== 'paid') {
        assert.ok(Date.now() < deadline, 'the outbox worker marks the application paid');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await citizen.goto(`/applications/${applicationId}`);
      await checked(citizen);
      assert.match(await citizen.locator('main').innerText(), /Paid/);
      const swahili = await open(samePersonPage(harness, citizen, { locale: 'sw-KE' }));
      await swahili.goto(`/applications/${applicationId}`);
      await expectNoAxeViolations(swahili);
    });

    it('an officer requests a change; the applicant resubmits without paying', async () => {
      officer = await open(staffPage(harness, 'agency-officer'));
      await officer.goto('/staff/applications');
      await checked(officer);
      await officer.locator(`a[href="/staff/applications/${applicationId}"]`).first().click();
      await officer.waitForURL(`**/staff/applications/${applicationId}`);
      await checked(officer);
      await officer.getByRole('button', { name: 'Start review' }).click();
      await officer.waitForURL(`**/staff/applications/${applicationId}`);
      await checked(officer);
      // Without a comment the return is refused, and says why.
      await officer.getByRole('button', { name: 'Request changes' }).click();
      await officer.waitForLoadState();
      assert.match(await officer.locator('main').innerText(),
        /Write what the applicant must change/);
      await expectNoAxeViolations(officer);
      await officer.getByLabel('What must the applicant change?').fill(
        'Give the witnesses\' phone numbers as on their ID records');
      await officer.getByRole('button', { name: 'Request changes' }).click();
      await officer.waitForURL(`**/staff/applications/${applicationId}`);
      await checked(officer);
      assert.equal((await applicationFacts(harness.database, applicationId)).status, 'returned');

      await citizen.goto(`/applications/${applicationId}`);
      await checked(citizen);
      assert.match(await citizen.locator('main').innerText(),
        /Give the witnesses' phone numbers as on their ID records/);
      await citizen.getByRole('link', { name: 'Change your answers' }).click();
      await citizen.waitForURL('**/check');
      await checked(citizen);
      await citizen.locator(`a[href="/applications/${applicationId}/pages/witnesses"]`)
        .first().click();
      await citizen.waitForURL('**/pages/witnesses');
      await checked(citizen);
      await citizen.locator('[name="witnesses.1.phone"]').fill('0733 000 222');
      await citizen.getByRole('button', { name: 'Continue', exact: true }).click();
      await citizen.waitForURL('**/check');
      await citizen.getByRole('button', { name: 'Resubmit (no further payment)' }).click();
      await citizen.waitForURL(`**/applications/${applicationId}`);
      await checked(citizen);
      assert.equal(await citizen.getByRole('link', { name: 'Pay now' }).count(), 0);
      assert.deepEqual(await applicationFacts(harness.database, applicationId),
        { status: 'resubmitted', invoices: 1 });
    });

    it('a supervisor approves, an officer issues, the applicant gets the certificate',
      async () => {
        await officer.goto(`/staff/applications/${applicationId}`);
        await officer.getByRole('button', { name: 'Start review' }).click();
        await officer.waitForURL(`**/staff/applications/${applicationId}`);
        assert.equal(await officer.getByRole('button', { name: 'Approve' }).count(), 0,
          'officers do not decide');
        supervisor = await open(staffPage(harness, 'agency-supervisor'));
        await supervisor.goto(`/staff/applications/${applicationId}`);
        await checked(supervisor);
        await supervisor.getByRole('button', { name: 'Approve' }).click();
        await supervisor.waitForURL(`**/staff/applications/${applicationId}`);
        await checked(supervisor);
        await officer.reload();
        await officer.getByRole('button', { name: 'Issue the document' }).click();
        await officer.waitForURL(`**/staff/applications/${applicationId}`);
        await checked(officer);
        assert.equal((await applicationFacts(harness.database, applicationId)).status,
          'issued');

        await citizen.goto(`/applications/${applicationId}`);
        await checked(citizen);
        await citizen.getByRole('link', { name: 'Get your document' }).click();
        await citizen.waitForURL(/\/documents\/[0-9a-f-]+$/);
        await checked(citizen);
        const [download] = await Promise.all([citizen.waitForEvent('download'),
          citizen.getByRole('link', { name: 'Download the document (PDF)' }).click()]);
        const pdf = await download.createReadStream();
        const chunks: Buffer[] = [];
        for await (const chunk of pdf) chunks.push(chunk as Buffer);
        assert.equal(Buffer.concat(chunks).subarray(0, 5).toString(), '%PDF-');
        await citizen.getByRole('link', { name: 'Check this document' }).click();
        await citizen.waitForURL(/\/verify\?p=/);
        assert.equal(await heading(citizen), 'This document is genuine');
        await checked(citizen);
        expectNoThirdPartyRequests(citizen);
      });

    it('after the supervisor revokes it, /verify says revoked', async () => {
      const verifyUrl = citizen.url();
      await supervisor.goto(`/staff/applications/${applicationId}`);
      await supervisor.getByRole('link', { name: 'Open the issued document' }).click();
      await supervisor.waitForURL(/\/staff\/documents\/[0-9a-f-]+$/);
      await checked(supervisor);
      await supervisor.getByLabel('Reason').fill('Issued on a notice with a wrong ID number');
      await supervisor.getByRole('button', { name: /Revoke/ }).click();
      await supervisor.waitForLoadState();
      await checked(supervisor);
      await citizen.goto(verifyUrl);
      assert.equal(await heading(citizen), 'This document has been revoked');
      await checked(citizen);
    });
  });
