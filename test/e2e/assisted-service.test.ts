/**
 * Assisted service in real Chromium against the real app, M-Pesa played by the Daraja emulator
 * over HTTP: a platform administrator lists an agent and publishes a cap; the agent signs in
 * with password and authenticator code, serves a citizen who consents with the code sent to
 * the citizen's phone (read here from the test inbox), makes the citizen's bill with the agent
 * fee shown apart, and sends the M-Pesa prompt to the citizen's phone; the bill is paid and
 * the receipt message goes to the citizen, not the agent. The same in Swahili with JavaScript
 * off. axe finds no WCAG 2.x A/AA violation on any of the module's pages, in both languages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'kysely';
import { base32Decode, hashPassword, hotp, totpStepAt } from '#modules/identity/index.ts';
import { listRecentNotifications } from '#modules/notifications/index.ts';
import { paymentsModule, receiptIssueTopic } from '#modules/payments/index.ts';
import { systemClock } from '#platform/clock/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { startOutboxWorker, type OutboxWorker } from '#platform/outbox/index.ts';
import { testDeps } from '#test/helpers/app.ts';
import { chromiumProblem, closePage, expectNoAxeViolations, expectNoThirdPartyRequests,
  launchChromium, openPage, openPageAs } from '#test/helpers/browser.ts';
import { openTestDatabase } from '#test/helpers/databases.ts';
import { latestCodeSentTo, messagesSentTo } from '#test/helpers/inbox.ts';
import { fixtureIds, insertPaymentsFixture, startPaymentsHarness,
  type PaymentsHarness } from '#test/helpers/payments.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { assistedPaths } from '../../src/modules/channel-assisted/assisted-paths.ts';
import { registerAgent } from '../../src/modules/channel-assisted/agent-register-service.ts';
import { publishFeeCap } from '../../src/modules/channel-assisted/fee-cap-service.ts';

const settleTimeoutMs = 30_000;
const oneQuestion = { version: 1, pages: [{ id: 'about', title: { en: 'About', sw: 'Kuhusu' },
  fields: [{ id: 'reason', kind: 'text', label: { en: 'Why you apply', sw: 'Kwa nini unaomba' },
    required: true, maxLength: 100 }] }] };
const agentPassword = 'cyber cafe pass phrase';
/** The TOTP secret signInAs gives every member of staff it makes. */
const testTotpSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('assisted service in Chromium', { skip: chromiumProblem ?? false }, () => {
  let database: DatabaseHandle;
  let harness: PaymentsHarness;
  let browser: Browser;
  let dispose: () => Promise<void> = async () => undefined;
  let receiptWorker: OutboxWorker | undefined;
  let phoneCounter = 0;

  before(async () => {
    const opened = await openTestDatabase('pglite');
    database = opened.handle;
    dispose = opened.dispose;
    await insertPaymentsFixture(database);
    harness = await startPaymentsHarness(database,
      { emulator: { timing: { stkCompletionDelayMs: 500 } } });
    browser = await launchChromium();
    const receiptHandler = paymentsModule.outboxHandlers?.(
      testDeps(database, { config: harness.config }))[receiptIssueTopic];
    assert.ok(receiptHandler !== undefined);
    receiptWorker = startOutboxWorker({ db: database.db, clock: systemClock,
      logger: createLogger({ level: 'silent' }), handlers: { [receiptIssueTopic]: receiptHandler },
      pollIntervalMs: 200 });
  });
  after(async () => {
    await receiptWorker?.stop();
    await browser?.close();
    await harness?.close();
    await dispose();
  });

  async function citizenWithPhone(): Promise<{ caller: TestCaller; phone: string }> {
    const caller = await signInAs(database, 'account-holder');
    phoneCounter += 1;
    // Ends in 55: none of the emulator's failure endings (0001 is "insufficient funds").
    const phone = `+25472212${String(phoneCounter).padStart(2, '0')}55`;
    await sql`update account set phone = ${phone} where id = ${caller.id}`.execute(database.db);
    return { caller, phone };
  }

  async function checkedAxe(page: Page): Promise<void> {
    await expectNoAxeViolations(page);
    expectNoThirdPartyRequests(page);
  }

  it('an administrator lists the agent and publishes a cap (axe, English)', async () => {
    const admin = await signInAs(database, 'platform-admin');
    const agent = await signInAs(database, 'assisted-agent');
    await sql`update staff_member set password_hash = ${await hashPassword(agentPassword)},
      email = 'agent.moi@huduma.example' where id = ${agent.id}`.execute(database.db);
    const page = await openPageAs(browser, harness.url, admin);
    try {
      await page.goto(assistedPaths.register);
      await checkedAxe(page);
      await page.getByLabel('Staff e-mail address').fill('agent.moi@huduma.example');
      await page.getByLabel('Agent number').fill('HC-NRB-00123');
      await page.getByLabel('Business or centre name').fill('Moi Avenue Cyber');
      await page.getByLabel('Location').fill('Moi Avenue, Nairobi');
      await page.getByRole('button', { name: 'Add to the register' }).click();
      await page.waitForURL('**/staff/assisted/agents?notice=saved');
      assert.match(await page.locator('table').innerText(), /HC-NRB-00123/);
      await page.getByRole('link', { name: 'Agent-fee caps' }).click();
      await checkedAxe(page);
      await page.getByLabel('Service', { exact: true }).fill('fixture-permit');
      await page.getByLabel('Cap, in shillings').fill('40');
      await page.getByRole('button', { name: 'Publish the cap' }).click();
      await page.waitForURL('**/staff/assisted/fee-caps?notice=saved');
      await checkedAxe(page);
      await page.goto(assistedPaths.feeTable);
      assert.match(await page.locator('table').innerText(), /Service fixture-permit\s+KES\s?40\.00/);
      await checkedAxe(page);
    } finally {
      await closePage(page);
    }
  });

  it('the agent signs in, serves a citizen with consent, the fee apart; the citizen pays',
    async () => {
      const { caller: citizen, phone } = await citizenWithPhone();
      const page = await openPage(browser, harness.url);
      try {
        await page.goto('/staff/sign-in');
        await page.getByLabel('Work e-mail address').fill('agent.moi@huduma.example');
        await page.getByLabel('Password').fill(agentPassword);
        await page.getByLabel('Code from your authenticator app').fill(
          hotp(base32Decode(testTotpSecret), totpStepAt(new Date())));
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForURL('**/staff');
        await checkedAxe(page);
        await page.getByRole('link', { name: 'Start serving a citizen' }).click();
        await page.waitForURL('**/staff/assisted');
        await checkedAxe(page);
        await page.getByLabel('Citizen\'s phone number or ID number')
          .fill(phone.replace('+254', '0'));
        await page.getByRole('button', { name: 'Send the code to the citizen' }).click();
        await page.waitForURL('**/staff/assisted/consents/*');
        assert.match(await page.locator('main').innerText(), new RegExp(`ending in ${
          phone.slice(-3)}`));
        await checkedAxe(page);
        const code = await latestCodeSentTo(database, phone, 'assisted.consent-code');
        await page.getByLabel('Code').fill(code);
        await page.getByRole('button', { name: 'Start serving' }).click();
        await page.waitForURL('**/staff/assisted/sessions/*');
        await checkedAxe(page);
        await page.getByLabel('Service', { exact: true }).fill('fixture-permit');
        await page.getByLabel('Your agent fee, in shillings').fill('45');
        await page.getByRole('button', { name: 'Make the bill' }).click();
        assert.match(await page.locator('.error-summary').innerText(), /above the published cap/);
        await checkedAxe(page);
        await page.getByLabel('Your agent fee, in shillings').fill('40');
        await page.getByRole('button', { name: 'Make the bill' }).click();
        await page.waitForURL('**/bills/*');
        const fees = await page.locator('table').innerText();
        assert.match(fees, /Government fee\s+Huduma paybill 222222, account \w+\s+KES\s?260\.00/);
        assert.match(fees, /Agent fee\s+The agent HC-NRB-00123, in hand; not to government\s+KES\s?40\.00/);
        await checkedAxe(page);
        await page.getByRole('button', { name: /Send the M-Pesa prompt/ }).click();
        await page.waitForURL('**/bills/*?notice=prompted');
        assert.match(await page.locator('[role=status]').innerText(), /PIN on their own phone/);
        const deadline = Date.now() + settleTimeoutMs;
        while (!(await page.locator('main').innerText()).includes('Paid.')) {
          assert.ok(Date.now() < deadline, 'the bill is paid within the time');
          await new Promise((resolve) => setTimeout(resolve, 300));
          await page.goto(page.url().replace('?notice=prompted', ''));
        }
        await checkedAxe(page);
        const deliveredBy = Date.now() + settleTimeoutMs;
        let receipts = 0;
        while (receipts === 0 && Date.now() < deliveredBy) {
          receipts = (await listRecentNotifications(database.db, 50)).filter((message) =>
            message.recipient === phone && message.template === 'payments.receipt-issued').length;
          if (receipts === 0) await new Promise((resolve) => setTimeout(resolve, 200));
        }
        assert.equal(receipts, 1, 'the receipt message goes to the citizen');
        const smsToCitizen = (await listRecentNotifications(database.db, 50)).find((message) =>
          message.recipient === phone && message.template === 'assisted.fee-summary');
        assert.match(smsToCitizen?.body ?? '', /Government fee .* Agent fee KES\s?40\.00/);
        const citizenPage = await openPageAs(browser, harness.url, citizen);
        try {
          await citizenPage.goto('/account');
          assert.match(await citizenPage.locator('main').innerText(),
            /Made for you by an agent[\s\S]*HC-NRB-00123/);
          await checkedAxe(citizenPage);
        } finally {
          await closePage(citizenPage);
        }
      } finally {
        await closePage(page);
      }
    });

  it('works in Swahili with JavaScript off; the agency sees the bill (axe)', async () => {
    const agent = await signInAs(database, 'assisted-agent');
    const admin = await signInAs(database, 'platform-admin');
    const listed = await registerAgent(testDeps(database), {
      email: `assisted-agent.${agent.id}@staff.test`, agentNumber: 'HC-MSA-00007',
      businessName: 'Huduma Centre Mombasa', kind: 'huduma-centre', location: 'Mombasa',
      actor: { kind: 'staff', id: admin.id }, now: new Date() });
    assert.ok(listed.ok);
    const { phone } = await citizenWithPhone();
    const page = await openPageAs(browser, harness.url, agent,
      { javaScript: false, locale: 'sw-KE' });
    // axe runs in a page with scripts on: the same agent, in Swahili, sees each page again.
    const axePage = await openPageAs(browser, harness.url, agent, { locale: 'sw-KE' });
    const axeAt = async (url: string) => {
      await axePage.goto(url);
      await checkedAxe(axePage);
    };
    try {
      await page.goto(assistedPaths.agentHome);
      await axeAt(assistedPaths.agentHome);
      await page.getByLabel('Nambari ya simu au ya kitambulisho ya mwananchi').fill(phone);
      await page.getByRole('button', { name: 'Tuma nambari kwa mwananchi' }).click();
      await page.waitForURL('**/staff/assisted/consents/*');
      await axeAt(page.url());
      await page.getByLabel('Nambari', { exact: true }).fill('000000');
      await page.getByRole('button', { name: 'Anza kuhudumia' }).click();
      const code = await latestCodeSentTo(database, phone, 'assisted.consent-code');
      if (code !== '000000') {
        assert.match(await page.locator('.error-summary').innerText(), /Majaribio yaliyobaki: 4/);
        await page.getByLabel('Nambari', { exact: true }).fill(code);
        await page.getByRole('button', { name: 'Anza kuhudumia' }).click();
      }
      await page.waitForURL('**/staff/assisted/sessions/*');
      await axeAt(page.url());
      await page.getByLabel('Huduma', { exact: true }).fill('fixture-permit');
      await page.getByLabel('Ada yako ya wakala, kwa shilingi').fill('0');
      await page.getByRole('button', { name: 'Tengeneza bili' }).click();
      await page.waitForURL('**/bills/*');
      assert.match(await page.locator('table').innerText(), /Ada ya wakala[\s\S]*KES\s?0\.00/);
      await axeAt(page.url());
      await page.getByRole('link', { name: 'Rudi kwenye kipindi' }).click();
      await page.getByRole('button', { name: 'Maliza kipindi' }).click();
      await page.waitForURL('**/staff/assisted?notice=ended');
      assert.match(await page.locator('main').innerText(), /HC-MSA-00007/);
      await axeAt(`${assistedPaths.agentHome}?notice=ended`);
      await axeAt(assistedPaths.feeTable);
      assert.equal(await messagesSentTo(database, '+254700000000'), 0);
    } finally {
      await closePage(page);
      await closePage(axePage);
    }
    const officer = await signInAs(database, 'agency-officer', { agencyId: fixtureIds.agency });
    for (const locale of ['en-KE', 'sw-KE']) {
      const agencyPage = await openPageAs(browser, harness.url, officer, { locale });
      try {
        await agencyPage.goto(assistedPaths.agencyBills);
        assert.match(await agencyPage.locator('table').innerText(), /HC-MSA-00007/);
        await checkedAxe(agencyPage);
      } finally {
        await closePage(agencyPage);
      }
    }
  });

  it('the agent applies for a citizen on a form; the citizen pays and sees it (axe, en, sw)',
    async () => {
      const agent = await signInAs(database, 'assisted-agent');
      const admin = await signInAs(database, 'platform-admin');
      const actor = { kind: 'staff' as const, id: admin.id };
      assert.ok((await registerAgent(testDeps(database), {
        email: `assisted-agent.${agent.id}@staff.test`, agentNumber: 'HC-KSM-00042',
        businessName: 'Kisumu Cyber', kind: 'cyber-cafe', location: 'Kisumu', actor,
        now: new Date() })).ok);
      await sql`update service set form_schema = ${JSON.stringify(oneQuestion)}
        where id = ${fixtureIds.passport}`.execute(database.db);
      assert.ok((await publishFeeCap(testDeps(database), { service: 'fixture-passport',
        amount: '100', effectiveFrom: new Date(Date.now() + 10_800_000).toISOString()
          .slice(0, 10), actor, now: new Date() })).ok);
      const { caller: citizen, phone } = await citizenWithPhone();
      const page = await openPageAs(browser, harness.url, agent);
      const swPage = await openPageAs(browser, harness.url, agent, { locale: 'sw-KE' });
      const citizenPage = await openPageAs(browser, harness.url, citizen);
      try {
        await page.goto(assistedPaths.agentHome);
        await page.getByLabel('Citizen\'s phone number or ID number').fill(phone);
        await page.getByRole('button', { name: 'Send the code to the citizen' }).click();
        await page.waitForURL('**/staff/assisted/consents/*');
        await page.getByLabel('Code').fill(
          await latestCodeSentTo(database, phone, 'assisted.consent-code'));
        await page.getByRole('button', { name: 'Start serving' }).click();
        await page.waitForURL('**/staff/assisted/sessions/*');
        await page.getByLabel('Service', { exact: true }).fill('fixture-passport');
        await page.getByLabel('Your agent fee, in shillings').fill('50');
        await page.getByRole('button', { name: 'Make the bill' }).click();
        await page.waitForURL('**/applications/*/pages/about');
        assert.match(await page.locator('main').innerText(), /made through agent HC-KSM-00042/);
        await checkedAxe(page);
        await swPage.goto(page.url());
        await checkedAxe(swPage);
        await page.getByRole('button', { name: 'Continue' }).click();
        assert.match(await page.locator('.error-summary').innerText(), /Why you apply/);
        await checkedAxe(page);
        await page.getByLabel('Why you apply').fill('Travel for work');
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForURL('**/applications/*/check');
        assert.match(await page.locator('main').innerText(), /Travel for work/);
        await checkedAxe(page);
        await swPage.goto(page.url());
        assert.match(await swPage.locator('main').innerText(), /kupitia wakala HC-KSM-00042/);
        await checkedAxe(swPage);
        await page.getByRole('button', { name: 'Submit the citizen\'s application' }).click();
        await page.waitForURL('**/bills/*');
        assert.match(await page.locator('table').innerText(),
          /Government fee[\s\S]*KES\s?1,050\.00[\s\S]*Agent fee[\s\S]*KES\s?50\.00/);
        await page.getByRole('button', { name: /Send the M-Pesa prompt/ }).click();
        await page.waitForURL('**/bills/*?notice=prompted');
        const deadline = Date.now() + settleTimeoutMs;
        while (!(await page.locator('main').innerText()).includes('Paid.')) {
          assert.ok(Date.now() < deadline, 'the bill is paid within the time');
          await new Promise((resolve) => setTimeout(resolve, 300));
          await page.goto(page.url().replace('?notice=prompted', ''));
        }
        await citizenPage.goto('/account');
        assert.match(await citizenPage.locator('main').innerText(),
          /Applications an agent made for you[\s\S]*Agent HC-KSM-00042 \(Kisumu Cyber\)/);
        await checkedAxe(citizenPage);
        await citizenPage.locator('#assisted-applications ~ table a').first().click();
        await citizenPage.waitForURL('**/applications/*');
        assert.match(await citizenPage.locator('main').innerText(),
          /Made through agent HC-KSM-00042 \(Kisumu Cyber\)/);
        await citizenPage.goto('/account/applications');
        assert.match(await citizenPage.locator('main').innerText(), /Service fixture-passport/);
        assert.equal(await messagesSentTo(database, '+254700000000'), 0);
      } finally {
        await closePage(page);
        await closePage(swPage);
        await closePage(citizenPage);
      }
    });
});
