import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import { manualClock } from '#platform/clock/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { money } from '#platform/money/index.ts';
import { accountCodes, balanceOf } from '#modules/ledger/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  fixtureIds,
  fixtureNow,
  insertPaymentsFixture,
  newPayerId,
} from '#test/helpers/payments.ts';
import { parseBillReference } from './bill-reference.ts';
import { payerCreditBalance, payInvoiceFromCredit } from './credit-service.ts';
import {
  cancelInvoice,
  createInvoiceForService,
  findInvoiceByReference,
  invoiceView,
} from './invoice-service.ts';
import type { PaymentsDeps } from './payments-deps.ts';
import { recordNoticeInTrx } from './receipt-service.ts';
import { checkBooks } from './books-check-service.ts';

const kes = (amountMinor: bigint) => money(amountMinor, 'KES');
const dayMs = 24 * 60 * 60 * 1000;

describeOnDatabases('invoices and payer credit', (database) => {
  let deps: PaymentsDeps;
  before(async () => {
    await insertPaymentsFixture(database());
    deps = {
      db: database().db,
      clock: manualClock(fixtureNow),
      logger: createLogger({ level: 'silent' }),
    };
  });

  async function issue(service: string = fixtureIds.passport, payerAccountId = newPayerId()) {
    const created = await createInvoiceForService(deps,
      { service, payerAccountId, now: fixtureNow });
    assert.ok(created.ok, created.ok ? "" : `${created.error.code} ${created.error.detail ?? ""}`);
    return created.value;
  }

  /** Gives a payer credit: a payment to their cancelled invoice. */
  async function giveCredit(payerId: string, amountMinor: bigint, receiptNumber: string) {
    const other = await issue(fixtureIds.permit, payerId);
    const cancelled = await cancelInvoice(deps, { reference: other.reference,
      actor: { kind: 'system', id: 'test' }, now: fixtureNow });
    assert.ok(cancelled.ok);
    const outcome = await database().db.transaction().execute((trx) => recordNoticeInTrx(trx, {
      source: 'c2b_confirmation', receiptNumber, checkoutRequestId: undefined,
      amount: kes(amountMinor), accountReference: other.reference, paidAt: fixtureNow,
      shortcode: '222222', rawId: null,
    }, { now: fixtureNow }));
    assert.equal(outcome.disposition, 'credited');
  }

  it('issues an invoice: fee version, access fee, total, reference, 30-day expiry', async () => {
    const invoice = await issue();
    assert.equal(parseBillReference(invoice.reference), invoice.reference);
    assert.equal(invoice.reference.length, 10);
    assert.deepEqual(invoice.lines.map((line) => [line.kind, line.amount.amountMinor]),
      [['service_fee', 1_000_00n], ['access_fee', 50_00n]]);
    assert.equal(invoice.lines[0]?.feeScheduleVersion, 1);
    assert.equal(invoice.lines[0]?.gazetteReference, 'Fixture notice 1');
    // The access fee names the gazetted tier schedule that priced it.
    const accessLine = await sql<{ schedule: string; gazette: string }>`select
      access_fee_schedule_id as schedule, gazette_reference as gazette from invoice_line
      where invoice_id = ${invoice.id} and kind = 'access_fee'`.execute(database().db);
    assert.deepEqual(accessLine.rows, [{ schedule: '01930000-0000-7000-8000-000000000001',
      gazette: 'Access fee tiers as gazetted for the eCitizen platform, 2023' }]);
    assert.deepEqual(invoice.total, kes(1_050_00n));
    assert.deepEqual(invoice.balanceDue, kes(1_050_00n));
    assert.equal(invoice.status, 'unpaid');
    assert.equal(invoice.expiresAt.getTime() - fixtureNow.getTime(), 30 * dayMs);
    const audit = await sql<{ action: string }>`select action from audit_record
      where subject_id = ${invoice.id}`.execute(database().db);
    assert.deepEqual(audit.rows.map((row) => row.action), ['INVOICE_ISSUED']);
  });

  it('issues by slug, adds penalties, and refuses free and unknown services', async () => {
    const created = await createInvoiceForService(deps, {
      service: 'fixture-permit', payerAccountId: newPayerId(), now: fixtureNow,
      penalties: [{ description: 'Late renewal', amount: kes(100_00n) }],
    });
    assert.ok(created.ok);
    assert.deepEqual(created.value.lines.map((line) => line.kind),
      ['service_fee', 'access_fee', 'penalty']);
    assert.deepEqual(created.value.total, kes(360_00n));
    const free = await createInvoiceForService(deps,
      { service: fixtureIds.free, payerAccountId: newPayerId(), now: fixtureNow });
    assert.equal(free.ok ? 'ok' : free.error.code, 'PAY_SERVICE_IS_FREE');
    const unknown = await createInvoiceForService(deps,
      { service: 'no-such-service', payerAccountId: newPayerId(), now: fixtureNow });
    assert.equal(unknown.ok ? 'ok' : unknown.error.code, 'CATALOGUE_SERVICE_NOT_FOUND');
    const badPayer = await createInvoiceForService(deps,
      { service: fixtureIds.passport, payerAccountId: '0712345678', now: fixtureNow });
    assert.equal(badPayer.ok ? 'ok' : badPayer.error.code, 'PLATFORM_VALIDATION_FAILED');
  });

  it('finds an invoice by the reference as people type it, never by a mistyped one', async () => {
    const invoice = await issue();
    const typed = `${invoice.reference.slice(0, 4).toLowerCase()}-${invoice.reference.slice(4)} `;
    assert.equal((await findInvoiceByReference(deps, typed))?.id, invoice.id);
    const last = invoice.reference.at(-1) === '7' ? '8' : '7';
    const mistyped = `${invoice.reference.slice(0, -1)}${last}`;
    assert.equal(await findInvoiceByReference(deps, mistyped), undefined);
    assert.equal(await invoiceView(deps, 'nonsense'), undefined);
  });

  it('derives expiry from the clock, and cancels only unpaid invoices', async () => {
    const invoice = await issue();
    const later = new Date(invoice.expiresAt.getTime() + 1);
    assert.equal((await invoiceView(deps, invoice.reference, later))?.status, 'expired');
    const refused = await cancelInvoice(deps,
      { reference: invoice.reference, actor: { kind: 'system', id: null }, now: later });
    assert.equal(refused.ok ? 'ok' : refused.error.code, 'PAY_INVOICE_NOT_CANCELLABLE');
    const actor = { kind: 'staff' as const, id: newPayerId() };
    const cancelled = await cancelInvoice(deps,
      { reference: invoice.reference, actor, now: fixtureNow });
    assert.equal(cancelled.ok ? cancelled.value.status : cancelled.error.code, 'cancelled');
    const again = await cancelInvoice(deps,
      { reference: invoice.reference, actor, now: fixtureNow });
    assert.equal(again.ok ? again.value.status : again.error.code, 'cancelled');
    const missing = await cancelInvoice(deps, { reference: 'ZZ', actor, now: fixtureNow });
    assert.equal(missing.ok ? 'ok' : missing.error.code, 'PAY_BILL_REFERENCE_INVALID');
  });

  it('pays an invoice from credit, in part then in full, and keeps the ledger exact', async () => {
    const payerId = newPayerId();
    const invoice = await issue(fixtureIds.passport, payerId);
    const none = await payInvoiceFromCredit(deps,
      { invoiceReference: invoice.reference, payerAccountId: payerId, now: fixtureNow });
    assert.equal(none.ok ? 'ok' : none.error.code, 'PAY_CREDIT_NOT_AVAILABLE');
    await giveCredit(payerId, 500_00n, 'CRD0000001');
    assert.deepEqual(await payerCreditBalance(deps, payerId), kes(500_00n));
    const part = await payInvoiceFromCredit(deps,
      { invoiceReference: invoice.reference, payerAccountId: payerId, now: fixtureNow });
    assert.ok(part.ok);
    assert.equal(part.value.status, 'partially_paid');
    assert.deepEqual(part.value.balanceDue, kes(550_00n));
    await giveCredit(payerId, 600_00n, 'CRD0000002');
    const minuteLater = new Date(fixtureNow.getTime() + 60_000);
    const full = await payInvoiceFromCredit(deps,
      { invoiceReference: invoice.reference, payerAccountId: payerId, now: minuteLater });
    assert.ok(full.ok);
    assert.equal(full.value.status, 'paid');
    assert.deepEqual(full.value.allocations.map((a) => [a.source, a.amount.amountMinor]),
      [['payer_credit', 500_00n], ['payer_credit', 550_00n]]);
    assert.deepEqual(await payerCreditBalance(deps, payerId), kes(50_00n));
    const balance = (code: Parameters<typeof balanceOf>[1]) =>
      balanceOf(database().db, code, 'KES');
    assert.deepEqual(await balance(accountCodes.invoiceDeposits(invoice.id)), kes(0n));
    const paidAgain = await payInvoiceFromCredit(deps,
      { invoiceReference: invoice.reference, payerAccountId: payerId, now: fixtureNow });
    assert.equal(paidAgain.ok ? 'ok' : paidAgain.error.code, 'PAY_INVOICE_NOT_PAYABLE');
    const events = await sql<{ topic: string }>`select topic from outbox_event
      where payload->>'invoiceId' = ${invoice.id}`.execute(database().db);
    assert.deepEqual(events.rows.map((row) => row.topic), [],
      'an allocation enqueues no event until a module consumes one (decision 0005)');
    const report = await checkBooks(database().db);
    assert.deepEqual(report.findings, []);
  });

  it('refuses to spend one payer\'s credit on another payer\'s invoice', async () => {
    const owner = newPayerId();
    const invoice = await issue(fixtureIds.passport, owner);
    const stranger = newPayerId();
    await giveCredit(stranger, 2_000_00n, 'CRD0000003');
    const refused = await payInvoiceFromCredit(deps,
      { invoiceReference: invoice.reference, payerAccountId: stranger, now: fixtureNow });
    assert.equal(refused.ok ? 'ok' : refused.error.code, 'PAY_INVOICE_OF_ANOTHER_PAYER');
    assert.deepEqual(await payerCreditBalance(deps, stranger), kes(2_000_00n));
  });
});
