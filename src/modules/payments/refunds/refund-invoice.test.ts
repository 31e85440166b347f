/**
 * Refunds of a bill paid for the wrong service: refused until the subject's owner releases the
 * bill (a fee-only bill needs no release); approved by a second person, the approval returns
 * the agency's and Treasury's recognition to the invoice, moves it to the payer's credit and
 * on to refunds payable, to the cent; refused, moving nothing, once the agency was settled.
 * The books check stays clean.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import type { AuditActor } from '#modules/audit/index.ts';
import {
  accountCodes,
  balanceOf,
  postEntryInTrx,
  settlementReleased,
  type AccountCode,
} from '#modules/ledger/index.ts';
import { systemClock } from '#platform/clock/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { money } from '#platform/money/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { fixtureIds, insertPaymentsFixture, receiptNumbers } from '#test/helpers/payments.ts';
import { signInAs } from '#test/helpers/sessions.ts';
import { checkBooks } from '../books-check-service.ts';
import { releaseInvoiceInTrx } from '../invoice-release-service.ts';
import {
  createInvoiceForService,
  createInvoiceForServiceInTrx,
  invoiceViewById,
} from '../invoice-service.ts';
import type { PaymentNotice } from '../payment-notices.ts';
import type { PaymentsDeps } from '../payments-deps.ts';
import { recordNoticeInTrx } from '../receipt-service.ts';
import { approveRefund, requestRefund, type RefundScope } from './refund-service.ts';

const nextReceipt = receiptNumbers('WS');
const finance: RefundScope = { kind: 'staff', agencies: 'all' };
const staff = (id: string): AuditActor => ({ kind: 'staff', id, role: 'finance-officer' });
const maker = staff('00000000-0000-7000-8000-00000000ab01');
const checker = staff('00000000-0000-7000-8000-00000000ab02');

describeOnDatabases('refunds of a bill paid for the wrong service', (database) => {
  let deps: PaymentsDeps;
  before(async () => {
    await insertPaymentsFixture(database());
    deps = { db: database().db, clock: systemClock, logger: createLogger({ level: 'silent' }) };
  });

  async function payer(): Promise<string> {
    const citizen = await signInAs(database(), 'account-holder');
    await sql`update account set phone = '+254700000001' where id = ${citizen.id}::uuid`
      .execute(database().db);
    return citizen.id;
  }

  /** A bill for an application (a subject), paid in full by M-Pesa. */
  async function paidBill(options: Readonly<{ subject?: boolean; pay?: boolean }> = {}) {
    const payerAccountId = await payer();
    const now = new Date();
    const created = options.subject === false
      ? await createInvoiceForService(deps, { service: fixtureIds.passport, payerAccountId, now })
      : await database().db.transaction().execute((trx) => createInvoiceForServiceInTrx(trx,
        deps, { service: fixtureIds.passport, payerAccountId, now,
          subject: `application:${uuidv7()}` }));
    assert.ok(created.ok);
    const invoice = created.value;
    if (options.pay !== false) {
      const notice: PaymentNotice = { source: 'c2b_confirmation', receiptNumber: nextReceipt(),
        checkoutRequestId: undefined, amount: invoice.total, accountReference: invoice.reference,
        paidAt: now, shortcode: '222222', rawId: null };
      await database().db.transaction().execute((trx) =>
        recordNoticeInTrx(trx, notice, { now }));
    }
    return { id: invoice.id, total: invoice.total, payerAccountId };
  }

  const release = (invoiceId: string, reason: 'application-cancelled' |
    'application-rejected' = 'application-rejected') =>
    database().db.transaction().execute((trx) => releaseInvoiceInTrx(trx, {
      invoiceId, reason, actor: { kind: 'system', id: null }, now: new Date() }));
  const ask = (invoiceId: string) => requestRefund(deps, { invoiceId, reason: 'wrong_service',
    note: '', actor: maker, scope: finance, now: new Date() });
  const approve = (refundId: string, actor = checker) => approveRefund(deps, { refundId, actor,
    scope: finance, now: new Date() });
  const balance = async (code: AccountCode) =>
    (await balanceOf(database().db, code, 'KES')).amountMinor;
  const codeOf = (result: { ok: boolean; error?: { code: string } }) =>
    result.ok ? 'ok' : result.error?.code;

  async function assertBooksClean() {
    const report = await checkBooks(database().db);
    assert.deepEqual(report.findings, []);
  }

  it('is refused until released, and for an unpaid bill; a release is recorded once',
    async () => {
      const bill = await paidBill();
      assert.equal(codeOf(await ask(bill.id)), 'PAY_REFUND_INVOICE_NOT_RELEASED');
      assert.equal(await release(bill.id, 'application-cancelled'), 'released');
      assert.equal(await release(bill.id), 'already-released');
      const unpaid = await paidBill({ pay: false });
      await release(unpaid.id);
      assert.equal(codeOf(await ask(unpaid.id)), 'PAY_REFUND_INVOICE_NOT_PAID');
      assert.equal(codeOf(await ask(uuidv7())), 'PAY_REFUND_SOURCE_NOT_FOUND');
      assert.equal(codeOf(await ask('not-a-uuid')), 'PAY_REFUND_SOURCE_NOT_FOUND');
      const partOfIt = await requestRefund(deps, { invoiceId: bill.id, reason: 'wrong_service',
        amount: money(100_00n, 'KES'), note: '', actor: maker, scope: finance, now: new Date() });
      assert.equal(codeOf(partOfIt), 'PAY_REFUND_NOT_REFUNDABLE');
      const mine = await requestRefund(deps, { invoiceId: bill.id, reason: 'wrong_service',
        note: '', actor: { kind: 'account', id: uuidv7() },
        scope: { kind: 'account', accountId: uuidv7() }, now: new Date() });
      assert.equal(codeOf(mine), 'PAY_REFUND_NOT_YOURS');
    });

  it('a released bill: approval by another person moves payable -> credit -> refunds payable',
    async () => {
      const bill = await paidBill();
      await release(bill.id);
      const agency = accountCodes.agencyPayable(fixtureIds.agency);
      const fees = accountCodes.accessFeeRevenue();
      const credit = accountCodes.payerCredit(bill.payerAccountId);
      const refunds = accountCodes.refundsPayable();
      const before = { agency: await balance(agency), fees: await balance(fees),
        refunds: await balance(refunds) };
      const asked = await ask(bill.id);
      assert.ok(asked.ok);
      assert.equal(asked.value.invoiceId, bill.id);
      assert.equal(asked.value.amount.amountMinor, bill.total.amountMinor);
      assert.equal(codeOf(await ask(bill.id)), 'PAY_REFUND_INVOICE_PENDING');
      assert.equal(codeOf(await approve(asked.value.id, maker)), 'PAY_REFUND_SAME_PERSON');
      const approved = await approve(asked.value.id);
      assert.ok(approved.ok);
      assert.equal(approved.value.status, 'paying');
      const given = (before.agency - await balance(agency)) + (before.fees - await balance(fees));
      assert.equal(given, bill.total.amountMinor);
      assert.equal(await balance(refunds) - before.refunds, bill.total.amountMinor);
      assert.equal(await balance(credit), 0n);
      assert.equal(await balance(accountCodes.invoiceDeposits(bill.id)), 0n);
      assert.equal(codeOf(await ask(bill.id)), 'PAY_REFUND_INVOICE_WITHDRAWN');
      assert.equal((await invoiceViewById(deps, bill.id))?.status, 'withdrawn');
      await assertBooksClean();
    });

  it('a fee-only bill needs no release', async () => {
    const bill = await paidBill({ subject: false });
    assert.equal(await release(bill.id), 'no-subject');
    assert.equal(await release(uuidv7()), 'not-found');
    assert.equal(await release('not-a-uuid'), 'not-found');
    const asked = await ask(bill.id);
    assert.ok(asked.ok);
    assert.ok((await approve(asked.value.id)).ok);
    await assertBooksClean();
  });

  it('once the agency was settled the approval is refused and nothing moves', async () => {
    const bill = await paidBill();
    await release(bill.id);
    const asked = await ask(bill.id);
    assert.ok(asked.ok);
    const agency = accountCodes.agencyPayable(fixtureIds.agency);
    const held = await balance(agency);
    await database().db.transaction().execute(async (trx) => {
      const settled = await postEntryInTrx(trx, settlementReleased({ lineId: uuidv7(),
        batchId: uuidv7(), payee: { kind: 'agency', agencyId: fixtureIds.agency },
        amount: money(held, 'KES'), occurredAt: new Date() }));
      assert.ok(settled.ok);
    });
    const refused = await approve(asked.value.id);
    assert.equal(codeOf(refused), 'PAY_REFUND_INVOICE_SETTLED');
    assert.equal(await balance(agency), 0n);
    assert.equal(await balance(accountCodes.invoiceDeposits(bill.id)), 0n);
    assert.equal(await balance(accountCodes.payerCredit(bill.payerAccountId)), 0n);
    const report = await checkBooks(database().db);
    assert.deepEqual(report.findings.filter((finding) => finding.subject.includes(bill.id)), []);
  });

  it('races: two requests of one bill, two checkers, an approval against a settlement',
    async () => {
      const bill = await paidBill();
      await release(bill.id);
      const asked = await Promise.all([ask(bill.id), ask(bill.id)]);
      assert.deepEqual(asked.map(codeOf).sort(), ['PAY_REFUND_INVOICE_PENDING', 'ok']);
      const refund = asked.find((result) => result.ok);
      assert.ok(refund?.ok === true);
      const other = staff('00000000-0000-7000-8000-00000000ab03');
      const agency = accountCodes.agencyPayable(fixtureIds.agency);
      // The agency payable holds exactly this bill's share (the test before settled the rest).
      const held = await balance(agency);
      const settle = () => database().db.transaction().execute(async (trx) => {
        const posted = await postEntryInTrx(trx, settlementReleased({ lineId: uuidv7(),
          batchId: uuidv7(), payee: { kind: 'agency', agencyId: fixtureIds.agency },
          amount: money(held, 'KES'), occurredAt: new Date() }));
        return posted.ok ? 'ok' : posted.error.code;
      });
      const [first, second, settled] = await Promise.all([approve(refund.value.id),
        approve(refund.value.id, other), settle()]);
      const approvals = [codeOf(first), codeOf(second)];
      assert.ok(approvals.filter((code) => code === 'ok').length <= 1, approvals.join());
      const approved = approvals.includes('ok');
      assert.equal(settled === 'ok', !approved, `${approvals.join()} ${settled}`);
      assert.equal(await balance(agency), 0n);
      const report = await checkBooks(database().db);
      assert.deepEqual(report.findings.filter((finding) => finding.subject.includes(bill.id)), []);
    });
});
