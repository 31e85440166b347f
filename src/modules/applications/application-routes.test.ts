import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { seedDemoCatalogue } from '#modules/catalogue/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { runOutboxBatch } from '#platform/outbox/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { startPaymentsHarness, type PaymentsHarness } from '#test/helpers/payments.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { applicationsPaths } from './applications-paths.ts';
import { checkApplications } from './applications-check.ts';
import { seedDemoForms } from './demo-forms-seed.ts';
import { paymentAllocatedHandler } from './payment-allocated-handler.ts';

const slug = 'driving-licence-renewal-one-year';
const pageHeaders = { accept: 'text/html' };

const licencePage = {
  licenceNumber: 'DL1234567', idNumber: '12345678', 'expiryDate.day': '1',
  'expiryDate.month': '2', 'expiryDate.year': '2027', licenceClasses: 'B',
};
const medicalPage = { medicalCondition: 'no', declaration: 'yes' };

describeOnDatabases('application routes: apply, pay, review, issue', (database) => {
  let harness: PaymentsHarness;
  let applicant: TestCaller;
  let stranger: TestCaller;
  let officer: TestCaller;
  let supervisor: TestCaller;
  let otherOfficer: TestCaller;
  let applicationId = '';

  before(async () => {
    harness = await startPaymentsHarness(database());
    await seedDemoCatalogue(harness.deps);
    await seedDemoForms(harness.deps);
    const agency = await sql<{ agency_id: string }>`select agency_id from service
      where slug = ${slug}`.execute(database().db);
    const agencyId = agency.rows[0]?.agency_id ?? '';
    applicant = await signInAs(database(), 'account-holder');
    stranger = await signInAs(database(), 'account-holder');
    officer = await signInAs(database(), 'agency-officer', { agencyId });
    supervisor = await signInAs(database(), 'agency-supervisor', { agencyId });
    const elsewhere = await sql<{ id: string }>`select id from agency
      where id <> ${agencyId} limit 1`.execute(database().db);
    otherOfficer = await signInAs(database(), 'agency-officer',
      { agencyId: elsewhere.rows[0]?.id ?? '' });
  });
  after(async () => harness.close());

  const get = (caller: TestCaller, url: string, language = 'en') => harness.app.inject({
    url, headers: { ...pageHeaders, ...caller.headers, 'accept-language': language } });
  const post = (caller: TestCaller, url: string, form: Record<string, string>) =>
    harness.app.inject({ method: 'POST', url,
      headers: { ...pageHeaders, ...caller.headers,
        'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: caller.csrfToken, ...form }).toString() });
  const statusOf = async () => (await sql<{ status: string }>`select status
    from application_state where application_id = ${applicationId}`
    .execute(database().db)).rows[0]?.status;
  const drainPayments = () => runOutboxBatch({ db: database().db, clock: harness.deps.clock,
    logger: createLogger({ level: 'silent' }),
    handlers: { 'payment.allocated': paymentAllocatedHandler(harness.deps) } });

  it('offers "Apply now", not a bare Pay, for a service with a form', async () => {
    const page = await get(applicant, `/services/${slug}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`href="${applicationsPaths.apply(slug)}"`));
    assert.doesNotMatch(page.body, /action="\/pay\/services\//);
  });

  it('starts once for one client action id, and saves each page as a draft', async () => {
    const clientActionId = uuidv7();
    const first = await post(applicant, applicationsPaths.apply(slug), { clientActionId });
    assert.equal(first.statusCode, 303, first.body);
    const again = await post(applicant, applicationsPaths.apply(slug), { clientActionId });
    assert.equal(again.headers.location, first.headers.location);
    applicationId = String(first.headers.location).split('/')[2] ?? '';
    const missing = await post(applicant, applicationsPaths.page(applicationId, 'licence'),
      { licenceNumber: 'DL1234567' });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /value="DL1234567"/, 'the form keeps what was typed');
    assert.match(missing.body, /class="error-summary"/);
    const saved = await post(applicant, applicationsPaths.page(applicationId, 'licence'),
      licencePage);
    assert.equal(saved.statusCode, 303, saved.body);
    assert.equal(saved.headers.location, applicationsPaths.page(applicationId, 'medical'));
    const resumed = await get(applicant, applicationsPaths.page(applicationId, 'licence'));
    assert.match(resumed.body, /value="DL1234567"/, 'a draft resumes with its answers');
    const done = await post(applicant, applicationsPaths.page(applicationId, 'medical'),
      medicalPage);
    assert.equal(done.headers.location, applicationsPaths.check(applicationId));
  });

  it('hides the application from everyone else', async () => {
    for (const url of [applicationsPaths.application(applicationId),
      applicationsPaths.check(applicationId), applicationsPaths.page(applicationId, 'licence')]) {
      assert.equal((await get(stranger, url)).statusCode, 404, url);
    }
    assert.equal((await get(otherOfficer,
      applicationsPaths.staffApplication(applicationId))).statusCode, 404);
  });

  it('submits once, issues the invoice, and is paid by M-Pesa through the emulator', async () => {
    const check = await get(applicant, applicationsPaths.check(applicationId));
    assert.match(check.body, /Submit and pay/);
    const clientActionId = uuidv7();
    const submitted = await post(applicant, applicationsPaths.submit(applicationId),
      { clientActionId });
    assert.equal(submitted.statusCode, 303, submitted.body);
    await post(applicant, applicationsPaths.submit(applicationId), { clientActionId });
    assert.equal(await statusOf(), 'awaiting-payment');
    const invoices = await sql<{ reference: string; total_minor: bigint }>`select reference,
      total_minor from invoice where subject = ${`application:${applicationId}`}`
      .execute(database().db);
    assert.equal(invoices.rows.length, 1, 'a double submit issues one invoice');
    const invoice = invoices.rows[0];
    assert.ok(invoice !== undefined);
    const outcome = await harness.daraja.emulator.simulateC2b({
      amountShillings: BigInt(invoice.total_minor) / 100n, msisdn: '0712345126',
      billReference: invoice.reference });
    await harness.daraja.emulator.idle();
    assert.equal(outcome.status, 'completed');
    await drainPayments();
    assert.equal(await statusOf(), 'paid');
  });

  it('lets the officer return it, the applicant resubmit without paying again', async () => {
    const queue = await get(officer, applicationsPaths.queue);
    assert.equal(queue.statusCode, 200);
    assert.ok(queue.body.includes(applicationsPaths.staffApplication(applicationId)));
    const act = (caller: TestCaller, kind: string, extra: Record<string, string> = {}) =>
      post(caller, applicationsPaths.staffAction(applicationId),
        { kind, clientActionId: uuidv7(), ...extra });
    assert.equal((await act(officer, 'start-review')).statusCode, 303);
    const noComment = await act(officer, 'return');
    assert.equal(noComment.statusCode, 400, 'a return needs a comment');
    assert.match(noComment.body, /<a href="#return-comment">/, 'the summary links the field');
    assert.match(noComment.body, /aria-invalid="true" aria-describedby="return-comment-error"/);
    assert.equal((await act(officer, 'return', { comment: 'Give the licence number as ' +
      'printed' })).statusCode, 303);
    assert.equal(await statusOf(), 'returned');
    const page = await get(applicant, applicationsPaths.application(applicationId));
    assert.match(page.body, /Give the licence number as printed/);
    await post(applicant, applicationsPaths.page(applicationId, 'licence'),
      { ...licencePage, licenceNumber: 'DL7654321' });
    const resubmitted = await post(applicant, applicationsPaths.submit(applicationId),
      { clientActionId: uuidv7() });
    assert.equal(resubmitted.statusCode, 303, resubmitted.body);
    assert.equal(await statusOf(), 'resubmitted');
    const invoices = await sql<{ n: string }>`select count(*) as n from invoice
      where subject = ${`application:${applicationId}`}`.execute(database().db);
    assert.equal(Number(invoices.rows[0]?.n), 1, 'no second invoice');
    assert.equal((await act(officer, 'start-review')).statusCode, 303);
    assert.equal((await act(officer, 'approve')).statusCode, 403, 'officers do not decide');
    assert.equal((await act(supervisor, 'approve')).statusCode, 303);
    assert.equal((await act(officer, 'issue')).statusCode, 303);
    assert.equal(await statusOf(), 'issued');
  });

  it('shows the timeline and the document, and the log explains the state', async () => {
    const page = await get(applicant, applicationsPaths.application(applicationId));
    for (const text of ['Started', 'Submitted', 'Bill issued', 'Paid', 'Returned for changes',
      'Resubmitted', 'Approved', 'Document issued', 'Get your document', 'Rate this service']) {
      assert.ok(page.body.includes(text), `the page shows ${text}`);
    }
    const swahili = await get(applicant, applicationsPaths.application(applicationId), 'sw');
    assert.match(swahili.body, /Hati imetolewa/);
    const report = await checkApplications(database().db);
    assert.deepEqual(report.findings, []);
    assert.ok(report.applicationsChecked >= 1);
  });

  it('refuses an illegal transition with a clear error', async () => {
    const again = await post(supervisor, applicationsPaths.staffAction(applicationId),
      { kind: 'approve', clientActionId: uuidv7() });
    assert.equal(again.statusCode, 409);
    const cancel = await post(applicant, applicationsPaths.action(applicationId, 'cancel'),
      { clientActionId: uuidv7() });
    assert.equal(cancel.statusCode, 409);
    assert.equal(await statusOf(), 'issued');
  });

  it('takes one rating after issue', async () => {
    const rated = await post(applicant, applicationsPaths.rate(applicationId),
      { rating: '5', comment: 'Quick' });
    assert.equal(rated.statusCode, 303);
    const twice = await post(applicant, applicationsPaths.rate(applicationId), { rating: '4' });
    assert.equal(twice.statusCode, 400);
    const home = await get(supervisor, '/staff');
    assert.match(home.body, /How applicants rate your services/);
    assert.match(home.body, /<td>5\.0<\/td><td>1<\/td>/, 'the rating feeds the report');
    const officerHome = await get(officer, '/staff');
    assert.doesNotMatch(officerHome.body, /How applicants rate/, 'officers read no reports');
    assert.match(officerHome.body, /Work queue/);
  });

  it('lists the applicant\'s applications and documents on their account', async () => {
    const account = await get(applicant, '/account');
    assert.match(account.body, /My applications/);
    assert.match(account.body, /My documents/);
    assert.match(account.body, /href="\/documents\/[0-9a-f-]{36}"/);
    const strangers = await get(stranger, '/account');
    assert.match(strangers.body, /No document has been issued to you yet/);
    const list = await get(applicant, applicationsPaths.mine);
    assert.match(list.body, /Issued/);
  });
});
