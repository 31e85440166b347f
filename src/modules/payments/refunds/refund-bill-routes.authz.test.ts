/**
 * The pages of a refund of a bill paid for the wrong service, role by role: the staff form and
 * request (refunds.request), the citizen's form and request (account.self); a bill that does
 * not exist, or is not a UUID, is not found. Then through the pages: a citizen whose paid bill
 * was released sees it on their refunds page, asks for its refund, and a finance officer
 * approves it.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { roles, type Role } from '#modules/authorisation/index.ts';
import { systemClock } from '#platform/clock/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { fixtureIds, insertPaymentsFixture } from '#test/helpers/payments.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { releaseInvoiceInTrx } from '../invoice-release-service.ts';
import { createInvoiceForServiceInTrx } from '../invoice-service.ts';
import { accountMoneyPaths } from '../pages/account-money-paths.ts';
import type { PaymentsDeps } from '../payments-deps.ts';
import { recordNoticeInTrx } from '../receipt-service.ts';
import { refundPaths } from './refund-views.ts';

const makers = new Set<Role>(['agency-officer', 'agency-supervisor', 'finance-officer']);

describeOnDatabases('refund of a paid bill: routes for every role', (database) => {
  let app: FastifyInstance;
  let deps: PaymentsDeps;
  before(async () => {
    app = await buildTestApp(database());
    deps = { db: database().db, clock: systemClock, logger: createLogger({ level: 'silent' }) };
    await insertPaymentsFixture(database());
  });
  after(async () => {
    await app.close();
  });
  const post = (caller: TestCaller, url: string, form: Record<string, string>) =>
    app.inject({ method: 'POST', url,
      headers: { ...caller.headers, accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: caller.csrfToken, ...form }).toString() });
  const get = (caller: TestCaller, url: string) =>
    app.inject({ url, headers: { ...caller.headers, accept: 'text/html' } });
  const expect = (allowed: boolean, status: number) => allowed ? status : 403;

  for (const role of roles.filter((r) => r !== 'agency-api-client')) {
    it(`gives ${role} exactly the paid-bill refund pages of its permissions`, async () => {
      const caller = await signInAs(database(), role, { agencyId: fixtureIds.agency });
      const maker = makers.has(role);
      const citizen = role === 'account-holder';
      for (const invoiceId of [uuidv7(), 'not-a-uuid']) {
        assert.equal((await get(caller, `${refundPaths.newPage}?invoiceId=${invoiceId}`))
          .statusCode, expect(maker, 404), 'staff form');
        assert.equal((await post(caller, refundPaths.create, { invoiceId,
          reason: 'wrong_service' })).statusCode, expect(maker, 404), 'staff request');
        assert.equal((await get(caller, `${refundPaths.accountNew}?invoiceId=${invoiceId}`))
          .statusCode, expect(citizen, 404), 'citizen form');
        assert.equal((await get(caller, `${refundPaths.newPage}?reference=${invoiceId}`))
          .statusCode, expect(maker, 404), 'staff search');
        assert.equal((await post(caller, refundPaths.accountBill, { invoiceId }))
          .statusCode, expect(citizen, 404), 'citizen request');
      }
    });
  }

  it('a citizen asks for the refund of a released bill; a finance officer approves it',
    async () => {
      const citizen = await signInAs(database(), 'account-holder');
      await sql`update account set phone = '+254700000002' where id = ${citizen.id}::uuid`
        .execute(database().db);
      const now = new Date();
      const bill = await database().db.transaction().execute(async (trx) => {
        const created = await createInvoiceForServiceInTrx(trx, deps, {
          service: fixtureIds.passport, payerAccountId: citizen.id, now,
          subject: `application:${uuidv7()}` });
        assert.ok(created.ok);
        return created.value;
      });
      await database().db.transaction().execute((trx) => recordNoticeInTrx(trx, {
        source: 'c2b_confirmation', receiptNumber: 'RB00000001', checkoutRequestId: undefined,
        amount: bill.total, accountReference: bill.reference, paidAt: now, shortcode: '222222',
        rawId: null }, { now }));
      const before = await post(citizen, refundPaths.accountBill, { invoiceId: bill.id });
      assert.equal(before.statusCode, 409, 'not released yet');
      assert.match(before.body, /still going on/);
      await database().db.transaction().execute((trx) => releaseInvoiceInTrx(trx, {
        invoiceId: bill.id, reason: 'application-cancelled', actor: { kind: 'system', id: null },
        now }));
      const list = await get(citizen, refundPaths.account);
      assert.ok(list.body.includes(`${refundPaths.accountNew}?invoiceId=${bill.id}`));
      const bills = await get(citizen, accountMoneyPaths.bills('paid'));
      assert.ok(bills.body.includes(`${refundPaths.accountNew}?invoiceId=${bill.id}`),
        'the paid bill offers its refund');
      const form = await get(citizen, `${refundPaths.accountNew}?invoiceId=${bill.id}`);
      assert.equal(form.statusCode, 200);
      assert.ok(form.body.includes(bill.reference));
      const other = await signInAs(database(), 'account-holder');
      assert.equal((await get(other, `${refundPaths.accountNew}?invoiceId=${bill.id}`))
        .statusCode, 404, 'another payer\'s bill is not found');
      const asked = await post(citizen, refundPaths.accountBill, { invoiceId: bill.id });
      assert.equal(asked.statusCode, 303);
      const refund = await sql<{ id: string }>`select id from refund
        where invoice_id = ${bill.id}::uuid`.execute(database().db);
      const refundId = refund.rows[0]?.id ?? '';
      const checker = await signInAs(database(), 'finance-officer');
      assert.match((await get(checker, refundPaths.page)).body, /name="reference"/);
      const found = await get(checker, `${refundPaths.newPage}?reference=${
        bill.reference.toLowerCase()}`);
      assert.equal(found.statusCode, 200, 'the bill found by its reference, as typed');
      assert.ok(found.body.includes(`value="${bill.id}"`));
      assert.equal((await get(checker, `${refundPaths.newPage}?reference=NOPE`)).statusCode, 404);
      const page = await get(checker, refundPaths.refund(refundId));
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(bill.reference), 'the refund names its bill');
      const approved = await post(checker, refundPaths.decide(refundId),
        { decision: 'approved' });
      assert.equal(approved.statusCode, 303);
      const status = await sql<{ status: string }>`select status from refund
        where id = ${refundId}::uuid`.execute(database().db);
      assert.equal(status.rows[0]?.status, 'paying');
      assert.ok(!(await get(citizen, refundPaths.account)).body
        .includes(`invoiceId=${bill.id}`), 'no longer offered');
      const refunded = await get(citizen, accountMoneyPaths.bills('cancelled'));
      assert.ok(refunded.body.includes(bill.reference), 'a refunded bill is no longer paid');
      assert.match(refunded.body, /Refunded/);
    });
});
