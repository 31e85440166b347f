/**
 * Locking an invoice and reading its allocations. Under READ COMMITTED a statement that waited
 * for a row lock still reads with the snapshot it took before waiting, so the allocations a
 * concurrent transaction committed meanwhile must be read by a statement of their own. Found
 * by the fault suite's scale-out run: part payments of one invoice raced from three app
 * processes left it over-allocated and never covered.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { before, it } from 'node:test';
import { systemClock } from '#platform/clock/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { money } from '#platform/money/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { fixtureIds, insertPaymentsFixture, newPayerId } from '#test/helpers/payments.ts';
import { createInvoiceForService } from './invoice-service.ts';
import {
  insertAllocationInTrx,
  lockInvoiceInTrx,
  lockInvoicesInTrx,
  paymentsDb,
  type LockedInvoice,
  type PaymentsDb,
} from './invoice-repo.ts';

describeOnDatabases('locking an invoice', (database, kind) => {
  const db = () => paymentsDb(database().db);
  before(async () => {
    await insertPaymentsFixture(database());
  });

  async function newInvoice(): Promise<string> {
    const deps = { db: database().db, clock: systemClock,
      logger: createLogger({ level: 'silent' }) };
    const created = await createInvoiceForService(deps, { service: fixtureIds.passport,
      payerAccountId: newPayerId(), now: new Date(), allowsPartPayment: true });
    assert.ok(created.ok);
    return created.value.id;
  }

  /**
   * One transaction locks the invoice and allocates to it; while it holds the lock, `lock`
   * starts in another and waits; the first commits. Returns what `lock` read.
   */
  async function lockWhileAnotherAllocates(invoiceId: string,
    lock: (trx: PaymentsDb) => Promise<LockedInvoice | undefined>) {
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let signalLocked = () => undefined as void;
    const locked = new Promise<void>((resolve) => { signalLocked = resolve; });
    const first = db().transaction().execute(async (trx) => {
      await lockInvoiceInTrx(trx, { id: invoiceId });
      await insertAllocationInTrx(trx, { id: uuidv7(), invoiceId,
        source: 'payer_credit', paymentId: null, amount: money(400_00n, 'KES'),
        allocatedAt: new Date() });
      signalLocked();
      await held;
    });
    await locked;
    const second = db().transaction().execute((trx) => lock(trx));
    await delay(300);
    release();
    await first;
    return second;
  }

  it('reads its allocations as they are once the lock is held', async () => {
    const invoiceId = await newInvoice();
    await db().transaction().execute(async (trx) => {
      await insertAllocationInTrx(trx, { id: uuidv7(), invoiceId,
        source: 'payer_credit', paymentId: null, amount: money(100_00n, 'KES'),
        allocatedAt: new Date() });
    });
    const one = await db().transaction().execute((trx) =>
      lockInvoiceInTrx(trx, { id: invoiceId }));
    assert.equal(one?.allocatedMinor, 100_00n);
    assert.equal((one?.agencyMinor ?? 0n) + (one?.accessFeeMinor ?? 0n), 1_050_00n);
    const many = await db().transaction().execute((trx) =>
      lockInvoicesInTrx(trx, { ids: [invoiceId], references: [] }));
    assert.deepEqual(many, [one]);
  });

  if (kind === 'postgres') {
    it('sees what a transaction that held the lock allocated meanwhile (one invoice)',
      async () => {
        const invoiceId = await newInvoice();
        const seen = await lockWhileAnotherAllocates(invoiceId,
          (trx) => lockInvoiceInTrx(trx, { id: invoiceId }));
        assert.equal(seen?.allocatedMinor, 400_00n);
      });

    it('sees what a transaction that held the lock allocated meanwhile (a batch)', async () => {
      const invoiceId = await newInvoice();
      const seen = await lockWhileAnotherAllocates(invoiceId, async (trx) =>
        (await lockInvoicesInTrx(trx, { ids: [invoiceId], references: [] }))[0]);
      assert.equal(seen?.allocatedMinor, 400_00n);
    });
  }
});
