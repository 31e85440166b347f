/**
 * The refund pages, role by role: reading for whoever reads payments (agency staff only their
 * agency's refunds), requesting for refunds.request, deciding, retrying and cancelling for
 * refunds.approve, the citizen's pages for account holders only; an anonymous caller sent to
 * sign in; ids that are not UUIDs find nothing. Then through the pages: a citizen asks for a
 * refund of their credit, cannot approve it, a finance officer approves; and the same
 * citizen's credit pays another of their bills instead.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { roles, type Role } from '#modules/authorisation/index.ts';
import { systemClock } from '#platform/clock/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { money } from '#platform/money/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { fixtureIds, insertPaymentsFixture } from '#test/helpers/payments.ts';
import { createTestAgency, signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { createInvoiceForService, invoiceView } from '../invoice-service.ts';
import type { PaymentsDeps } from '../payments-deps.ts';
import { recordNoticeInTrx } from '../receipt-service.ts';
import { requestRefund } from './refund-service.ts';
import { refundPaths } from './refund-views.ts';

const readers = new Set<Role>(['agency-officer', 'agency-supervisor', 'agency-admin', 'treasury',
  'finance-officer', 'auditor', 'platform-admin']);
const allAgencies = new Set<Role>(['treasury', 'finance-officer', 'auditor', 'platform-admin']);
const makers = new Set<Role>(['agency-officer', 'agency-supervisor', 'finance-officer']);
const checkers = new Set<Role>(['agency-supervisor', 'finance-officer']);

describeOnDatabases('refund routes: every role', (database) => {
  let app: FastifyInstance;
  let deps: PaymentsDeps;
  let agencyId = '';
  let refundId = '';
  let suspensePaymentId = '';
  let receipt = 0;
  const notice = async (accountReference: string) => {
    receipt += 1;
    const outcome = await database().db.transaction().execute((trx) => recordNoticeInTrx(trx, {
      source: 'c2b_confirmation', receiptNumber: `RF${String(receipt).padStart(8, '0')}`,
      checkoutRequestId: undefined, amount: money(1_050_00n, 'KES'), accountReference,
      paidAt: new Date(), shortcode: '222222', rawId: null,
    }, { now: new Date() }));
    return outcome.paymentId;
  };
  before(async () => {
    app = await buildTestApp(database());
    deps = { db: database().db, clock: systemClock, logger: createLogger({ level: 'silent' }) };
    agencyId = await createTestAgency(database(), 'Refund Authz Agency');
    await insertPaymentsFixture(database());
    const paymentId = await notice('MISTYPED');
    suspensePaymentId = paymentId;
    const asked = await requestRefund(deps, { paymentId, reason: 'suspense_unclaimed', note: '',
      actor: { kind: 'staff', id: uuidv7() }, scope: { kind: 'staff', agencies: 'all' },
      now: new Date() });
    assert.ok(asked.ok);
    refundId = asked.value.id;
  });
  after(async () => {
    await app.close();
  });
  const post = (caller: TestCaller | undefined, url: string, form: Record<string, string>) =>
    app.inject({ method: 'POST', url,
      headers: { ...caller?.headers, accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...(caller === undefined ? {}
        : { _csrf: caller.csrfToken }), ...form }).toString() });
  const expect = (allowed: boolean, status: number) => allowed ? status : 403;

  for (const role of roles.filter((r) => r !== 'agency-api-client')) {
    it(`gives ${role} exactly the refund pages and actions of its permissions`, async () => {
      const caller = await signInAs(database(), role, { agencyId });
      const html = { ...caller.headers, accept: 'text/html' };
      const get = async (url: string) => (await app.inject({ url, headers: html })).statusCode;
      const unknown = uuidv7();
      assert.equal(await get(refundPaths.page), expect(readers.has(role), 200), 'list');
      assert.equal(await get(refundPaths.refund(refundId)),
        expect(readers.has(role), allAgencies.has(role) ? 200 : 404), 'refund page');
      assert.equal(await get(`${refundPaths.newPage}?paymentId=${unknown}`),
        expect(makers.has(role), 404), 'new page');
      assert.equal((await post(caller, refundPaths.create, { paymentId: unknown,
        reason: 'other', note: 'n' })).statusCode, expect(makers.has(role), 404), 'create');
      for (const url of [refundPaths.decide(unknown), refundPaths.retry(unknown),
        refundPaths.cancel(unknown)]) {
        const form: Record<string, string> = url.endsWith('decision')
          ? { decision: 'approved' } : {};
        assert.equal((await post(caller, url, form)).statusCode,
          expect(checkers.has(role), 404), url);
      }
      const citizen = role === 'account-holder';
      assert.equal(await get(refundPaths.account), expect(citizen, 200), 'account list');
      assert.equal((await post(caller, refundPaths.account, { amount: '10', reason: 'other',
        note: 'n' })).statusCode, expect(citizen, 409), 'account request');
    });
  }

  it('sends an anonymous caller to sign in; an id that is no UUID finds nothing', async () => {
    const list = await app.inject({ url: refundPaths.page, headers: { accept: 'text/html' } });
    assert.equal(list.statusCode, 303);
    const officer = await signInAs(database(), 'finance-officer');
    for (const url of [refundPaths.refund('not-a-uuid'),
      `${refundPaths.newPage}?paymentId=x`]) {
      const odd = await app.inject({ url, headers: { ...officer.headers, accept: 'text/html' } });
      assert.equal(odd.statusCode, 404, url);
    }
    assert.equal((await post(officer, refundPaths.decide('x'), { decision: 'approved' }))
      .statusCode, 404);
  });

  it('a citizen asks for a refund of their credit; another person approves it', async () => {
    const citizen = await signInAs(database(), 'account-holder');
    const bill = await createInvoiceForService(deps, { service: fixtureIds.passport,
      payerAccountId: citizen.id, now: new Date() });
    assert.ok(bill.ok);
    await notice(bill.value.reference);
    await notice(bill.value.reference);
    const form = await app.inject({ url: refundPaths.accountNew,
      headers: { ...citizen.headers, accept: 'text/html' } });
    assert.match(form.body, /KES\s?1,050\.00/);
    const tooMuch = await post(citizen, refundPaths.account, { amount: '2000',
      reason: 'double_payment' });
    assert.equal(tooMuch.statusCode, 409);
    const asked = await post(citizen, refundPaths.account, { amount: '1050',
      reason: 'double_payment' });
    assert.equal(asked.statusCode, 303);
    const mine = await app.inject({ url: refundPaths.account,
      headers: { ...citizen.headers, accept: 'text/html' } });
    assert.match(mine.body, /Awaiting approval/);
    const officer = await signInAs(database(), 'finance-officer');
    const list = await app.inject({ url: `${refundPaths.page}?status=requested`,
      headers: { ...officer.headers, accept: 'text/html' } });
    const ids = [...list.body.matchAll(/\/staff\/refunds\/([0-9a-f-]{36})"/g)]
      .map((match) => match[1] ?? '');
    const id = ids.find((candidate) => candidate !== refundId) ?? '';
    const approved = await post(officer, refundPaths.decide(id), { decision: 'approved' });
    assert.equal(approved.statusCode, 303);
    const page = await app.inject({ url: refundPaths.refund(id),
      headers: { ...officer.headers, accept: 'text/html' } });
    assert.match(page.body, /Being paid/);
    for (const url of [refundPaths.page, refundPaths.refund(id)]) {
      const swahili = await app.inject({ url, headers: { ...officer.headers,
        accept: 'text/html', 'accept-language': 'sw' } });
      assert.equal(swahili.statusCode, 200);
      assert.doesNotMatch(swahili.body, /payments\.refunds\./, 'every key has Swahili');
      assert.match(swahili.body, /Marejesho/);
    }
  });

  it('an officer requests a refund of a duplicate payment through the form', async () => {
    const officer = await signInAs(database(), 'finance-officer');
    const headers = { ...officer.headers, accept: 'text/html' };
    const held = await app.inject({ url: `${refundPaths.newPage}?paymentId=${suspensePaymentId}`,
      headers });
    assert.equal(held.statusCode, 200);
    assert.match(held.body, /The whole receipt/);
    const citizen = await signInAs(database(), 'account-holder');
    const bill = await createInvoiceForService(deps, { service: fixtureIds.passport,
      payerAccountId: citizen.id, now: new Date() });
    assert.ok(bill.ok);
    await notice(bill.value.reference);
    const duplicate = await notice(bill.value.reference);
    const form = await app.inject({ url: `${refundPaths.newPage}?paymentId=${duplicate}`,
      headers });
    assert.match(form.body, /Amount in shillings/);
    const noNote = await post(officer, refundPaths.create, { paymentId: duplicate,
      reason: 'other', amount: '1050' });
    assert.equal(noNote.statusCode, 400);
    const badAmount = await post(officer, refundPaths.create, { paymentId: duplicate,
      reason: 'double_payment', amount: '10.50' });
    assert.equal(badAmount.statusCode, 422);
    const asked = await post(officer, refundPaths.create, { paymentId: duplicate,
      reason: 'double_payment', amount: '' });
    assert.equal(asked.statusCode, 303);
    const page = await app.inject({ url: asked.headers.location ?? '', headers });
    assert.match(page.body, /M-Pesa reversal of the receipt/);
    const own = await post(officer, refundPaths.decide(/[0-9a-f-]{36}/.exec(
      asked.headers.location ?? '')?.[0] ?? ''), { decision: 'approved' });
    assert.equal(own.statusCode, 403);
    const credit = await app.inject({ url: `${refundPaths.newPage}?payerAccountId=${citizen.id}`,
      headers });
    assert.match(credit.body, /at most KES\s?1,050\.00/);
  });

  it('agency staff refund their own agency\'s payments, and only those', async () => {
    const officer = await signInAs(database(), 'agency-officer', { agencyId: fixtureIds.agency });
    const supervisor = await signInAs(database(), 'agency-supervisor',
      { agencyId: fixtureIds.agency });
    const stranger = await signInAs(database(), 'agency-supervisor', { agencyId });
    const citizen = await signInAs(database(), 'account-holder');
    const bill = await createInvoiceForService(deps, { service: fixtureIds.passport,
      payerAccountId: citizen.id, now: new Date() });
    assert.ok(bill.ok);
    await notice(bill.value.reference);
    const duplicate = await notice(bill.value.reference);
    const asked = await post(officer, refundPaths.create, { paymentId: duplicate,
      reason: 'double_payment' });
    assert.equal(asked.statusCode, 303);
    const id = /[0-9a-f-]{36}/.exec(asked.headers.location ?? '')?.[0] ?? '';
    const theirs = await app.inject({ url: refundPaths.page,
      headers: { ...stranger.headers, accept: 'text/html' } });
    assert.ok(!theirs.body.includes(id), 'another agency does not list it');
    assert.equal((await post(stranger, refundPaths.decide(id), { decision: 'approved' }))
      .statusCode, 404);
    assert.equal((await post(supervisor, refundPaths.decide(id), { decision: 'approved' }))
      .statusCode, 303);
  });

  it('a citizen\'s credit pays another of their bills instead of a refund', async () => {
    const citizen = await signInAs(database(), 'account-holder');
    const first = await createInvoiceForService(deps, { service: fixtureIds.passport,
      payerAccountId: citizen.id, now: new Date() });
    const second = await createInvoiceForService(deps, { service: fixtureIds.passport,
      payerAccountId: citizen.id, now: new Date() });
    assert.ok(first.ok && second.ok);
    await notice(first.value.reference);
    await notice(first.value.reference);
    const paid = await post(citizen, `/pay/${second.value.reference}/credit`, {});
    assert.ok([302, 303].includes(paid.statusCode), String(paid.statusCode));
    assert.equal((await invoiceView(deps, second.value.reference))?.status, 'paid');
  });
});
