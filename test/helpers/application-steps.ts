/**
 * The steps of the marriage-notice journey as a person and the registrar's staff take them in
 * the browser, each by links and buttons only (no URL typed where a page offers a way), so
 * they run the same with JavaScript on and off. Each calls `visit` on every page it lands on:
 * the JavaScript-on suite passes axe there.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { DatabaseHandle } from '#platform/db/index.ts';
import {
  applicationFacts,
  applicationIdIn,
  findMarriageAndApply,
  heading,
  noVisit,
  type PageVisitor,
} from './application-journey.ts';

const settleTimeoutMs = 30_000;

async function landed(page: Page, url: string | RegExp, visit: PageVisitor): Promise<void> {
  await page.waitForURL(url);
  await visit(page);
}

const mainText = async (page: Page): Promise<string> => page.locator('main').innerText();

/**
 * Waits until the page's main says `text`: after a form that posts and comes back to the same
 * address, the old page must not be read by mistake.
 */
async function shows(page: Page, text: RegExp): Promise<void> {
  await page.locator('main', { hasText: text }).waitFor();
}

/** Home -> search -> service -> Apply now -> start: returns the new application's id. */
export async function startMarriageNotice(citizen: Page, visit: PageVisitor = noVisit):
  Promise<string> {
  await findMarriageAndApply(citizen, visit);
  assert.equal(await heading(citizen), 'Apply: Civil marriage (notice and certificate)');
  await citizen.getByRole('button', { name: 'Start a new application' }).click();
  await citizen.waitForURL('**/pages/you');
  return applicationIdIn(citizen.url());
}

/** From "Check your answers": asks the second party, who confirms from their account. */
export async function askAndConfirm(citizen: Page, second: Page, id: string,
  applicantName: string, visit: PageVisitor = noVisit): Promise<void> {
  await citizen.getByRole('button', { name: 'Ask the second party to confirm' }).click();
  await landed(citizen, `**/applications/${id}`, visit);
  assert.match(await mainText(citizen), /Waiting for the second party to confirm/);
  await second.goto('/account/applications');
  await visit(second);
  await second.locator(`a[href="/applications/${id}"]`).first().click();
  await landed(second, `**/applications/${id}`, visit);
  assert.match(await mainText(second), new RegExp(applicantName));
  await second.getByRole('button', { name: 'Confirm these answers' }).click();
  await shows(second, /You have confirmed these answers/);
  await landed(second, `**/applications/${id}`, visit);
}

export async function waitForStatus(database: DatabaseHandle, id: string, status: string):
  Promise<void> {
  const deadline = Date.now() + settleTimeoutMs;
  while ((await applicationFacts(database, id)).status !== status) {
    assert.ok(Date.now() < deadline, `the application reaches ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * From the application page: Continue -> Submit and pay -> Pay now -> the M-Pesa prompt (the
 * emulator answers) -> the receipt; then waits for the outbox worker to mark it paid.
 */
export async function submitAndPay(citizen: Page, database: DatabaseHandle, id: string,
  visit: PageVisitor = noVisit): Promise<void> {
  await citizen.goto(`/applications/${id}`);
  await visit(citizen);
  assert.match(await mainText(citizen), /The second party has confirmed the answers/);
  await citizen.getByRole('link', { name: 'Continue the application' }).click();
  await landed(citizen, '**/check', visit);
  await citizen.getByRole('button', { name: 'Submit and pay' }).click();
  await landed(citizen, `**/applications/${id}`, visit);
  assert.equal((await applicationFacts(database, id)).status, 'awaiting-payment');
  await citizen.getByRole('link', { name: 'Pay now' }).click();
  await landed(citizen, /\/pay\/[0-9A-Z-]+$/, visit);
  await citizen.getByRole('textbox', { name: 'M-Pesa phone number' }).fill('0712 345 678');
  await citizen.locator('form[action$="/mpesa"] button[type=submit]').click();
  await landed(citizen, /\/mpesa\/[0-9a-f-]+$/, visit);
  await citizen.waitForURL(/\/receipts\/[0-9a-f-]+$/, { timeout: settleTimeoutMs });
  await visit(citizen);
  await waitForStatus(database, id, 'paid');
  await citizen.goto(`/applications/${id}`);
  await visit(citizen);
  assert.match(await mainText(citizen), /Paid\. It is waiting for an officer/);
}

/** The officer opens it from the queue, starts review, and asks for a change. */
export async function requestChange(officer: Page, id: string, comment: string,
  visit: PageVisitor = noVisit): Promise<void> {
  const review = `**/staff/applications/${id}`;
  await officer.goto('/staff/applications');
  await visit(officer);
  await officer.locator(`a[href="/staff/applications/${id}"]`).first().click();
  await landed(officer, review, visit);
  await officer.getByRole('button', { name: 'Start review' }).click();
  await shows(officer, /In review/);
  await landed(officer, review, visit);
  // Without a comment the return is refused by the server, which says why.
  await officer.getByRole('button', { name: 'Request changes' }).click();
  await officer.waitForLoadState();
  assert.match(await mainText(officer), /Write what the applicant must change/);
  await visit(officer);
  await officer.getByLabel('What must the applicant change?').fill(comment);
  await officer.getByRole('button', { name: 'Request changes' }).click();
  await landed(officer, review, visit);
}

/** The applicant reads the comment, changes a witness's phone and resubmits. */
export async function changeAndResubmit(citizen: Page, second: Page, database: DatabaseHandle,
  id: string, comment: string, visit: PageVisitor = noVisit): Promise<void> {
  await citizen.goto(`/applications/${id}`);
  await visit(citizen);
  assert.ok((await mainText(citizen)).includes(comment), 'the applicant sees the comment');
  await citizen.getByRole('link', { name: 'Change your answers' }).click();
  await landed(citizen, '**/check', visit);
  await citizen.locator(`a[href="/applications/${id}/pages/witnesses"]`).first().click();
  await landed(citizen, '**/pages/witnesses', visit);
  await citizen.locator('[name="witnesses.1.phone"]').fill('0733 000 222');
  await citizen.getByRole('button', { name: 'Continue', exact: true }).click();
  await landed(citizen, '**/check', visit);
  assert.match(await mainText(citizen), /0733 000 222/);
  // Changed answers need the second party's confirmation again before resubmitting.
  assert.equal(await citizen.getByRole('button', { name: 'Resubmit (no further payment)' })
    .count(), 0, 'no resubmitting before the second party confirms the change');
  await citizen.getByRole('button', { name: 'Ask the second party again' }).click();
  await landed(citizen, `**/applications/${id}`, visit);
  await second.goto(`/applications/${id}`);
  await second.getByRole('button', { name: 'Confirm these answers' }).click();
  await shows(second, /You have confirmed these answers/);
  await citizen.goto(`/applications/${id}/check`);
  await visit(citizen);
  await citizen.getByRole('button', { name: 'Resubmit (no further payment)' }).click();
  await landed(citizen, `**/applications/${id}`, visit);
  assert.equal(await citizen.getByRole('link', { name: 'Pay now' }).count(), 0);
  assert.deepEqual(await applicationFacts(database, id),
    { status: 'resubmitted', invoices: 1 }, 'resubmitting issues no second bill');
}

/** The officer reviews again (and cannot approve), the supervisor approves, the officer issues. */
export async function approveAndIssue(officer: Page, supervisor: Page, id: string,
  visit: PageVisitor = noVisit): Promise<void> {
  const review = `**/staff/applications/${id}`;
  await officer.goto(`/staff/applications/${id}`);
  await officer.getByRole('button', { name: 'Start review' }).click();
  await shows(officer, /In review/);
  await landed(officer, review, visit);
  assert.equal(await officer.getByRole('button', { name: 'Approve' }).count(), 0,
    'officers do not decide');
  await supervisor.goto(`/staff/applications/${id}`);
  await visit(supervisor);
  await supervisor.getByRole('button', { name: 'Approve' }).click();
  await shows(supervisor, /Approved/);
  await landed(supervisor, review, visit);
  await officer.reload();
  await officer.getByRole('button', { name: 'Issue the document' }).click();
  await shows(officer, /Open the issued document/);
  await landed(officer, review, visit);
}

/**
 * The applicant opens the document from the application page, downloads the PDF and follows
 * "Check this document" to /verify: returns that address.
 */
export async function downloadAndVerify(citizen: Page, id: string,
  visit: PageVisitor = noVisit): Promise<string> {
  await citizen.goto(`/applications/${id}`);
  await visit(citizen);
  await citizen.getByRole('link', { name: 'Get your document' }).click();
  await landed(citizen, /\/documents\/[0-9a-f-]+$/, visit);
  const [download] = await Promise.all([citizen.waitForEvent('download'),
    citizen.getByRole('link', { name: 'Download the document (PDF)' }).click()]);
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  assert.equal(Buffer.concat(chunks).subarray(0, 5).toString(), '%PDF-', 'a PDF');
  await citizen.getByRole('link', { name: 'Check this document' }).click();
  await landed(citizen, /\/verify\?p=/, visit);
  assert.equal(await heading(citizen), 'This document is genuine');
  return citizen.url();
}

/** The supervisor opens the issued document from the review page and revokes it. */
export async function revokeDocument(supervisor: Page, id: string,
  visit: PageVisitor = noVisit): Promise<void> {
  await supervisor.goto(`/staff/applications/${id}`);
  await supervisor.getByRole('link', { name: 'Open the issued document' }).click();
  await landed(supervisor, /\/staff\/documents\/[0-9a-f-]+$/, visit);
  await supervisor.getByLabel('Reason for revoking').fill(
    'Issued on a notice with a wrong ID number');
  await supervisor.getByRole('button', { name: 'Revoke the document' }).click();
  await shows(supervisor, /This document was revoked by the issuing agency/);
  await visit(supervisor);
}
