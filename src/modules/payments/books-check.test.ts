/**
 * `huduma ledger check`'s payments half: books made right by the payment path pass; books
 * corrupted each way (as someone with the triggers off, or a bug, could leave them) are
 * reported, naming the invoice, payer or payment.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql, type RawBuilder } from 'kysely';
import { systemClock } from '#platform/clock/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { money } from '#platform/money/index.ts';
import { describeOnDatabases, switchTriggersOffInTrx } from '#test/helpers/databases.ts';
import {
  fixtureIds,
  insertPaymentsFixture,
  newPayerId,
  receiptNumbers,
} from '#test/helpers/payments.ts';
import { checkBooks, invoiceBooksFindings } from './books-check-service.ts';
import { createInvoiceForService } from './invoice-service.ts';
import type { PaymentNotice } from './payment-notices.ts';
import { recordNoticeInTrx } from './receipt-service.ts';

const nextReceipt = receiptNumbers('BK');

describeOnDatabases('the books check (invoices, credit, suspense, receipts)', (database) => {
  const deps = () => ({ db: database().db, clock: systemClock,
    logger: createLogger({ level: 'silent' }) });
  before(async () => {
    await insertPaymentsFixture(database());
  });

  const pay = async (reference: string, shillings: bigint) => {
    const receipt = nextReceipt();
    const notice: PaymentNotice = {
      source: 'c2b_confirmation', receiptNumber: receipt, checkoutRequestId: undefined,
      amount: money(shillings * 100n, 'KES'), accountReference: reference, paidAt: new Date(),
      shortcode: '222222', rawId: null,
    };
    const outcome = await database().db.transaction().execute((trx) =>
      recordNoticeInTrx(trx, notice, { now: new Date() }));
    return { receipt, paymentId: outcome.paymentId };
  };
  const newInvoice = async () => {
    const created = await createInvoiceForService(deps(), { service: fixtureIds.passport,
      payerAccountId: newPayerId(), now: new Date(), allowsPartPayment: true });
    assert.ok(created.ok);
    return created.value;
  };
  const tamper = (statement: RawBuilder<unknown>) =>
    database().db.transaction().execute(async (trx) => {
      await switchTriggersOffInTrx(trx);
      await statement.execute(trx);
    });
  const rulesFor = async (subject: string) => (await checkBooks(database().db)).findings
    .filter((finding) => finding.subject.includes(subject)).map((finding) => finding.rule).sort();

  it('passes books made by payments: part, whole, over, unknown reference', async () => {
    const part = await newInvoice();
    await pay(part.reference, 300n);
    const whole = await newInvoice();
    await pay(whole.reference, 1_050n);
    const over = await newInvoice();
    await pay(over.reference, 800n);
    await pay(over.reference, 800n);
    await pay(over.reference, 100n);
    await pay('NOSUCHBILL', 70n);
    const report = await checkBooks(database().db);
    assert.deepEqual(report.findings, []);
    assert.ok(report.ok);
    assert.ok(report.invoicesChecked >= 3);
  });

  it('names a covered invoice whose covered entry is missing (the lost-update bug)', async () => {
    const invoice = await newInvoice();
    await pay(invoice.reference, 1_050n);
    await tamper(sql`delete from ledger_line where entry_id in (select id from ledger_entry
      where idempotency_key = ${`invoice:${invoice.id}:covered`})`);
    await tamper(sql`delete from ledger_entry
      where idempotency_key = ${`invoice:${invoice.id}:covered`}`);
    assert.deepEqual(await rulesFor(invoice.reference), ['INVOICE_COVERED_WITHOUT_COVERED_ENTRY',
      'INVOICE_COVERED_WITH_DEPOSITS_LEFT']);
  });

  it('names an invoice whose deposits differ from its allocations', async () => {
    const invoice = await newInvoice();
    const { paymentId } = await pay(invoice.reference, 200n);
    await tamper(sql`update payment_allocation set amount_minor = 100
      where payment_id = ${paymentId}`);
    assert.deepEqual(await rulesFor(invoice.reference),
      ['INVOICE_DEPOSITS_DIFFER_FROM_ALLOCATIONS']);
    await tamper(sql`update payment_allocation set amount_minor = 20000
      where payment_id = ${paymentId}`);
    assert.deepEqual(await rulesFor(invoice.reference), []);
  });

  it('names an invoice not covered that has a covered entry, and a covered entry of another '
    + 'amount', async () => {
    const invoice = await newInvoice();
    const { paymentId } = await pay(invoice.reference, 1_050n);
    await tamper(sql`update payment_allocation set amount_minor = 100000
      where payment_id = ${paymentId}`);
    assert.deepEqual(await rulesFor(invoice.reference), ['INVOICE_DEPOSITS_DIFFER_FROM_ALLOCATIONS',
      'INVOICE_NOT_COVERED_HAS_COVERED_ENTRY']);
    await tamper(sql`update payment_allocation set amount_minor = 105000
      where payment_id = ${paymentId}`);
    await tamper(sql`update invoice set total_minor = 100000 where id = ${invoice.id}`);
    assert.ok((await rulesFor(invoice.reference))
      .includes('INVOICE_COVERED_ENTRY_RECOGNISES_OTHER_AMOUNT'));
    await tamper(sql`update invoice set total_minor = 105000 where id = ${invoice.id}`);
    assert.deepEqual(await rulesFor(invoice.reference), []);
  });

  it('names a payer whose credit differs from what they overpaid', async () => {
    const invoice = await newInvoice();
    await pay(invoice.reference, 1_050n);
    const extra = await pay(invoice.reference, 500n);
    assert.deepEqual(await rulesFor(invoice.payerAccountId), []);
    await tamper(sql`update payment_allocation set amount_minor = 10000
      where payment_id = ${extra.paymentId}`);
    const rules = await rulesFor(invoice.payerAccountId);
    assert.deepEqual(rules, ['PAYER_CREDIT_DIFFERS_FROM_OVERPAYMENTS']);
    await tamper(sql`update payment_allocation set amount_minor = 50000
      where payment_id = ${extra.paymentId}`);
    assert.deepEqual(await rulesFor(invoice.payerAccountId), []);
  });

  it('names suspense that differs from the payments held, and receipt entries that disagree',
    async () => {
      const held = await pay('UNKNOWNREF', 90n);
      await tamper(sql`update payment set amount_minor = 8000 where id = ${held.paymentId}`);
      assert.deepEqual(await rulesFor('suspense'), ['SUSPENSE_DIFFERS_FROM_PAYMENTS_HELD']);
      assert.deepEqual(await rulesFor(held.receipt), ['PAYMENT_RECEIPT_ENTRY_WRONG']);
      await tamper(sql`delete from payment_event where payment_id = ${held.paymentId}`);
      await tamper(sql`delete from payment where id = ${held.paymentId}`);
      const findings = (await checkBooks(database().db)).findings;
      assert.ok(findings.some((finding) => finding.rule === 'PAYMENT_RECEIPT_ENTRY_WRONG' &&
        finding.detail.includes('names a payment not recorded')));
    });
});

it('invoiceBooksFindings: the rules of one invoice, as a table', () => {
  const base = { id: 'i', reference: 'R', currency: 'KES' as const, totalMinor: 1000n,
    cancelled: false, allocatedMinor: 0n, depositsMinor: 0n, coveredEntries: 0,
    recognisedMinor: 0n, withdrawn: false, coverageWithdrawals: 0 };
  const rules = (row: Partial<typeof base>) =>
    invoiceBooksFindings({ ...base, ...row }).map((finding) => finding.rule);
  assert.deepEqual(rules({}), []);
  assert.deepEqual(rules({ allocatedMinor: 400n, depositsMinor: 400n }), []);
  assert.deepEqual(rules({ allocatedMinor: 400n, depositsMinor: 0n }),
    ['INVOICE_DEPOSITS_DIFFER_FROM_ALLOCATIONS']);
  assert.deepEqual(rules({ allocatedMinor: 1200n, coveredEntries: 1, recognisedMinor: 1000n }),
    []);
  assert.deepEqual(rules({ allocatedMinor: 1000n, depositsMinor: 1000n }),
    ['INVOICE_COVERED_WITHOUT_COVERED_ENTRY', 'INVOICE_COVERED_WITH_DEPOSITS_LEFT']);
  assert.deepEqual(rules({ allocatedMinor: 1000n, coveredEntries: 1, recognisedMinor: 900n }),
    ['INVOICE_COVERED_ENTRY_RECOGNISES_OTHER_AMOUNT']);
  assert.deepEqual(rules({ allocatedMinor: 999n, depositsMinor: 0n, coveredEntries: 1 }),
    ['INVOICE_NOT_COVERED_HAS_COVERED_ENTRY', 'INVOICE_DEPOSITS_DIFFER_FROM_ALLOCATIONS']);
  const paid = { allocatedMinor: 1000n, coveredEntries: 1, recognisedMinor: 1000n };
  assert.deepEqual(rules({ ...paid, withdrawn: true, coverageWithdrawals: 1 }), []);
  assert.deepEqual(rules({ ...paid, withdrawn: true }),
    ['INVOICE_WITHDRAWN_COVERAGE_NOT_CORRECTED']);
  assert.deepEqual(rules({ ...paid, coverageWithdrawals: 1 }),
    ['INVOICE_COVERAGE_WITHDRAWN_NOT_RECORDED']);
});
