/**
 * Suspense resolution, maker-checker: a proposal moves nothing; the proposer cannot approve;
 * a second person's approval moves the money once (even two approvers at once), exactly as
 * ingest would have for the right reference; the books check stays clean throughout.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { accountCodes, balanceOf } from '#modules/ledger/index.ts';
import { systemClock } from '#platform/clock/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { money } from '#platform/money/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  fixtureIds,
  insertPaymentsFixture,
  newPayerId,
  receiptNumbers,
} from '#test/helpers/payments.ts';
import { receiptIssueTopic } from '../allocation-receipt-service.ts';
import { checkBooks } from '../books-check-service.ts';
import { createInvoiceForService, invoiceViewById } from '../invoice-service.ts';
import type { PaymentNotice } from '../payment-notices.ts';
import { recordNoticeInTrx } from '../receipt-service.ts';
import { findHeldPayment, suspenseDb } from './suspense-repo.ts';
import { decideSuspenseMatch, proposeSuspenseMatch } from './suspense-service.ts';

const nextReceipt = receiptNumbers('SM');
const staff = (id: string) => ({ kind: 'staff' as const, id, role: 'finance-officer' });

describeOnDatabases('suspense resolution (maker-checker)', (database) => {
  const deps = () => ({ db: database().db, clock: systemClock,
    logger: createLogger({ level: 'silent' }) });
  const maker = staff(uuidv7());
  const checker = staff(uuidv7());
  before(async () => {
    await insertPaymentsFixture(database());
  });

  const holdInSuspense = async (shillings: bigint) => {
    const notice: PaymentNotice = {
      source: 'c2b_confirmation', receiptNumber: nextReceipt(), checkoutRequestId: undefined,
      amount: money(shillings * 100n, 'KES'), accountReference: 'MISTYPED', paidAt: new Date(),
      shortcode: '222222', rawId: null,
    };
    const outcome = await database().db.transaction().execute((trx) =>
      recordNoticeInTrx(trx, notice, { now: new Date() }));
    assert.equal(outcome.disposition, 'suspense');
    return outcome.paymentId;
  };
  const newInvoice = async () => {
    const created = await createInvoiceForService(deps(), { service: fixtureIds.passport,
      payerAccountId: newPayerId(), now: new Date(), allowsPartPayment: true });
    assert.ok(created.ok);
    return created.value;
  };
  const propose = (paymentId: string, billReference: string, actor = maker) =>
    proposeSuspenseMatch(deps(), { paymentId, billReference, note: 'typed 0 for O',
      actor, now: new Date() });
  const decide = (matchId: string, actor: ReturnType<typeof staff>,
    decision: 'approved' | 'rejected' = 'approved') =>
    decideSuspenseMatch(deps(), { matchId, decision, note: '', actor, now: new Date() });
  const assertBooksClean = async () => {
    const report = await checkBooks(database().db);
    assert.deepEqual(report.findings, []);
  };

  it('moves nothing on a proposal; the proposer cannot approve; a second person can', async () => {
    const paymentId = await holdInSuspense(1_050n);
    const invoice = await newInvoice();
    const proposed = await propose(paymentId, invoice.reference.toLowerCase());
    assert.ok(proposed.ok);
    assert.equal((await findHeldPayment(suspenseDb(database().db), paymentId))?.disposition,
      'suspense');
    const own = await decide(proposed.value.id, maker);
    assert.equal(own.ok ? '' : own.error.code, 'PAY_SUSPENSE_MATCH_SAME_PERSON');
    const receiptEvents = () => sql<{ count: number }>`select count(*)::int as count
      from outbox_event where topic = ${receiptIssueTopic}`.execute(database().db)
      .then((result) => result.rows[0]?.count ?? 0);
    const before = await receiptEvents();
    const approved = await decide(proposed.value.id, checker);
    assert.ok(approved.ok);
    assert.equal(approved.value.decidedBy, checker.id);
    assert.equal(await receiptEvents(), before + 1, 'the citizen gets a receipt');
    const view = await invoiceViewById(deps(), invoice.id);
    assert.equal(view?.status, 'paid');
    assert.equal((await findHeldPayment(suspenseDb(database().db), paymentId))?.disposition,
      'allocated');
    const again = await decide(proposed.value.id, staff(uuidv7()));
    assert.equal(again.ok ? '' : again.error.code, 'PAY_SUSPENSE_MATCH_ALREADY_DECIDED');
    await assertBooksClean();
  });

  it('two approvers at once move the money once', async () => {
    const paymentId = await holdInSuspense(300n);
    const invoice = await newInvoice();
    const proposed = await propose(paymentId, invoice.reference);
    assert.ok(proposed.ok);
    const results = await Promise.all([decide(proposed.value.id, checker),
      decide(proposed.value.id, staff(uuidv7()))]);
    assert.equal(results.filter((result) => result.ok).length, 1);
    assert.deepEqual(results.flatMap((result) => result.ok ? [] : [result.error.code]),
      ['PAY_SUSPENSE_MATCH_ALREADY_DECIDED']);
    const view = await invoiceViewById(deps(), invoice.id);
    assert.equal(view?.paid.amountMinor, 300_00n);
    await assertBooksClean();
  });

  it('credits the excess beyond the invoice to the payer (the coverage rule)', async () => {
    const paymentId = await holdInSuspense(1_200n);
    const invoice = await newInvoice();
    const proposed = await propose(paymentId, invoice.reference);
    assert.ok(proposed.ok);
    assert.ok((await decide(proposed.value.id, checker)).ok);
    const credit = await balanceOf(database().db, accountCodes.payerCredit(invoice.payerAccountId),
      'KES');
    assert.equal(credit.amountMinor, 150_00n);
    await assertBooksClean();
  });

  it('refuses a paid invoice, a second open proposal, and a rejected match moves nothing',
    async () => {
      const paid = await newInvoice();
      const first = await holdInSuspense(1_050n);
      const matched = await propose(first, paid.reference);
      assert.ok(matched.ok);
      assert.ok((await decide(matched.value.id, checker)).ok);
      const paymentId = await holdInSuspense(100n);
      const refused = await propose(paymentId, paid.reference);
      assert.equal(refused.ok ? '' : refused.error.code, 'PAY_SUSPENSE_INVOICE_NOT_PAYABLE');
      const open = await newInvoice();
      const proposed = await propose(paymentId, open.reference);
      assert.ok(proposed.ok);
      const twice = await propose(paymentId, open.reference, checker);
      assert.equal(twice.ok ? '' : twice.error.code, 'PAY_SUSPENSE_MATCH_ALREADY_PROPOSED');
      const rejected = await decide(proposed.value.id, checker, 'rejected');
      assert.ok(rejected.ok);
      assert.equal((await findHeldPayment(suspenseDb(database().db), paymentId))?.disposition,
        'suspense');
      assert.ok((await propose(paymentId, open.reference)).ok);
      const unknown = await propose(paymentId, 'NOT A BILL');
      assert.equal(unknown.ok ? '' : unknown.error.code, 'PAY_BILL_REFERENCE_INVALID');
      await assertBooksClean();
    });

  it('keeps suspense equal to the payments held there over any proposals and decisions',
    async () => {
      const step = fc.record({ shillings: fc.integer({ min: 1, max: 2_000 }),
        approve: fc.boolean(), byMaker: fc.boolean() });
      await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 3 }),
        async (steps) => {
          for (const { shillings, approve, byMaker } of steps) {
            const paymentId = await holdInSuspense(BigInt(shillings));
            const invoice = await newInvoice();
            const proposed = await propose(paymentId, invoice.reference);
            assert.ok(proposed.ok);
            const decided = await decide(proposed.value.id, byMaker ? maker : checker,
              approve ? 'approved' : 'rejected');
            assert.equal(decided.ok, !byMaker);
          }
          await assertBooksClean();
        }), { numRuns: 4 });
    });
});
