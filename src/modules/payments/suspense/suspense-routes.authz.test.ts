/**
 * The suspense register pages, role by role: the list and a receipt's page for those who read
 * reconciliation (finance officers, Treasury, auditors, platform administrators); proposing and
 * deciding for those who manage it (finance officers, platform administrators); everyone else
 * refused, an anonymous caller sent to sign in. Then a whole match through the pages: one
 * officer proposes, the same officer cannot approve, a second officer approves.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { roles, type Role } from '#modules/authorisation/index.ts';
import { systemClock } from '#platform/clock/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { money } from '#platform/money/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { fixtureIds, insertPaymentsFixture, newPayerId } from '#test/helpers/payments.ts';
import { createTestAgency, signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { createInvoiceForService } from '../invoice-service.ts';
import { recordNoticeInTrx } from '../receipt-service.ts';
import { findHeldPayment, suspenseDb } from './suspense-repo.ts';
import { suspensePaths } from './suspense-views.ts';

const readers = new Set<Role>(['finance-officer', 'treasury', 'auditor', 'platform-admin']);
const managers = new Set<Role>(['finance-officer', 'platform-admin']);
const unknownMatch = '0193a000-0000-7000-8000-00000000abcd';

describeOnDatabases('suspense register routes: every role', (database) => {
  let app: FastifyInstance;
  let agencyId = '';
  let paymentId = '';
  let receipt = 0;
  const holdInSuspense = async () => {
    receipt += 1;
    const outcome = await database().db.transaction().execute((trx) => recordNoticeInTrx(trx, {
      source: 'c2b_confirmation', receiptNumber: `SR${String(receipt).padStart(8, '0')}`,
      checkoutRequestId: undefined, amount: money(1_050_00n, 'KES'),
      accountReference: 'MISTYPED', paidAt: new Date(), shortcode: '222222', rawId: null,
    }, { now: new Date() }));
    return outcome.paymentId;
  };
  before(async () => {
    app = await buildTestApp(database());
    agencyId = await createTestAgency(database(), 'Suspense Authz Agency');
    await insertPaymentsFixture(database());
    paymentId = await holdInSuspense();
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

  for (const role of roles.filter((r) => r !== 'agency-api-client')) {
    it(`${readers.has(role) ? 'lets' : 'refuses'} ${role} read, and ${
      managers.has(role) ? 'lets' : 'refuses'} them propose and decide`, async () => {
      const caller = await signInAs(database(), role, { agencyId });
      const html = { ...caller.headers, accept: 'text/html' };
      const list = await app.inject({ url: suspensePaths.page, headers: html });
      assert.equal(list.statusCode, readers.has(role) ? 200 : 403, 'list');
      const page = await app.inject({ url: suspensePaths.payment(paymentId), headers: html });
      assert.equal(page.statusCode, readers.has(role) ? 200 : 403, 'payment page');
      // Allowed: the reference is not a bill reference (400); refused: 403 before any read.
      const propose = await post(caller, suspensePaths.propose(paymentId),
        { reference: 'NOT A BILL' });
      assert.equal(propose.statusCode, managers.has(role) ? 400 : 403, 'propose');
      const decide = await post(caller, suspensePaths.decide(unknownMatch),
        { decision: 'approved' });
      assert.equal(decide.statusCode, managers.has(role) ? 404 : 403, 'decide');
    });
  }

  it('sends an anonymous caller to sign in, and finds no page for an id that is no UUID',
    async () => {
      const page = await app.inject({ url: suspensePaths.page, headers: { accept: 'text/html' } });
      assert.equal(page.statusCode, 303);
      const propose = await post(undefined, suspensePaths.propose(paymentId), { reference: 'X' });
      assert.ok([303, 401, 403].includes(propose.statusCode), String(propose.statusCode));
      const officer = await signInAs(database(), 'finance-officer');
      const odd = await app.inject({ url: suspensePaths.payment('not-a-uuid'),
        headers: { ...officer.headers, accept: 'text/html' } });
      assert.equal(odd.statusCode, 404);
    });

  it('matches through the pages: one officer proposes, a second approves', async () => {
    const held = await holdInSuspense();
    const created = await createInvoiceForService({ db: database().db, clock: systemClock,
      logger: createLogger({ level: 'silent' }) }, { service: fixtureIds.passport,
      payerAccountId: newPayerId(), now: new Date() });
    assert.ok(created.ok);
    const maker = await signInAs(database(), 'finance-officer');
    const checker = await signInAs(database(), 'finance-officer');
    const found = await app.inject({ headers: { ...maker.headers, accept: 'text/html' },
      url: `${suspensePaths.payment(held)}?reference=${created.value.reference}` });
    assert.equal(found.statusCode, 200);
    assert.match(found.body, /KES\s?1,050\.00/);
    const proposed = await post(maker, suspensePaths.propose(held),
      { reference: created.value.reference, note: 'O typed as 0' });
    assert.equal(proposed.statusCode, 303);
    const page = await app.inject({ url: suspensePaths.payment(held),
      headers: { ...checker.headers, accept: 'text/html' } });
    const matchId = /\/staff\/suspense\/matches\/([0-9a-f-]{36})\/decision/.exec(page.body)?.[1];
    assert.ok(matchId !== undefined);
    const own = await post(maker, suspensePaths.decide(matchId), { decision: 'approved' });
    assert.equal(own.statusCode, 403);
    const approved = await post(checker, suspensePaths.decide(matchId), { decision: 'approved' });
    assert.equal(approved.statusCode, 303);
    assert.equal((await findHeldPayment(suspenseDb(database().db), held))?.disposition,
      'allocated');
    const decided = await app.inject({ url: `${suspensePaths.payment(held)}?notice=approved`,
      headers: { ...maker.headers, accept: 'text/html' } });
    assert.match(decided.body, /Approved/);
    assert.match(decided.body, /Matched to an invoice/);
    // Another receipt: the paid invoice is refused at the find, an unknown one is not found,
    // and a proposal rejected by the second officer leaves the receipt in suspense.
    const other = await holdInSuspense();
    const html = { ...maker.headers, accept: 'text/html' };
    const paid = await app.inject({ headers: html,
      url: `${suspensePaths.payment(other)}?reference=${created.value.reference}` });
    assert.match(paid.body, /already paid/);
    const unknown = await app.inject({ headers: html,
      url: `${suspensePaths.payment(other)}?reference=ABCDEFGH` });
    assert.equal(unknown.statusCode, 200);
    const open = await createInvoiceForService({ db: database().db, clock: systemClock,
      logger: createLogger({ level: 'silent' }) }, { service: fixtureIds.passport,
      payerAccountId: newPayerId(), now: new Date() });
    assert.ok(open.ok);
    assert.equal((await post(maker, suspensePaths.propose(other),
      { reference: open.value.reference })).statusCode, 303);
    assert.equal((await post(maker, suspensePaths.propose(other),
      { reference: open.value.reference })).statusCode, 409);
    const otherPage = await app.inject({ url: suspensePaths.payment(other), headers: html });
    const otherMatch = /\/staff\/suspense\/matches\/([0-9a-f-]{36})\/decision/
      .exec(otherPage.body)?.[1] ?? '';
    assert.equal((await post(checker, suspensePaths.decide(otherMatch),
      { decision: 'rejected', note: 'wrong payer' })).statusCode, 303);
    assert.equal((await findHeldPayment(suspenseDb(database().db), other))?.disposition,
      'suspense');
    assert.match((await app.inject({ url: suspensePaths.page, headers: html })).body,
      /Unresolved/);
  });
});
