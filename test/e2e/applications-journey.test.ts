/**
 * The applications journey in real Chromium with JavaScript on: two people register through
 * the UI, one finds "marriage" from the home page and fills the marriage notice, the other
 * confirms it from their own account, the applicant pays by an M-Pesa prompt answered by the
 * Daraja emulator, an officer requests a change, the applicant resubmits without paying again,
 * a supervisor approves, an officer issues, the applicant gets the certificate (PDF), /verify
 * says it is genuine, and after the supervisor revokes it /verify says revoked. axe finds no
 * WCAG 2.x A/AA violation on any page visited, and the form pages, the check page and the
 * application page pass in Swahili too. (applications-nojs.test.ts: JavaScript off.)
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
  fillMarriageNotice,
  heading,
  journeyPeople,
  registerThroughUi,
  samePersonPage,
  staffPage,
  startJourneyHarness,
  type JourneyHarness,
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

const [applicant, partner] = journeyPeople(10, 2);
const comment = 'Give the witnesses\' phone numbers as on their ID records';
const axe = expectNoAxeViolations;

describe('applying for a civil marriage in Chromium (JavaScript on)',
  { skip: chromiumProblem ?? false }, () => {
    let harness: JourneyHarness;
    const opened: Page[] = [];
    let id = '';
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

    it('registers both people, finds the service and fills the notice', async () => {
      assert.ok(applicant !== undefined && partner !== undefined);
      citizen = await open(harness.newPage());
      second = await open(harness.newPage());
      const inbox = await open(harness.newPage());
      await registerThroughUi(citizen, inbox, applicant, '0711 500 101', axe);
      await axe(inbox);
      await registerThroughUi(second, inbox, partner, '0711 500 102');
      id = await startMarriageNotice(citizen, axe);
      // A page with problems first: the error summary and inline errors pass axe too.
      await citizen.getByRole('button', { name: 'Continue', exact: true }).click();
      await citizen.waitForLoadState();
      assert.equal(await citizen.locator('.error-summary').count(), 1);
      await axe(citizen);
      await fillMarriageNotice(citizen, applicant, partner, axe);
      await axe(citizen);
      expectNoThirdPartyRequests(citizen);
    });

    it('the form pages and the check page pass axe in Swahili', async () => {
      const swahili = await open(samePersonPage(harness, citizen, { locale: 'sw-KE' }));
      for (const pageId of ['you', 'partner', 'ceremony', 'witnesses']) {
        await swahili.goto(`/applications/${id}/pages/${pageId}`);
        assert.equal(await swahili.locator('html').getAttribute('lang'), 'sw');
        await axe(swahili);
      }
      await swahili.goto(`/applications/${id}/check`);
      assert.equal(await heading(swahili), 'Kagua majibu yako');
      await axe(swahili);
    });

    it('asks the second party, who confirms from their own account', async () => {
      await askAndConfirm(citizen, second, id,
        `${applicant?.firstName ?? '-'} ${applicant?.lastName ?? '-'}`, axe);
    });

    it('submits and pays by the M-Pesa prompt; the application becomes paid', async () => {
      await submitAndPay(citizen, harness.database, id, axe);
      const swahili = await open(samePersonPage(harness, citizen, { locale: 'sw-KE' }));
      await swahili.goto(`/applications/${id}`);
      assert.match(await swahili.locator('main').innerText(), /Limelipiwa/);
      await axe(swahili);
    });

    it('an officer requests a change; the applicant resubmits without paying', async () => {
      officer = await open(staffPage(harness, 'agency-officer'));
      await requestChange(officer, id, comment, axe);
      await changeAndResubmit(citizen, second, harness.database, id, comment, axe);
    });

    it('a supervisor approves, an officer issues, the applicant gets the certificate',
      async () => {
        supervisor = await open(staffPage(harness, 'agency-supervisor'));
        await approveAndIssue(officer, supervisor, id, axe);
        const verifyUrl = await downloadAndVerify(citizen, id, axe);
        for (const path of ['/account', '/account/applications']) {
          await citizen.goto(path);
          assert.match(await citizen.locator('main').innerText(), /Issued/, path);
          await axe(citizen);
        }
        await citizen.goto(verifyUrl);
        expectNoThirdPartyRequests(citizen);
      });

    it('after the supervisor revokes it, /verify says revoked', async () => {
      const verifyUrl = citizen.url();
      await revokeDocument(supervisor, id, axe);
      await citizen.goto(verifyUrl);
      assert.equal(await heading(citizen), 'This document has been revoked');
      await axe(citizen);
      expectNoThirdPartyRequests(supervisor);
    });
  });
