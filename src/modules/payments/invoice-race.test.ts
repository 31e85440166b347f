/**
 * Different receipts for the SAME invoice, recorded by DIFFERENT transactions at once: the
 * second waits for the first's lock on the invoice and must then see its allocation (a new
 * statement after the lock, not the snapshot the waiting statement started with), so the books
 * end exactly as if the payments had come one after the other: the invoice covered once, its
 * deposits at zero, the agency and access fee credited, any excess in the payer's credit.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { systemClock } from '#platform/clock/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { money } from '#platform/money/index.ts';
import { accountCodes, balanceOf } from '#modules/ledger/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { fixtureIds, insertPaymentsFixture, newPayerId } from '#test/helpers/payments.ts';
import { checkBooks } from './books-check-service.ts';
import { createInvoiceForService, invoiceView } from './invoice-service.ts';
import type { PaymentNotice } from './payment-notices.ts';
import { recordNoticeInTrx } from './receipt-service.ts';

const lockWaitPollMs = 20;
const lockWaitTriesMax = 500;

function notice(receipt: string, reference: string, shillings: bigint): PaymentNotice {
  return {
    source: 'c2b_confirmation', receiptNumber: receipt, checkoutRequestId: undefined,
    amount: money(shillings * 100n, 'KES'), accountReference: reference,
    paidAt: new Date(), shortcode: '222222', rawId: null,
  };
}

/** Resolves once some other session of this database waits for a row lock. */
async function someoneWaitsForALock(database: DatabaseHandle): Promise<void> {
  for (let tries = 0; tries < lockWaitTriesMax; tries += 1) {
    const waiting = await sql<{ waiting: number }>`select count(*)::int as waiting
      from pg_locks where not granted and pid in (
        select pid from pg_stat_activity where datname = current_database())`
      .execute(database.db);
    if ((waiting.rows[0]?.waiting ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, lockWaitPollMs));
  }
  throw new Error('the second transaction never waited for the invoice lock');
}

/**
 * Records `first` in a transaction held open until `second`, recorded by another transaction
 * (another connection), waits for the invoice lock; then commits. On PGlite (one connection)
 * the second simply runs after the first.
 */
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

describeOnDatabases('two receipts for one invoice in two transactions', (database, kind) => {
  const deps = () => ({ db: database().db, clock: systemClock,
    logger: createLogger({ level: 'silent' }) });
  before(async () => {
    await insertPaymentsFixture(database());
  });
  after(() => undefined);

  const newInvoice = async (allowsPartPayment: boolean) => {
    const created = await createInvoiceForService(deps(), { service: fixtureIds.passport,
      payerAccountId: newPayerId(), now: new Date(), allowsPartPayment });
    assert.ok(created.ok);
    return created.value;
  };

  it('two full payments: covered once, the second whole payment in the payer credit', async () => {
    const invoice = await newInvoice(false);
    const payableBefore = await balanceOf(database().db,
      accountCodes.agencyPayable(fixtureIds.agency), 'KES');
    await race(database(), kind, notice(`RA${invoice.reference.slice(0, 8)}`, invoice.reference,
      1_050n), notice(`RB${invoice.reference.slice(0, 8)}`, invoice.reference, 1_050n));
    const deposits = await balanceOf(database().db, accountCodes.invoiceDeposits(invoice.id),
      'KES');
    assert.equal(deposits.amountMinor, 0n);
    const credit = await balanceOf(database().db,
      accountCodes.payerCredit(invoice.payerAccountId), 'KES');
    assert.equal(credit.amountMinor, 1_050_00n);
    const payableAfter = await balanceOf(database().db,
      accountCodes.agencyPayable(fixtureIds.agency), 'KES');
    assert.equal(payableAfter.amountMinor - payableBefore.amountMinor, 1_000_00n);
    assert.equal((await invoiceView(deps(), invoice.reference))?.status, 'overpaid');
    assert.deepEqual((await checkBooks(database().db)).findings, []);
  });

  it('two part payments that together cover it: covered once, nothing left in deposits',
    async () => {
      const invoice = await newInvoice(true);
      await race(database(), kind, notice(`PA${invoice.reference.slice(0, 8)}`,
        invoice.reference, 600n), notice(`PB${invoice.reference.slice(0, 8)}`,
        invoice.reference, 450n));
      const deposits = await balanceOf(database().db, accountCodes.invoiceDeposits(invoice.id),
        'KES');
      assert.equal(deposits.amountMinor, 0n);
      const covered = await sql<{ entries: number }>`select count(*)::int as entries
        from ledger_entry where idempotency_key = ${`invoice:${invoice.id}:covered`}`
        .execute(database().db);
      assert.equal(covered.rows[0]?.entries, 1);
      assert.equal((await invoiceView(deps(), invoice.reference))?.status, 'paid');
      assert.deepEqual((await checkBooks(database().db)).findings, []);
    });
});
