/**
 * Two DIFFERENT receipts for ONE agency bill, recorded by DIFFERENT transactions at once (both
 * databases; on PGlite, one connection, the second simply runs after the first): the first
 * makes the bill's invoice and records its payment and holds its transaction open; the second
 * waits on the invoice's unique reference, then finds the first's invoice and records its own
 * payment under the invoice lock. Both are accounted: the bill is paid once, what is beyond it
 * is credited, and the books check clean. A statement line of a routed reference no callback
 * told us of (reconciliation's missing callback) is allocated to its bill's invoice, not held
 * in suspense.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import { systemClock } from '#platform/clock/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { money } from '#platform/money/index.ts';
import { accountCodes, balanceOf } from '#modules/ledger/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { fixtureIds, insertPaymentsFixture } from '#test/helpers/payments.ts';
import { checkBooks } from '../books-check-service.ts';
import { generateBillReference } from '../bill-reference.ts';
import { invoiceView } from '../invoice-service.ts';
import type { PaymentNotice } from '../payment-notices.ts';
import { recordNoticeInTrx } from '../receipt-service.ts';
import { recordStatementPaymentsInTrx } from '../statement-payments.ts';
import { prepareRoutedInvoiceInTrx } from './bill-inquiry-invoice.ts';
import { insertLookup } from './bill-inquiry-repo.ts';
import { saveBillInquiryRoute } from './bill-inquiry-route-service.ts';

const logger = createLogger({ level: 'silent' });
const lockWaitPollMs = 20;
const lockWaitTriesMax = 500;
const randomBytes = (count: number) => crypto.getRandomValues(new Uint8Array(count));

function notice(receipt: string, reference: string, shillings: bigint): PaymentNotice {
  return { source: 'c2b_confirmation', receiptNumber: receipt, checkoutRequestId: undefined,
    amount: money(shillings * 100n, 'KES'), accountReference: reference, paidAt: new Date(),
    shortcode: '222222', rawId: null };
}

async function someoneWaitsForALock(database: DatabaseHandle): Promise<void> {
  for (let tries = 0; tries < lockWaitTriesMax; tries += 1) {
    const waiting = await sql<{ waiting: number }>`select count(*)::int as waiting
      from pg_locks where not granted and pid in (
        select pid from pg_stat_activity where datname = current_database())`
      .execute(database.db);
    if ((waiting.rows[0]?.waiting ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, lockWaitPollMs));
  }
  throw new Error('the second transaction never waited for the first');
}

/** Each transaction: make (or find) the bill's invoice, then record its payment. */
async function race(database: DatabaseHandle, kind: string, first: PaymentNotice,
  second: PaymentNotice): Promise<void> {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let recordedFirst: () => void = () => undefined;
  const firstRecorded = new Promise<void>((resolve) => {
    recordedFirst = resolve;
  });
  const record = (item: PaymentNotice, hold?: Promise<void>) =>
    database.db.transaction().execute(async (trx) => {
      await prepareRoutedInvoiceInTrx(trx, { billReference: item.accountReference,
        amount: item.amount }, { now: new Date(), logger });
      await recordNoticeInTrx(trx, item, { now: new Date() });
      recordedFirst();
      await hold;
    });
  const one = record(first, held);
  await firstRecorded;
  const two = record(second);
  try {
    if (kind === 'postgres') await someoneWaitsForALock(database);
  } finally {
    release();
    await Promise.all([one, two]);
  }
}

describeOnDatabases('two receipts for one agency bill in two transactions', (database, kind) => {
  const deps = () => ({ db: database().db, clock: systemClock, logger });
  let routeId = '';
  let payerAccountId = '';
  before(async () => {
    await insertPaymentsFixture(database());
    const saved = await saveBillInquiryRoute(deps(), { scope: fixtureIds.agency, prefix: 'KPT',
      service: fixtureIds.permit, lookupUrl: 'https://bills.example.test/lookup',
      timeoutMs: 1_000, fallback: 'reject', allowsPartPayment: false, production: false,
      actor: { kind: 'system', id: null }, now: new Date() });
    assert.ok(saved.ok);
    routeId = saved.value.route.id;
    payerAccountId = saved.value.route.payerAccountId;
  });

  const foundBill = async (shillings: bigint) => {
    const reference = generateBillReference(randomBytes, 'KPT');
    await insertLookup(database().db, { routeId, reference, outcome: 'found',
      amountDue: money(shillings * 100n, 'KES'), decision: 'accepted', at: new Date() });
    return reference;
  };
  const credit = async () => (await balanceOf(database().db,
    accountCodes.payerCredit(payerAccountId), 'KES')).amountMinor;
  const payable = async () => (await balanceOf(database().db,
    accountCodes.agencyPayable(fixtureIds.agency), 'KES')).amountMinor;

  it('accounts both: the bill paid once, the second payment credited', async () => {
    const reference = await foundBill(1_000n);
    const [creditBefore, payableBefore] = [await credit(), await payable()];
    await race(database(), kind, notice(`RB${uuidv7().slice(-8)}`, reference, 1_000n),
      notice(`RC${uuidv7().slice(-8)}`, reference, 1_000n));
    const view = await invoiceView(deps(), reference);
    assert.equal(view?.status, 'overpaid');
    assert.equal(view.total.amountMinor, 1_000_00n, 'the amount the agency gave');
    assert.equal(view.allocations.length, 2, 'both receipts allocated to the one invoice');
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from invoice
      where reference = ${reference}`.execute(database().db);
    assert.equal(rows[0]?.n, 1, 'one invoice');
    assert.equal(await payable() - payableBefore, 1_000_00n, 'the agency is owed the bill');
    assert.equal(await credit() - creditBefore, 1_000_00n, 'the excess is credited');
    const books = await checkBooks(database().db);
    assert.deepEqual(books.findings, []);
  });

  it('allocates a statement payment of a routed reference to its bill\'s invoice', async () => {
    const reference = await foundBill(400n);
    const receipt = `RS${uuidv7().slice(-8)}`;
    const [outcome] = await database().db.transaction().execute(async (trx) =>
      recordStatementPaymentsInTrx(trx, [{ receiptNumber: receipt,
        amount: money(400_00n, 'KES'), accountReference: reference, paidAt: new Date(),
        shortcode: '222222', raw: `${receipt},line`, rawKind: 'mpesa_statement_line' }],
      { now: new Date(), shortcode: '222222', logger, findPayerContact: undefined }));
    assert.equal(outcome?.disposition, 'allocated');
    const view = await invoiceView(deps(), reference);
    assert.equal(view?.status, 'paid');
    assert.equal(outcome.invoiceId, view.id);
  });
});
