/**
 * A correction that debits a payee's payable (a provider reversal of a collection) counts in
 * the next batch as a negative, so the batch pays exactly what the payee is owed; and the
 * settlement check names a batch line that no longer equals its entries.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import {
  accountCodes,
  balanceOf,
  invoiceCovered,
  postCorrectionInTrx,
  postEntryInTrx,
  receiptMatched,
} from '#modules/ledger/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency } from '#test/helpers/sessions.ts';
import { checkSettlement } from './settlement-check.ts';
import { listLines, settlementDb, upsertProfileInTrx } from './settlement-repo.ts';
import { cancelBatch } from './settlement-cancel.ts';
import { approveBatch, prepareBatch } from './settlement-service.ts';

describeOnDatabases('settlement: corrections and the check', (database) => {
  let agencyId = '';
  before(async () => {
    agencyId = await createTestAgency(database(), 'Correction Agency');
    await database().db.transaction().execute((trx) => upsertProfileInTrx(settlementDb(trx), {
      payee: agencyId, bank_name: 'Co-operative Bank', bank_code: '11', branch: 'Stima Plaza',
      account_number: '01100998877', account_name: 'Correction Agency Revenue',
      schedule_days: 1, sla_days: 2, updated_at: new Date() }));
  });

  /** KES `shillings` collected for the agency an hour ago; the covered entry's id. */
  const collect = (shillings: bigint, payee = agencyId) =>
    database().db.transaction().execute(async (trx) => {
    const invoiceId = uuidv7();
    const occurredAt = new Date(Date.now() - 3_600_000);
    const amount = money(shillings * 100n, 'KES');
    assert.ok((await postEntryInTrx(trx, receiptMatched({ receipt: { channel: { kind: 'mpesa',
      shortcode: '222222' }, receiptNumber: `CR${invoiceId.slice(-8)}` }, invoiceId, amount,
    occurredAt }))).ok);
    const covered = invoiceCovered({ invoiceId, deposits: amount,
      agencyFees: [{ agencyId: payee, amount }], accessFee: money(0n, 'KES'),
      payerId: uuidv7(), occurredAt });
    assert.ok(covered.ok);
    const posted = await postEntryInTrx(trx, covered.value);
    assert.ok(posted.ok);
    return posted.value.entryId;
  });
  const reverse = (entryId: string) => database().db.transaction().execute(async (trx) => {
    assert.ok((await postCorrectionInTrx(trx, { entryId,
      idempotencyKey: `test:${entryId}:reversal`, occurredAt: new Date() })).ok);
  });
  const batchLine = async () => {
    const prepared = await prepareBatch({ db: database().db }, { currency: 'KES',
      cutoff: new Date(), actor: { kind: 'system', id: 'test' }, now: new Date() });
    assert.ok(prepared.batch !== undefined);
    const lines = await listLines(settlementDb(database().db), prepared.batch.id);
    return lines.find((line) => line.payee === agencyId);
  };

  it('counts a correction debiting the payable as a negative', async () => {
    await collect(400n);
    await reverse(await collect(150n));
    const payable = await balanceOf(database().db, accountCodes.agencyPayable(agencyId), 'KES');
    assert.equal(payable.amountMinor, 400_00n);
    const line = await batchLine();
    assert.equal(line?.amount_minor, 400_00n);
    assert.deepEqual(await checkSettlement(database().db), []);
  });

  it('refuses to release a batch a later reversal left short; cancelled, it frees its entries',
    async () => {
      const payee = await createTestAgency(database(), 'Reversal Agency');
      await database().db.transaction().execute((trx) => upsertProfileInTrx(settlementDb(trx),
        { payee, bank_name: 'Absa Bank Kenya', bank_code: '03', branch: 'Queensway',
          account_number: '2030405060', account_name: 'Reversal Agency Revenue',
          schedule_days: 1, sla_days: 2, updated_at: new Date() }));
      await collect(500n, payee);
      const reversed = await collect(200n, payee);
      const deps = { db: database().db };
      const first = await prepareBatch(deps, { currency: 'KES', cutoff: new Date(),
        actor: { kind: 'system', id: 'test' }, now: new Date() });
      assert.ok(first.batch !== undefined);
      await reverse(reversed);
      const approve = () => approveBatch(deps, { batchId: first.batch?.id ?? '',
        actor: { kind: 'staff', id: uuidv7() }, now: new Date() });
      assert.ok((await approve()).ok);
      const short = await approve();
      assert.equal(short.ok ? '' : short.error.code, 'SETTLEMENT_PAYABLE_SHORT');
      assert.ok((await cancelBatch(deps, { batchId: first.batch.id,
        actor: { kind: 'staff', id: uuidv7() }, now: new Date() })).ok);
      assert.deepEqual(await checkSettlement(database().db), []);
      const again = await prepareBatch(deps, { currency: 'KES', cutoff: new Date(),
        actor: { kind: 'system', id: 'test' }, now: new Date() });
      const lines = await listLines(settlementDb(database().db), again.batch?.id ?? '');
      assert.equal(lines.find((line) => line.payee === payee)?.amount_minor, 500_00n);
    });

  it('names a line that no longer equals its entries', async () => {
    await collect(90n);
    const line = await batchLine();
    assert.ok(line !== undefined);
    await sql`update settlement_line set amount_minor = amount_minor + 1
      where id = ${line.id}`.execute(database().db);
    const findings = await checkSettlement(database().db);
    assert.deepEqual(findings.map((finding) => finding.rule),
      ['settlement-line-equals-entries']);
    assert.equal(findings[0]?.subject, `settlement-line:${line.id}`);
  });
});
