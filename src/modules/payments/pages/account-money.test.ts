/**
 * The citizen's money pages: their bills by group with Pay and Cancel, their payments with
 * receipts and credit; only their own (or, acting for someone, only THAT account's); staff
 * refused, anonymous visitors sent to sign in; a paid bill cannot be cancelled; a service with
 * an application form is not paid as a bare fee. Both engines.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { runOutboxBatch } from '#platform/outbox/index.ts';
import type { IdentityTables } from '#modules/identity/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  c2bConfirmationBody,
  insertPaymentsFixture,
  receiptNumbers,
  startPaymentsHarness,
  testCallbackToken,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { receiptIssueHandler, receiptIssueTopic } from '../allocation-receipt-service.ts';
import { invoiceView } from '../invoice-service.ts';
import { accountMoneyPaths, billGroups, type BillGroup } from './account-money-paths.ts';
import { payPaths } from './pay-paths.ts';

const pageHeaders = { accept: 'text/html' };
const formHeaders = { ...pageHeaders, 'content-type': 'application/x-www-form-urlencoded' };
const groupOf: Readonly<Record<string, BillGroup>> = {
  unpaid: 'open', partially_paid: 'open', paid: 'paid', overpaid: 'paid', cancelled: 'cancelled',
  expired: 'expired',
};

describeOnDatabases('account money pages', (database) => {
  let harness: PaymentsHarness;
  let owner: TestCaller;
  let stranger: TestCaller;
  let staff: TestCaller;
  const nextReceipt = receiptNumbers('ACM');

  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database());
    owner = await signInAs(database(), 'account-holder');
    stranger = await signInAs(database(), 'account-holder');
    staff = await signInAs(database(), 'treasury');
  });
  after(async () => harness.close());

  const get = (caller: TestCaller | undefined, url: string, language = 'en') =>
    harness.app.inject({ url, headers: { ...pageHeaders, ...caller?.headers,
      'accept-language': language } });
  const post = (caller: TestCaller, url: string, form: Record<string, string> = {}) =>
    harness.app.inject({ method: 'POST', url, headers: { ...formHeaders, ...caller.headers },
      payload: new URLSearchParams({ _csrf: caller.csrfToken, ...form }).toString() });

  /** Presses Pay on a service page: the bill's reference. */
  async function billFor(caller: TestCaller, slug = 'fixture-passport'): Promise<string> {
    const started = await post(caller, payPaths.startForService(slug));
    assert.equal(started.statusCode, 303, started.body);
    return decodeURIComponent(String(started.headers.location).split('/').pop() ?? '');
  }

  async function payByPaybill(reference: string, shillings: bigint): Promise<string> {
    const receipt = nextReceipt();
    const answer = await fetch(
      `${harness.url}/api/v1/payments/callbacks/${testCallbackToken}/c2b/confirmation`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: c2bConfirmationBody({ receipt, billReference: reference, shillings }) });
    assert.equal(answer.status, 200);
    await runOutboxBatch({ db: database().db, clock: harness.deps.clock,
      logger: createLogger({ level: 'silent' }),
      handlers: { [receiptIssueTopic]: receiptIssueHandler(harness.deps) } });
    return receipt;
  }

  it('lists the owner\'s open bill with Pay and Cancel, in English and Swahili', async () => {
    const reference = await billFor(owner);
    const page = await get(owner, accountMoneyPaths.bills());
    assert.equal(page.statusCode, 200);
    for (const text of [reference, 'Service fixture-passport', 'KES\u00a01,050.00',
      `href="${payPaths.invoice(reference)}"`, `href="${accountMoneyPaths.cancelBill(reference)}"`,
      'Open (1)', 'Not paid']) {
      assert.ok(page.body.includes(text), `the bills page shows ${text}`);
    }
    const swahili = await get(owner, accountMoneyPaths.bills(), 'sw');
    assert.match(swahili.body, /Bili zako/);
    assert.match(swahili.body, new RegExp(`Lipa bili ${reference}`));
    const again = await billFor(owner);
    assert.equal(again, reference, 'pressing Pay again shows the same bill, not a new one');
  });

  it('shows another account none of the owner\'s bills, refuses staff, sends anonymous visitors '
    + 'to sign in', async () => {
    const reference = await billFor(owner);
    for (const url of [accountMoneyPaths.bills(), accountMoneyPaths.payments()]) {
      const other = await get(stranger, url);
      assert.equal(other.statusCode, 200);
      assert.ok(!other.body.includes(reference), `${url} shows another payer's bill`);
      const refused = await get(staff, url);
      assert.equal(refused.statusCode, 403, url);
      const anonymous = await get(undefined, url);
      assert.equal(anonymous.statusCode, 303, url);
      assert.match(String(anonymous.headers.location), /^\/sign-in\?return=/);
    }
    const cancel = accountMoneyPaths.cancelBill(reference);
    assert.equal((await get(stranger, cancel)).statusCode, 404);
    assert.equal((await post(stranger, cancel)).statusCode, 404);
    assert.equal((await get(staff, cancel)).statusCode, 403);
    assert.equal((await get(undefined, cancel)).statusCode, 303);
    assert.equal((await invoiceView(harness.deps, reference))?.status, 'unpaid',
      'the stranger\'s press cancelled nothing');
  });

  it('cancels an unpaid bill after a confirmation, and refuses a form without CSRF', async () => {
    const holder = await signInAs(database(), 'account-holder');
    const reference = await billFor(holder);
    const confirm = await get(holder, accountMoneyPaths.cancelBill(reference));
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /name="_csrf"/);
    const forged = await harness.app.inject({ method: 'POST',
      url: accountMoneyPaths.cancelBill(reference), headers: { ...formHeaders,
        ...holder.headers }, payload: '' });
    assert.equal(forged.statusCode, 403);
    const cancelled = await post(holder, accountMoneyPaths.cancelBill(reference));
    assert.equal(cancelled.statusCode, 303);
    assert.equal(cancelled.headers.location, accountMoneyPaths.cancelledNotice);
    assert.equal((await invoiceView(harness.deps, reference))?.status, 'cancelled');
    const list = await get(holder, String(cancelled.headers.location));
    assert.match(list.body, /The bill was cancelled\./);
    assert.ok(list.body.includes(reference));
    assert.match(list.body, /Cancelled \(1\)/);
    const fresh = await billFor(holder);
    assert.notEqual(fresh, reference, 'a cancelled bill is not reused by Pay');
    const late = await payByPaybill(reference, 1_050n);
    const payments = await get(holder, accountMoneyPaths.payments());
    for (const text of [late, 'Kept as credit (the bill had closed)',
      'None: the money is your credit', 'You have KES\u00a01,050.00 of credit', fresh]) {
      assert.ok(payments.body.includes(text), `the payments page shows ${text}`);
    }
  });

  it('refuses clearly to cancel a paid or partly paid bill', async () => {
    const holder = await signInAs(database(), 'account-holder');
    const partly = await billFor(holder);
    await payByPaybill(partly, 500n);
    const confirm = await get(holder, accountMoneyPaths.cancelBill(partly));
    assert.equal(confirm.statusCode, 409);
    assert.match(confirm.body, /money has been paid towards it/);
    assert.doesNotMatch(confirm.body, /Cancel this bill<\/button>/);
    const pressed = await post(holder, accountMoneyPaths.cancelBill(partly));
    assert.equal(pressed.statusCode, 409);
    assert.equal((await invoiceView(harness.deps, partly))?.status, 'partially_paid');
    const list = await get(holder, accountMoneyPaths.bills());
    assert.ok(list.body.includes(partly), 'a part-paid bill is still open');
    assert.ok(!list.body.includes(accountMoneyPaths.cancelBill(partly)), 'with no Cancel link');
  });

  it('refuses to cancel a closed bill or one issued for an application, saying why', async () => {
    const holder = await signInAs(database(), 'account-holder');
    const forApplication = await billFor(holder);
    await sql`update invoice set subject = ${`application:${uuidv7()}`}
      where reference = ${forApplication}`.execute(database().db);
    const refused = await post(holder, accountMoneyPaths.cancelBill(forApplication));
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /belongs to an application/);
    assert.equal((await invoiceView(harness.deps, forApplication))?.status, 'unpaid');
    const list = await get(holder, accountMoneyPaths.bills());
    assert.ok(!list.body.includes(accountMoneyPaths.cancelBill(forApplication)));
    const lapsed = await billFor(holder, 'fixture-permit');
    await sql`update invoice set issued_at = ${new Date(Date.now() - 2 * 86_400_000)},
      expires_at = ${new Date(Date.now() - 86_400_000)} where reference = ${lapsed}`
      .execute(database().db);
    const closed = await get(holder, accountMoneyPaths.cancelBill(lapsed), 'sw');
    assert.equal(closed.statusCode, 409);
    assert.match(closed.body, /Bili hii imeshafungwa/);
    const expired = await get(holder, accountMoneyPaths.bills('expired'));
    assert.ok(expired.body.includes(lapsed));
    assert.ok(expired.body.includes(`See bill ${lapsed}`));
  });

  it('pages a long list of bills', async () => {
    const holder = await signInAs(database(), 'account-holder');
    const now = new Date();
    for (let index = 0; index < 21; index += 1) {
      await sql`insert into invoice (id, reference, service_id, agency_id, payer_account_id,
          currency, total_minor, issued_at, expires_at)
        select ${uuidv7()}, ${`7${String(index).padStart(2, '0')}PAGE`}, service_id, agency_id,
          ${holder.id}, currency, total_minor, ${new Date(now.getTime() - index * 60_000)},
          ${new Date(now.getTime() + 86_400_000)}
        from invoice limit 1`.execute(database().db);
    }
    const first = await get(holder, accountMoneyPaths.bills());
    assert.match(first.body, /Open \(21\)/);
    assert.ok(first.body.includes('700PAGE') && !first.body.includes('720PAGE'));
    assert.ok(first.body.includes(`href="${accountMoneyPaths.bills('open', 2)
      .replaceAll('&', '&amp;')}"`));
    const second = await get(holder, accountMoneyPaths.bills('open', 2));
    assert.ok(second.body.includes('720PAGE') && !second.body.includes('700PAGE'));
    const tooDeep = await get(holder, '/account/bills?page=100000');
    assert.equal(tooDeep.statusCode, 400);
  });

  it('groups each bill as its derived status says, paid and open alike', async () => {
    const holder = await signInAs(database(), 'account-holder');
    const paid = await billFor(holder);
    await payByPaybill(paid, 1_050n);
    const open = await billFor(holder, 'fixture-permit');
    for (const group of billGroups) {
      const page = await get(holder, accountMoneyPaths.bills(group));
      for (const reference of [paid, open]) {
        const status = (await invoiceView(harness.deps, reference))?.status ?? 'unpaid';
        const listed = page.body.includes(`<td>${reference}</td>`);
        assert.equal(listed, groupOf[status] === group, `${reference} (${status}) in ${group}`);
      }
    }
  });

  it('lists payments with the M-Pesa receipt and Huduma\'s receipt, and the credit', async () => {
    const holder = await signInAs(database(), 'account-holder');
    const reference = await billFor(holder);
    const mpesa = await payByPaybill(reference, 1_100n);
    const page = await get(holder, accountMoneyPaths.payments());
    assert.equal(page.statusCode, 200);
    for (const text of [mpesa, reference, 'M-Pesa paybill', 'KES\u00a01,100.00',
      'You have KES\u00a050.00 of credit']) {
      assert.ok(page.body.includes(text), `the payments page shows ${text}`);
    }
    assert.match(page.body, /href="\/receipts\/[0-9a-f-]{36}">HR[0-9A-Z]{10}<\/a>/);
    const other = await get(stranger, accountMoneyPaths.payments());
    assert.ok(!other.body.includes(mpesa));
    const account = await get(holder, '/account');
    assert.equal(account.statusCode, 200);
    for (const text of ['Bills, payments and credit', 'Open bills: 0.', 'Credit: KES 50.00.',
      `href="${accountMoneyPaths.bills()}"`, `href="${accountMoneyPaths.payments()}"`]) {
      assert.ok(account.body.includes(text), `the account page shows ${text}`);
    }
  });

  it('acting for a dependant shows the dependant\'s bills only, and says so', async () => {
    const parent = await signInAs(database(), 'account-holder');
    const own = await billFor(parent);
    const childId = await insertAccount('Baraka', 'Otieno');
    await sql`update session set on_behalf_of_account_id = ${childId}
      where id = ${parent.sessionId}`.execute(database().db);
    const childs = await billFor(parent);
    assert.notEqual(childs, own);
    assert.equal((await invoiceView(harness.deps, childs))?.payerAccountId, childId);
    const page = await get(parent, accountMoneyPaths.bills());
    assert.ok(page.body.includes(childs));
    assert.ok(!page.body.includes(own), 'the holder\'s own bill is not in the dependant\'s list');
    assert.match(page.body, /You are acting for Baraka Otieno \(signed in as Test Person\)/);
    const pay = await get(parent, payPaths.invoice(childs));
    assert.match(pay.body, /You are paying as Test Person for Baraka Otieno\./);
  });

  it('sends a service with an application form to apply, and keeps fee-only services', async () => {
    await sql`update service set form_schema = '{"fields": []}'::jsonb
      where slug = 'fixture-permit'`.execute(database().db);
    const holder = await signInAs(database(), 'account-holder');
    const withForm = await post(holder, payPaths.startForService('fixture-permit'));
    assert.equal(withForm.statusCode, 303);
    assert.equal(withForm.headers.location, accountMoneyPaths.applyForService('fixture-permit'));
    const bills = await get(holder, accountMoneyPaths.bills());
    assert.match(bills.body, /You have no open bills\./, 'no bare bill was issued');
    const feeOnly = await post(holder, payPaths.startForService('fixture-passport'));
    assert.match(String(feeOnly.headers.location), /^\/pay\/[0-9A-Z]+$/);
  });

  async function insertAccount(first: string, last: string): Promise<string> {
    const id = uuidv7();
    const now = new Date();
    await database().db.withTables<IdentityTables>().insertInto('account').values({
      id, kind: 'citizen', document_type: 'birth_certificate',
      document_number: `B${id.slice(-10)}`, first_name: first, middle_name: null, last_name: last,
      birth_date: '2015-02-03', business_name: null, password_hash: null, phone: null,
      email: null, created_at: now, updated_at: now,
    }).execute();
    return id;
  }
});
