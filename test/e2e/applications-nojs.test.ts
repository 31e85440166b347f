/**
 * The applications journey in real Chromium with JavaScript OFF, for the applicant, the second
 * party and the registrar's staff alike: every step is a link or a plain form post answered
 * with 303 (or the page again with its errors), and the M-Pesa waiting page moves itself on
 * to the receipt by its <meta http-equiv="refresh">. The same steps as
 * applications-journey.test.ts (which runs axe on each page: axe needs scripting).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  chromiumProblem,
  closePage,
  expectNoThirdPartyRequests,
} from '#test/helpers/browser.ts';
import {
  fillMarriageNotice,
  heading,
  journeyPeople,
  registerThroughUi,
  staffPage,
  startJourneyHarness,
  type JourneyHarness,
  type PageVisitor,
} from '#test/helpers/application-journey.ts';
import {
  approveAndIssue,
  askAndConfirm,
  changeAndResubmit,
  downloadAndVerify,
  requestChange,
  revokeDocument,
  startMarriageNotice,
  submitAndPay,
} from '#test/helpers/application-steps.ts';

const [applicant, partner] = journeyPeople(12, 2);
const comment = 'The ceremony date must be a weekday';
const off = { javaScript: false } as const;

describe('applying for a civil marriage in Chromium (JavaScript off)',
  { skip: chromiumProblem ?? false }, () => {
    let harness: JourneyHarness;
    const opened: Page[] = [];
    let id = '';
    let citizen: Page;
    let second: Page;
    let officer: Page;
    let supervisor: Page;
    /** Pages the applicant landed on, to prove the M-Pesa wait refreshed itself. */
    const refreshing: string[] = [];
    const noteRefresh: PageVisitor = async (page) => {
      if (await page.locator('meta[http-equiv="refresh"]').count() > 0) {
        refreshing.push(new URL(page.url()).pathname);
      }
    };

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

    it('registers both people, finds the service, fills and confirms the notice', async () => {
      assert.ok(applicant !== undefined && partner !== undefined);
      citizen = await open(harness.newPage(off));
      second = await open(harness.newPage(off));
      const inbox = await open(harness.newPage(off));
      await registerThroughUi(citizen, inbox, applicant, '0711 600 101');
      await registerThroughUi(second, inbox, partner, '0711 600 102');
      id = await startMarriageNotice(citizen);
      // Continue with nothing typed: the server answers with the page and its errors.
      await citizen.getByRole('button', { name: 'Continue', exact: true }).click();
      await citizen.waitForLoadState();
      assert.equal(await heading(citizen), 'About you');
      assert.equal(await citizen.locator('.error-summary').count(), 1);
      assert.ok(await citizen.locator('[aria-invalid="true"]').count() > 0);
      await fillMarriageNotice(citizen, applicant, partner);
      await askAndConfirm(citizen, second, id, `${applicant.firstName} ${applicant.lastName}`);
    });

    it('submits and pays: the waiting page refreshes itself to the receipt', async () => {
      await submitAndPay(citizen, harness.database, id, noteRefresh);
      assert.ok(refreshing.some((path) => /\/mpesa\//.test(path)),
        `the M-Pesa waiting page refreshes itself (${refreshing.join(', ')})`);
      expectNoThirdPartyRequests(citizen);
    });

    it('staff return it, the applicant resubmits, staff approve and issue', async () => {
      officer = await open(staffPage(harness, 'agency-officer', off));
      supervisor = await open(staffPage(harness, 'agency-supervisor', off));
      await requestChange(officer, id, comment);
      await changeAndResubmit(citizen, second, harness.database, id, comment);
      await approveAndIssue(officer, supervisor, id);
    });

    it('the applicant downloads the certificate; /verify says valid, then revoked',
      async () => {
        const verifyUrl = await downloadAndVerify(citizen, id);
        await revokeDocument(supervisor, id);
        await citizen.goto(verifyUrl);
        assert.equal(await heading(citizen), 'This document has been revoked');
        expectNoThirdPartyRequests(citizen);
        expectNoThirdPartyRequests(officer);
      });
  });
