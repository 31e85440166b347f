/**
 * Receipts say everything, in the reader's language: whom the money was for and, when someone
 * acting for a dependant paid, who paid ("Paid by X for Y"); the service and agency names from
 * the catalogue in Swahili; the bill's service fee and access fee; the service's next step (or
 * the general line); on the page and in the PDF. Their signed facts are unchanged. Both engines.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { runOutboxBatch } from '#platform/outbox/index.ts';
import { documentsPaths, listInvoiceReceipts } from '#modules/documents/index.ts';
import type { IdentityTables } from '#modules/identity/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  c2bConfirmationBody,
  insertPaymentsFixture,
  startPaymentsHarness,
  testCallbackToken,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { receiptIssueHandler, receiptIssueTopic } from './allocation-receipt-service.ts';
import { invoiceView } from './invoice-service.ts';
import { payPaths } from './pages/pay-paths.ts';

const pageHeaders = { accept: 'text/html' };
const formHeaders = { ...pageHeaders, 'content-type': 'application/x-www-form-urlencoded' };

describeOnDatabases('receipt details', (database) => {
  let harness: PaymentsHarness;
  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database());
    await sql`update service set name_sw = 'Pasipoti ya majaribio',
        next_step_en = 'Book your biometrics appointment at the Immigration office.',
        next_step_sw = 'Weka miadi ya alama za kibayometriki katika ofisi ya Uhamiaji.'
      where slug = 'fixture-passport'`.execute(database().db);
  });
  after(async () => harness.close());

  const get = (caller: TestCaller, url: string, language = 'en') => harness.app.inject({
    url, headers: { ...pageHeaders, ...caller.headers, 'accept-language': language } });
  const post = (caller: TestCaller, url: string, form: Record<string, string> = {}) =>
    harness.app.inject({ method: 'POST', url, headers: { ...formHeaders, ...caller.headers },
      payload: new URLSearchParams({ _csrf: caller.csrfToken, ...form }).toString() });
  const issueReceipts = () => runOutboxBatch({ db: database().db, clock: harness.deps.clock,
    logger: createLogger({ level: 'silent' }),
    handlers: { [receiptIssueTopic]: receiptIssueHandler(harness.deps) } });

  async function billFor(caller: TestCaller, slug: string): Promise<string> {
    const started = await post(caller, payPaths.startForService(slug));
    assert.equal(started.statusCode, 303, started.body);
    return decodeURIComponent(String(started.headers.location).split('/').pop() ?? '');
  }

  async function receiptPageOf(caller: TestCaller, reference: string, language = 'en') {
    const handOver = await get(caller, payPaths.receipt(reference));
    assert.equal(handOver.statusCode, 303);
    assert.match(String(handOver.headers.location), /^\/receipts\//);
    return get(caller, String(handOver.headers.location), language);
  }

  it('names the payer, splits the fees and says what is next, in English and Swahili',
    async () => {
      const payer = await signInAs(database(), 'account-holder');
      const reference = await billFor(payer, 'fixture-passport');
      const answer = await fetch(
        `${harness.url}/api/v1/payments/callbacks/${testCallbackToken}/c2b/confirmation`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: c2bConfirmationBody({ receipt: 'RDT0000001', billReference: reference,
            shillings: 1_050n }) });
      assert.equal(answer.status, 200);
      await issueReceipts();
      const english = await receiptPageOf(payer, reference);
      for (const text of ['<dt>Paid for</dt><dd>Test Person</dd>',
        '<dd>Service fixture-passport</dd>', '<dd>Immigration</dd>',
        '<dt>Service fee (of the bill)</dt><dd>KES\u00a01,000.00</dd>',
        '<dt>Access fee (of the bill)</dt><dd>KES\u00a050.00</dd>',
        '<dt>This payment</dt><dd>KES\u00a01,050.00</dd>',
        '<dt>What happens next</dt><dd>Book your biometrics appointment']) {
        assert.ok(english.body.includes(text), `the receipt shows ${text}`);
      }
      assert.ok(!english.body.includes('Payment made by'), 'the payer paid for themself');
      const swahili = await receiptPageOf(payer, reference, 'sw');
      for (const text of ['<dt>Imelipiwa</dt><dd>Test Person</dd>',
        '<dd>Pasipoti ya majaribio</dd>', '<dd>Uhamiaji</dd>',
        '<dt>Ada ya huduma (ya bili)</dt>', '<dt>Ada ya matumizi (ya bili)</dt>',
        '<dt>Kinachofuata</dt><dd>Weka miadi ya alama za kibayometriki']) {
        assert.ok(swahili.body.includes(text), `the Swahili receipt shows ${text}`);
      }
      const [receipt] = await listInvoiceReceipts(harness.deps,
        (await invoiceView(harness.deps, reference))?.id ?? '');
      assert.equal(receipt?.agencyName, 'Immigration', 'the signed agency name is unchanged');
      const pdf = await get(payer, documentsPaths.receiptPdf(receipt.id));
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      const link = await get(payer, documentsPaths.receiptByNumber(receipt.number));
      assert.equal(link.statusCode, 303);
      assert.equal(link.headers.location, documentsPaths.receipt(receipt.id));
      const stranger = await signInAs(database(), 'account-holder');
      assert.equal((await get(stranger, documentsPaths.receiptByNumber(receipt.number)))
        .statusCode, 404);
    });

  it('texts the payer Huduma\'s receipt once, with the service, the payer and the link, in '
    + 'their language', async () => {
    const payer = await signInAs(database(), 'account-holder');
    await sql`update account set language = 'sw' where id = ${payer.id}`.execute(database().db);
    const reference = await billFor(payer, 'fixture-passport');
    const answer = await fetch(
      `${harness.url}/api/v1/payments/callbacks/${testCallbackToken}/c2b/confirmation`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: c2bConfirmationBody({ receipt: 'RDT0000003', billReference: reference,
          shillings: 1_050n }) });
    assert.equal(answer.status, 200);
    await issueReceipts();
    await issueReceipts();
    const [receipt] = await listInvoiceReceipts(harness.deps,
      (await invoiceView(harness.deps, reference))?.id ?? '');
    assert.ok(receipt !== undefined);
    const sent = await sql<{ recipient: string; language: string; body: string }>`
      select recipient, language, body from notification
      where account_id = ${payer.id} and template = 'payments.receipt-issued'`
      .execute(database().db);
    assert.deepEqual(sent.rows.map((row) => [row.recipient, row.language]),
      [['+254700000000', 'sw']], 'one message, however often the receipt event runs');
    assert.equal(sent.rows[0]?.body, `Huduma: Pasipoti ya majaribio imelipiwa Test Person, ` +
      `risiti ${receipt.number}. Hatua zijazo: ${harness.url}/r/${receipt.number}`);
  });

  it('says "Paid by X for Y" when a parent paid a dependant\'s bill by M-Pesa prompt, and gives '
    + 'the general next step for a service without one', async () => {
    const parent = await signInAs(database(), 'account-holder');
    const childId = uuidv7();
    const now = new Date();
    await database().db.withTables<IdentityTables>().insertInto('account').values({
      id: childId, kind: 'citizen', document_type: 'birth_certificate',
      document_number: `B${childId.slice(-10)}`, first_name: 'Baraka', middle_name: null,
      last_name: 'Otieno', birth_date: '2015-02-03', business_name: null, password_hash: null,
      phone: null, email: null, created_at: now, updated_at: now,
    }).execute();
    await sql`update session set on_behalf_of_account_id = ${childId}
      where id = ${parent.sessionId}`.execute(database().db);
    const reference = await billFor(parent, 'fixture-permit');
    const pushed = await post(parent, payPaths.stkPush(reference),
      { phone: '0712 345 678', requestKey: uuidv7() });
    assert.equal(pushed.statusCode, 303, pushed.body);
    await harness.daraja.emulator.idle();
    for (let attempt = 0; attempt < 50 &&
      (await invoiceView(harness.deps, reference))?.status !== 'paid'; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await issueReceipts();
    const page = await receiptPageOf(parent, reference);
    assert.match(page.body, /Paid by Test Person for Baraka Otieno\./);
    assert.ok(page.body.includes('<dt>Paid for</dt><dd>Baraka Otieno</dd>'));
    assert.ok(page.body.includes('<dt>Payment made by</dt><dd>Test Person</dd>'));
    assert.match(page.body, /If this payment is for an application, follow it/);
  });
});
