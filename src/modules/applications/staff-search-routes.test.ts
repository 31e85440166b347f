/**
 * The staff search, on both databases: each kind of number is found within the officer's
 * agency, forgiving case and spaces; another agency's officer finds nothing; treasury finds
 * everything, money that reached no bill included; sign-in and account holders are refused;
 * the page shows no payer names or phone numbers, and each search is audited without its query.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { documentsPaths } from '#modules/documents/index.ts';
import {
  createInvoiceForServiceInTrx,
  paymentsModule,
  receiptIssueTopic,
} from '#modules/payments/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { runOutboxBatch } from '#platform/outbox/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  c2bConfirmationBody,
  fixtureIds,
  insertPaymentsFixture,
  startPaymentsHarness,
  testCallbackToken,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { createTestAgency, signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import {
  applicationsDb,
  insertApplicationInTrx,
  insertInitialStateInTrx,
  updateStateInTrx,
} from './application-repo.ts';
import { generateApplicationReference } from './application-reference.ts';
import { applicationsPaths } from './applications-paths.ts';
import { queryKindsOf } from './staff-search-service.ts';

const html = { accept: 'text/html' };
const searchUrl = (q: string) => `/staff/search?${new URLSearchParams({ q }).toString()}`;

/** Forgiving forms of what a person might type: lower case, spaces, hyphens. */
function sloppy(reference: string): string {
  return ` ${reference.toLowerCase().split('').join(' ')} `;
}

it('tells which kinds a query could be', () => {
  assert.deepEqual(queryKindsOf(''), []);
  assert.ok(queryKindsOf('a-7k2m 9qx4').includes('application'));
  assert.ok(queryKindsOf('hr7k2m9qx4pl').includes('huduma-receipt'));
  assert.ok(queryKindsOf('TKL9X2ABC7').includes('mpesa-receipt'));
  assert.deepEqual(queryKindsOf('Wanjiru Otieno'), [], 'a name is no reference');
  assert.deepEqual(queryKindsOf('0712345678901234'), [], 'nor is a long number');
});

describeOnDatabases('staff search: applications, bills and receipts of the agency', (database) => {
  let harness: PaymentsHarness;
  let officer: TestCaller;
  let otherOfficer: TestCaller;
  let treasury: TestCaller;
  let applicant: TestCaller;
  const found = { applicationId: '', reference: '', bill: '', receiptId: '', receiptNumber: '' };
  const mpesaReceipt = 'SRC4K7P2QX';
  const strayReceipt = 'SRC9Z8Y7XW';

  const c2b = (receipt: string, billReference: string, shillings: bigint) => fetch(
    `${harness.url}/api/v1/payments/callbacks/${testCallbackToken}/c2b/confirmation`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: c2bConfirmationBody({ receipt, billReference, shillings }) });

  async function applicationWithPaidBill(): Promise<void> {
    const now = harness.deps.clock.now();
    const id = uuidv7();
    const reference = generateApplicationReference();
    const bill = await applicationsDb(database().db).transaction().execute(async (trx) => {
      const row = { id, reference, serviceId: fixtureIds.passport, agencyId: fixtureIds.agency,
        applicantAccountId: applicant.id, startedByAccountId: applicant.id, form: {},
        createdAt: now };
      assert.ok(await insertApplicationInTrx(trx, row));
      await insertInitialStateInTrx(trx, row);
      const invoice = await createInvoiceForServiceInTrx(trx, harness.deps, {
        service: fixtureIds.passport, payerAccountId: applicant.id, now,
        subject: `application:${id}` });
      assert.ok(invoice.ok);
      await updateStateInTrx(trx, id, { status: 'awaiting-payment', invoice_id: invoice.value.id,
        submitted_at: now });
      return invoice.value;
    });
    assert.equal((await c2b(mpesaReceipt, bill.reference, bill.total.amountMinor / 100n)).status,
      200);
    const handlers = paymentsModule.outboxHandlers?.(harness.deps) ?? {};
    const issue = handlers[receiptIssueTopic];
    assert.ok(issue !== undefined);
    await runOutboxBatch({ db: database().db, clock: harness.deps.clock,
      logger: createLogger({ level: 'silent' }), handlers: { [receiptIssueTopic]: issue } });
    const receipt = await sql<{ id: string; number: string }>`select id, number from receipt
      where invoice_id = ${bill.id}`.execute(database().db);
    Object.assign(found, { applicationId: id, reference, bill: bill.reference,
      receiptId: receipt.rows[0]?.id ?? '', receiptNumber: receipt.rows[0]?.number ?? '' });
    assert.ok(found.receiptNumber !== '', 'the receipt was issued');
  }

  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database());
    officer = await signInAs(database(), 'agency-officer', { agencyId: fixtureIds.agency });
    otherOfficer = await signInAs(database(), 'agency-supervisor',
      { agencyId: await createTestAgency(database(), 'Elsewhere') });
    treasury = await signInAs(database(), 'treasury');
    applicant = await signInAs(database(), 'account-holder');
    await applicationWithPaidBill();
    // Money for a bill that does not exist: suspense, no agency's.
    assert.equal((await c2b(strayReceipt, 'NOSUCHBILL', 500n)).status, 200);
  });
  after(async () => harness.close());

  const search = (caller: TestCaller | undefined, q: string, language = 'en') =>
    harness.app.inject({ url: searchUrl(q), headers: { ...html, 'accept-language': language,
      ...(caller === undefined ? {} : caller.headers) } });

  it('finds the application by its reference, typed loosely, with a link to review it',
    async () => {
      const page = await search(officer, sloppy(found.reference));
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(`href="${applicationsPaths.staffApplication(
        found.applicationId)}"`));
      assert.match(page.body, /Awaiting payment/);
    });

  it('finds the bill: amounts, status, its payments, receipts and application', async () => {
    const page = await search(officer, sloppy(found.bill));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`Bill ${found.bill}`));
    assert.match(page.body, /KES\s1,050\.00/);
    assert.match(page.body, /<dd>Paid<\/dd>/);
    assert.ok(page.body.includes(mpesaReceipt));
    assert.ok(page.body.includes(`href="${documentsPaths.staffReceipt(found.receiptId)}"`));
    assert.ok(page.body.includes(applicationsPaths.staffApplication(found.applicationId)));
  });

  it('finds the M-Pesa payment and the bill and application it paid', async () => {
    const page = await search(officer, mpesaReceipt.toLowerCase());
    assert.match(page.body, new RegExp(`M-Pesa payment ${mpesaReceipt}`));
    assert.match(page.body, /Paid a bill/);
    assert.match(page.body, new RegExp(`Bill</dt><dd>${found.bill}`));
    assert.ok(page.body.includes(applicationsPaths.staffApplication(found.applicationId)));
  });

  it('finds the Huduma receipt with a link to it', async () => {
    const page = await search(officer, sloppy(found.receiptNumber));
    assert.match(page.body, new RegExp(`Huduma receipt ${found.receiptNumber}`));
    assert.ok(page.body.includes(`href="${documentsPaths.staffReceipt(found.receiptId)}"`));
    assert.ok(page.body.includes(applicationsPaths.staffApplication(found.applicationId)));
  });

  it('shows no payer name or phone number', async () => {
    for (const q of [found.bill, mpesaReceipt, found.receiptNumber, found.reference]) {
      const page = await search(treasury, q);
      assert.doesNotMatch(page.body, /JOHN|DOE|Test Person|\+2547|2547 \*/, q);
    }
  });

  it('finds nothing of another agency: an out-of-scope match is simply not found', async () => {
    for (const q of [found.reference, found.bill, mpesaReceipt, found.receiptNumber,
      strayReceipt]) {
      const page = await search(otherOfficer, q);
      assert.equal(page.statusCode, 200, q);
      assert.match(page.body, /Nothing found/, q);
      assert.ok(!page.body.includes(found.applicationId), q);
      assert.ok(!page.body.includes(found.receiptId), q);
    }
    assert.match((await search(officer, strayReceipt)).body, /Nothing found/,
      'money that reached no bill is no agency\'s');
  });

  it('lets treasury find everything, money in suspense included', async () => {
    for (const q of [found.reference, found.bill, mpesaReceipt, found.receiptNumber]) {
      const page = await search(treasury, q);
      assert.ok(page.body.includes(found.applicationId) || page.body.includes(found.receiptId), q);
    }
    const stray = await search(treasury, strayReceipt);
    assert.match(stray.body, new RegExp(`M-Pesa payment ${strayReceipt}`));
    assert.match(stray.body, /In suspense/);
  });

  it('audits each search with what matched, never the query', async () => {
    const before = await sql<{ n: bigint }>`select count(*) as n from audit_record
      where action = 'STAFF_SEARCHED'`.execute(database().db);
    await search(officer, found.bill);
    await search(officer, '');
    const rows = await sql<{ detail: Record<string, unknown>; agency_id: string | null;
      personal_data_read: boolean; actor_id: string | null }>`select detail, agency_id,
      personal_data_read, actor_id from audit_record where action = 'STAFF_SEARCHED'
      order by sequence desc`.execute(database().db);
    assert.equal(BigInt(rows.rows.length), BigInt(before.rows[0]?.n ?? 0n) + 1n,
      'an empty box is not a search');
    const last = rows.rows[0];
    assert.ok(last !== undefined);
    assert.equal(last.actor_id, officer.id);
    assert.equal(last.agency_id, fixtureIds.agency);
    assert.equal(last.personal_data_read, false);
    assert.equal(last.detail.matched, 'invoice');
    assert.ok(!JSON.stringify(rows.rows).includes(found.bill), 'the query is not kept');
  });

  it('speaks Swahili, says when a query is too long, and offers the box on the staff home',
    async () => {
      const sw = await search(officer, found.reference, 'sw');
      assert.match(sw.body, /<html lang="sw">/);
      assert.match(sw.body, /Ombi /);
      const long = await search(officer, 'X'.repeat(60));
      assert.equal(long.statusCode, 200);
      assert.match(long.body, /longer than any reference/);
      const home = await harness.app.inject({ url: '/staff', headers: { ...html,
        ...officer.headers } });
      assert.match(home.body, /<form method="get" action="\/staff\/search"/);
    });

  it('sends an anonymous visitor to the staff sign-in and refuses an account holder',
    async () => {
      const anonymous = await search(undefined, found.reference);
      assert.equal(anonymous.statusCode, 303);
      assert.match(String(anonymous.headers.location), /^\/staff\/sign-in\?return=/);
      const citizen = await search(applicant, found.reference);
      assert.equal(citizen.statusCode, 403);
      assert.ok(!citizen.body.includes(found.applicationId));
    });
});
