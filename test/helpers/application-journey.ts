/**
 * The applications journey in a real browser: the real app with the demo data (catalogue,
 * forms, staff) on a real port, M-Pesa played by the Daraja emulator on its own port, the
 * outbox workers that move a paid application on (payments' receipts, applications'
 * payment.allocated), and one Chromium. Helpers register people through the UI (the code read
 * from the dev inbox), sign staff in by cookie, and fill the demo marriage notice.
 */
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import type { Role } from '#modules/authorisation/index.ts';
import { applicationsModule } from '#modules/applications/index.ts';
import { identityCookieNames, syntheticPeople } from '#modules/identity/index.ts';
import { paymentsModule, receiptIssueTopic } from '#modules/payments/index.ts';
import { systemClock } from '#platform/clock/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { startOutboxWorker, type OutboxWorker } from '#platform/outbox/index.ts';
import { seedDemoData } from '../../src/seed.ts';
import { testDeps } from './app.ts';
import { launchChromium, openPage, type PageOptions } from './browser.ts';
import { openTestDatabase } from './databases.ts';
import { startPaymentsHarness, type PaymentsHarness } from './payments.ts';
import { signInAs } from './sessions.ts';

export const marriageSlug = 'civil-marriage';
export const marriageAgencySlug = 'registrar-of-marriages';

export type JourneyHarness = Readonly<{
  database: DatabaseHandle;
  payments: PaymentsHarness;
  browser: Browser;
  url: string;
  /** The registrar of marriages' agency id (its staff review the notices). */
  agencyId: string;
  newPage: (options?: PageOptions) => Promise<Page>;
  close: () => Promise<void>;
}>;

export async function startJourneyHarness(): Promise<JourneyHarness> {
  const opened = await openTestDatabase('pglite');
  const database = opened.handle;
  await seedDemoData(testDeps(database));
  // The payer "answers" the prompt after a second, as a person would.
  const payments = await startPaymentsHarness(database,
    { emulator: { timing: { stkCompletionDelayMs: 1_000 } } });
  const deps = testDeps(database, { config: payments.config });
  const receiptHandler = paymentsModule.outboxHandlers?.(deps)[receiptIssueTopic];
  assert.ok(receiptHandler !== undefined, 'payments issues receipts from the outbox');
  const handlers = { [receiptIssueTopic]: receiptHandler,
    ...applicationsModule.outboxHandlers?.(deps) };
  const worker: OutboxWorker = startOutboxWorker({ db: database.db, clock: systemClock,
    logger: createLogger({ level: 'silent' }), handlers, pollIntervalMs: 200 });
  const browser = await launchChromium();
  const agency = await sql<{ id: string }>`select id from agency
    where slug = ${marriageAgencySlug}`.execute(database.db);
  const agencyId = agency.rows[0]?.id;
  assert.ok(agencyId !== undefined, 'the demo catalogue has the registrar of marriages');
  return {
    database, payments, browser, url: payments.url, agencyId,
    newPage: (options) => openPage(browser, payments.url, options),
    close: async () => {
      await worker.stop();
      await browser.close();
      await payments.close();
      await opened.dispose();
    },
  };
}

export type Person = Readonly<{
  documentNumber: string;
  firstName: string;
  lastName: string;
  birthDate: string;
}>;

/** Generated people with national IDs, past the ones the demo data registers. */
export function journeyPeople(from: number, count: number): readonly Person[] {
  const people = syntheticPeople().filter((p) => p.documentType === 'national_id')
    .slice(from, from + count);
  assert.equal(people.length, count, 'the synthetic register has enough people');
  return people;
}

/** Runs on each page a journey step lands on (axe with JavaScript on; nothing when off). */
export type PageVisitor = (page: Page) => Promise<void>;

export const noVisit: PageVisitor = async () => undefined;

export async function heading(page: Page): Promise<string> {
  return (await page.locator('h1').innerText()).trim();
}

async function codeFromInbox(inbox: Page, recipient: string): Promise<string> {
  await inbox.goto('/dev/inbox');
  const message = await inbox.locator('article', { hasText: recipient }).first().innerText();
  const code = /\b(\d{6})\b/.exec(message)?.[1];
  assert.ok(code !== undefined, `a code was sent to ${recipient}`);
  return code;
}

/**
 * Registers a person through the UI (JS on or off, as the page was opened), reads the code
 * from the dev inbox in `inbox`, and signs in: the page ends on /account.
 */
export async function registerThroughUi(page: Page, inbox: Page, person: Person,
  phone: string, visit: PageVisitor = noVisit): Promise<void> {
  await page.goto('/register');
  assert.equal(await heading(page), 'Create an account');
  await visit(page);
  await page.getByLabel('National ID card').check();
  await page.getByLabel('ID or passport number').fill(person.documentNumber);
  await page.getByLabel('First name').fill(person.firstName);
  await page.getByLabel('Year of birth').fill(person.birthDate.slice(0, 4));
  await page.getByLabel('Mobile phone number').fill(phone);
  await page.getByLabel('SMS to my phone').check();
  await page.getByLabel('Create a password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/sign-in/code');
  await visit(page);
  const international = `+254${phone.replaceAll(' ', '').slice(1)}`;
  await page.getByLabel('Code', { exact: true }).fill(await codeFromInbox(inbox, international));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/account');
  await visit(page);
}

/** A page of a member of the registrar's staff, signed in by a session cookie. */
export async function staffPage(harness: JourneyHarness, role: Role,
  options: PageOptions = {}): Promise<Page> {
  const caller = await signInAs(harness.database, role, { agencyId: harness.agencyId });
  const page = await harness.newPage(options);
  const [name = '', value = ''] = (caller.headers.cookie ?? '').split('=');
  assert.equal(name, identityCookieNames(false).session);
  await page.context().addCookies([{ name, value, url: harness.url }]);
  return page;
}

/** A second page with the same person's cookies, e.g. in another language. */
export async function samePersonPage(harness: JourneyHarness, page: Page,
  options: PageOptions): Promise<Page> {
  const other = await harness.newPage(options);
  await other.context().addCookies(await page.context().cookies());
  return other;
}

function dateParts(at: Date): Readonly<{ day: string; month: string; year: string }> {
  return { day: String(at.getUTCDate()), month: String(at.getUTCMonth() + 1),
    year: String(at.getUTCFullYear()) };
}

async function fillDate(page: Page, name: string, iso: string | Date): Promise<void> {
  const parts = dateParts(typeof iso === 'string' ? new Date(`${iso}T00:00:00Z`) : iso);
  await page.locator(`[name="${name}.day"]`).fill(parts.day);
  await page.locator(`[name="${name}.month"]`).fill(parts.month);
  await page.locator(`[name="${name}.year"]`).fill(parts.year);
}

async function fill(page: Page, name: string, value: string): Promise<void> {
  await page.locator(`[name="${name}"]`).fill(value);
}

async function choose(page: Page, name: string, value: string): Promise<void> {
  await page.locator(`input[name="${name}"][value="${value}"]`).check();
}

export async function continueForm(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.waitForLoadState();
}


/**
 * Fills the four pages of the marriage notice from its first page (the "you" page), pressing
 * Continue on each: the page ends on "Check your answers".
 */
export async function fillMarriageNotice(page: Page, applicant: Person, partner: Person,
  visit: PageVisitor = noVisit): Promise<void> {
  assert.equal(await heading(page), 'About you');
  await visit(page);
  await fill(page, 'fullName', `${applicant.firstName} ${applicant.lastName}`);
  await fill(page, 'idNumber', applicant.documentNumber);
  await fillDate(page, 'dateOfBirth', applicant.birthDate);
  await choose(page, 'maritalStatus', 'never-married');
  await fill(page, 'occupation', 'Teacher');
  await fill(page, 'residence.line1', 'P.O. Box 100');
  await fill(page, 'residence.town', 'Nairobi');
  await continueForm(page);
  assert.equal(await heading(page), 'About the person you will marry');
  await visit(page);
  await fill(page, 'partnerName', `${partner.firstName} ${partner.lastName}`);
  await fill(page, 'partnerIdNumber', partner.documentNumber);
  await fillDate(page, 'partnerDateOfBirth', partner.birthDate);
  await choose(page, 'partnerMaritalStatus', 'never-married');
  await fill(page, 'partnerPhone', '0722 100 200');
  await continueForm(page);
  assert.equal(await heading(page), 'The ceremony');
  await visit(page);
  await choose(page, 'venue', 'nairobi');
  await fillDate(page, 'ceremonyDate', new Date(Date.now() + 60 * 24 * 60 * 60 * 1000));
  await continueForm(page);
  assert.equal(await heading(page), 'Witnesses');
  await visit(page);
  const witnesses = [['Amina Witness', '21000001', '0733 000 001'],
    ['Baraka Witness', '21000002', '0733 000 002']] as const;
  for (const [index, [name, idNumber, phone]] of witnesses.entries()) {
    await fill(page, `witnesses.${String(index)}.name`, name);
    await fill(page, `witnesses.${String(index)}.idNumber`, idNumber);
    await fill(page, `witnesses.${String(index)}.phone`, phone);
  }
  await continueForm(page);
  assert.equal(await heading(page), 'Check your answers');
}

/** Searches "marriage" from the home page, opens the service and presses "Apply now". */
export async function findMarriageAndApply(page: Page, visit: PageVisitor = noVisit):
  Promise<void> {
  await page.goto('/');
  await visit(page);
  await page.getByLabel('Search for a government service').fill('marriage');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL('**/services?q=marriage');
  await visit(page);
  await page.getByRole('link', { name: 'Civil marriage (notice and certificate)' }).click();
  await page.waitForURL(`**/services/${marriageSlug}`);
  await visit(page);
  await page.getByRole('link', { name: 'Apply now' }).click();
  await page.waitForURL(`**/services/${marriageSlug}/apply`);
  await visit(page);
}

/** The one application's status and invoice count, straight from the database. */
export async function applicationFacts(database: DatabaseHandle, applicationId: string):
  Promise<Readonly<{ status: string | undefined; invoices: number }>> {
  const state = await sql<{ status: string }>`select status from application_state
    where application_id = ${applicationId}`.execute(database.db);
  const invoices = await sql<{ n: string }>`select count(*) as n from invoice
    where subject = ${`application:${applicationId}`}`.execute(database.db);
  return { status: state.rows[0]?.status, invoices: Number(invoices.rows[0]?.n ?? 0) };
}

/** The application id from a URL like /applications/<id>/... */
export function applicationIdIn(url: string): string {
  const id = /\/applications\/([0-9a-f-]{36})/.exec(url)?.[1];
  assert.ok(id !== undefined, `an application URL: ${url}`);
  return id;
}
