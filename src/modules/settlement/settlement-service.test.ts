/**
 * Settlement batches: amounts fixed from the ledger to the cent, the bank file, two different
 * approvers (never the preparer), release and settlement moving the ledger, a returned line
 * back to the payee, two preparations at once never taking an entry twice, a payee without a
 * profile listed as a problem, and the settlement check clean throughout.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { accountCodes, balanceOf } from '#modules/ledger/index.ts';
import { createInvoiceForService } from '#modules/payments/index.ts';
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
import { createTestAgency } from '#test/helpers/sessions.ts';
import { recordNoticeInTrx } from '../payments/receipt-service.ts';
import { bankFileCsv, checkSettlement } from './settlement-check.ts';
import { listLines, settlementDb, upsertProfileInTrx } from './settlement-repo.ts';
import {
  approveBatch,
  prepareBatch,
  recordBatchSettled,
  returnLine,
} from './settlement-service.ts';

const nextReceipt = receiptNumbers('ST');
const person = (id = uuidv7()) => ({ kind: 'staff' as const, id, role: 'finance-officer' });
const day = 86_400_000;

describeOnDatabases('settlement batches', (database) => {
  const deps = () => ({ db: database().db, clock: systemClock,
    logger: createLogger({ level: 'silent' }) });
  const profile = (payee: string, schedule = 1) => database().db.transaction().execute((trx) =>
    upsertProfileInTrx(settlementDb(trx), { payee, bank_name: 'Central Bank of Kenya',
      bank_code: '09', branch: 'Nairobi', account_number: '1000123456',
      account_name: `Collections ${payee.slice(0, 8)}`, schedule_days: schedule, sla_days: 2,
      updated_at: new Date() }));
  before(async () => {
    await insertPaymentsFixture(database());
    await profile(fixtureIds.agency);
    await profile('treasury');
  });

  /** A passport fee paid in full `daysAgo` days ago: KES 1,000 to the agency, 50 to Treasury. */
  const collect = async (daysAgo: number) => {
    const paidAt = new Date(Date.now() - daysAgo * day);
    const created = await createInvoiceForService(deps(), { service: fixtureIds.passport,
      payerAccountId: newPayerId(), now: paidAt });
    assert.ok(created.ok);
    await database().db.transaction().execute((trx) => recordNoticeInTrx(trx, {
      source: 'c2b_confirmation', receiptNumber: nextReceipt(), checkoutRequestId: undefined,
      amount: money(1_050_00n, 'KES'), accountReference: created.value.reference, paidAt,
      shortcode: '222222', rawId: null }, { now: paidAt }));
  };
  const prepare = (actor = person()) => prepareBatch(deps(), { currency: 'KES',
    cutoff: new Date(), actor, now: new Date() });
  const payable = () => balanceOf(database().db, accountCodes.agencyPayable(fixtureIds.agency),
    'KES');

  it('fixes the amounts, needs two approvers besides the preparer, releases and settles',
    async () => {
      await collect(2);
      await collect(2);
      const payableBefore = await payable();
      const preparer = person();
      const prepared = await prepare(preparer);
      assert.ok(prepared.batch !== undefined);
      const lines = await listLines(settlementDb(database().db), prepared.batch.id);
      const byPayee = new Map(lines.map((line) => [line.payee, line.amount_minor]));
      assert.equal(byPayee.get(fixtureIds.agency), payableBefore.amountMinor);
      assert.equal(byPayee.get('treasury'), 100_00n);
      const own = await approveBatch(deps(), { batchId: prepared.batch.id, actor: preparer,
        now: new Date() });
      assert.equal(own.ok ? '' : own.error.code, 'SETTLEMENT_PREPARER_CANNOT_APPROVE');
      const first = person();
      assert.ok((await approveBatch(deps(), { batchId: prepared.batch.id, actor: first,
        now: new Date() })).ok);
      const twice = await approveBatch(deps(), { batchId: prepared.batch.id, actor: first,
        now: new Date() });
      assert.equal(twice.ok ? '' : twice.error.code, 'SETTLEMENT_ALREADY_APPROVED_BY_YOU');
      assert.equal((await payable()).amountMinor, payableBefore.amountMinor);
      const second = await approveBatch(deps(), { batchId: prepared.batch.id, actor: person(),
        now: new Date() });
      assert.ok(second.ok);
      assert.equal(second.value.state, 'released');
      assert.equal((await payable()).amountMinor, 0n);
      const clearing = await balanceOf(database().db, accountCodes.settlementClearing(), 'KES');
      assert.equal(clearing.amountMinor, payableBefore.amountMinor + 100_00n);
      const file = await bankFileCsv(database().db, second.value);
      const rows = file.trimEnd().split('\r\n');
      assert.equal(rows.length, 3);
      assert.match(file, new RegExp(`"1000123456","Collections [0-9a-f]{8}","${
        (payableBefore.amountMinor / 100n).toString()}\\.00","KES","${prepared.batch.reference}"`));
      assert.deepEqual(await checkSettlement(database().db), []);
      const settled = await recordBatchSettled(deps(), { batchId: prepared.batch.id,
        bankReference: 'FT26338XK2', actor: person(), now: new Date() });
      assert.ok(settled.ok);
      assert.equal(settled.value.bank_reference, 'FT26338XK2');
      assert.equal((await balanceOf(database().db, accountCodes.settlementClearing(), 'KES'))
        .amountMinor, 0n);
      assert.deepEqual(await checkSettlement(database().db), []);
      const again = await prepare();
      assert.equal(again.batch, undefined, 'nothing left to settle');
    });

  it('two preparations at once never take an entry twice', async () => {
    await collect(3);
    await collect(3);
    const payableBefore = await payable();
    const results = await Promise.all([prepare(), prepare()]);
    const batches = results.flatMap((result) => result.batch === undefined ? [] : [result.batch]);
    assert.equal(batches.length, 1);
    const [batch] = batches;
    assert.ok(batch !== undefined);
    const lines = await listLines(settlementDb(database().db), batch.id);
    assert.equal(lines.find((line) => line.payee === fixtureIds.agency)?.amount_minor,
      payableBefore.amountMinor);
    assert.deepEqual(await checkSettlement(database().db), []);
    // Two second approvers at once release it once; then one line returned by the bank: its
    // money is payable again, for a later batch.
    assert.ok((await approveBatch(deps(), { batchId: batch.id, actor: person(),
      now: new Date() })).ok);
    const seconds = await Promise.all([person(), person()].map((actor) =>
      approveBatch(deps(), { batchId: batch.id, actor, now: new Date() })));
    assert.deepEqual(seconds.map((result) => result.ok ? 'ok' : result.error.code).sort(),
      ['SETTLEMENT_BATCH_NOT_PREPARED', 'ok']);
    assert.equal((await payable()).amountMinor, 0n);
    const agencyLine = lines.find((line) => line.payee === fixtureIds.agency);
    assert.ok(agencyLine !== undefined);
    assert.ok((await returnLine(deps(), { lineId: agencyLine.id, reason: 'account closed',
      actor: person(), now: new Date() })).ok);
    assert.equal((await payable()).amountMinor, payableBefore.amountMinor);
    assert.deepEqual(await checkSettlement(database().db), []);
    const next = await prepare();
    assert.equal((await listLines(settlementDb(database().db), next.batch?.id ?? ''))
      .find((line) => line.payee === fixtureIds.agency)?.amount_minor, payableBefore.amountMinor);
  });

  it('lists a payee with money and no profile as a problem', async () => {
    const agencyId = await createTestAgency(database(), 'Unprofiled Agency');
    await database().db.transaction().execute(async (trx) => {
      const { postEntryInTrx, invoiceCovered } = await import('#modules/ledger/index.ts');
      const invoiceId = uuidv7();
      await postEntryInTrx(trx, {
        code: 'RECEIPT_HELD_IN_SUSPENSE', idempotencyKey: `test:${invoiceId}`,
        occurredAt: new Date(Date.now() - 2 * day),
        lines: [{ accountCode: accountCodes.mpesaCollection('222222'), side: 'debit',
          amount: money(500_00n, 'KES') }, { accountCode: accountCodes.invoiceDeposits(invoiceId),
          side: 'credit', amount: money(500_00n, 'KES') }],
        reference: { providerReceipt: `mpesa:T${invoiceId.slice(-8)}` },
      });
      const covered = invoiceCovered({ invoiceId, deposits: money(500_00n, 'KES'),
        agencyFees: [{ agencyId, amount: money(500_00n, 'KES') }],
        accessFee: money(0n, 'KES'), payerId: uuidv7(),
        occurredAt: new Date(Date.now() - 2 * day) });
      assert.ok(covered.ok);
      assert.ok((await postEntryInTrx(trx, covered.value)).ok);
    });
    const prepared = await prepare();
    assert.deepEqual(prepared.problems, [{ payee: agencyId, amountMinor: 500_00n }]);
  });
});
