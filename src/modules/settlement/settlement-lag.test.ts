/**
 * The schedule and the SLA: the daily job prepares once however often it runs; a payee whose
 * oldest unsettled collection is older than its schedule plus its SLA raises one alert (not one
 * per run), closable with a note; settled money measures its lag.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import {
  accountCodes,
  invoiceCovered,
  postEntryInTrx,
  receiptMatched,
} from '#modules/ledger/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency } from '#test/helpers/sessions.ts';
import { prepareDueBatches } from './settlement-jobs.ts';
import {
  checkSettlementSla,
  closeSettlementAlert,
  latestLag,
  listSettlementAlerts,
  measureLag,
} from './settlement-lag.ts';
import { settlementDb, upsertProfileInTrx } from './settlement-repo.ts';
import { approveBatch, recordBatchSettled } from './settlement-service.ts';

const day = 86_400_000;
const person = () => ({ kind: 'staff' as const, id: uuidv7(), role: 'finance-officer' });

describeOnDatabases('settlement lag, SLA and schedule', (database) => {
  let agencyId = '';
  before(async () => {
    agencyId = await createTestAgency(database(), 'Lag Agency');
    await database().db.transaction().execute((trx) => upsertProfileInTrx(settlementDb(trx), {
      payee: agencyId, bank_name: 'Kenya Commercial Bank', bank_code: '01', branch: 'Moi Avenue',
      account_number: '1100223344', account_name: 'Lag Agency Collections', schedule_days: 1,
      sla_days: 2, updated_at: new Date() }));
  });

  /** KES 200 collected for the agency `daysAgo` days ago, straight into the ledger. */
  const collect = (daysAgo: number) => database().db.transaction().execute(async (trx) => {
    const invoiceId = uuidv7();
    const occurredAt = new Date(Date.now() - daysAgo * day);
    const amount = money(200_00n, 'KES');
    assert.ok((await postEntryInTrx(trx, receiptMatched({ receipt: { channel: { kind: 'mpesa',
      shortcode: '222222' }, receiptNumber: `LG${invoiceId.slice(-8)}` }, invoiceId, amount,
    occurredAt }))).ok);
    const covered = invoiceCovered({ invoiceId, deposits: amount,
      agencyFees: [{ agencyId, amount }], accessFee: money(0n, 'KES'), payerId: uuidv7(),
      occurredAt });
    assert.ok(covered.ok);
    assert.ok((await postEntryInTrx(trx, covered.value)).ok);
  });

  it('raises one alert for a breach, closable with a note', async () => {
    await collect(5);
    const now = new Date();
    const lag = (await measureLag(database().db, now)).find((row) => row.payee === agencyId);
    assert.equal(lag?.breached, true);
    assert.equal((await checkSettlementSla(database().db, now)).length, 1);
    assert.equal((await checkSettlementSla(database().db, now)).length, 0);
    const [alert] = (await listSettlementAlerts(database().db, 'open'))
      .filter((row) => row.payee === agencyId);
    assert.ok(alert !== undefined);
    const blank = await closeSettlementAlert(database().db, { alertId: alert.id, note: ' ',
      actor: person(), now });
    assert.equal(blank.ok ? '' : blank.error.code, 'SETTLEMENT_ALERT_NOTE_REQUIRED');
    assert.ok((await closeSettlementAlert(database().db, { alertId: alert.id,
      note: 'bank file was late; settled today', actor: person(), now })).ok);
  });

  it('prepares the day\'s batch once however often the job runs; settled money has a lag',
    async () => {
      const now = new Date();
      assert.equal(await prepareDueBatches({ db: database().db }, now), 1);
      assert.equal(await prepareDueBatches({ db: database().db }, now), 0);
      const batch = await settlementDb(database().db).selectFrom('settlement_batch').selectAll()
        .where('prepared_by', '=', 'settlement-schedule').executeTakeFirstOrThrow();
      assert.ok((await approveBatch({ db: database().db }, { batchId: batch.id, actor: person(),
        now })).ok);
      assert.ok((await approveBatch({ db: database().db }, { batchId: batch.id, actor: person(),
        now })).ok);
      assert.ok((await recordBatchSettled({ db: database().db }, { batchId: batch.id,
        bankReference: 'RTGS-0042A', actor: person(), now })).ok);
      const lag = (await measureLag(database().db, now)).find((row) => row.payee === agencyId);
      assert.equal(lag?.settledEntries, 1);
      assert.ok((lag.medianHours ?? 0) >= 5 * 24 - 1);
      assert.equal(lag.oldestUnsettledAt, null);
      assert.equal(lag.breached, false);
      assert.equal(accountCodes.settlementClearing(), 'settlement-clearing');
    });

  it('keeps the measure the check took for the dashboards, and says when it was taken',
    async () => {
      const checkedAt = new Date();
      await checkSettlementSla(database().db, checkedAt);
      const kept = await latestLag(database().db, new Date(checkedAt.getTime() + 60_000));
      assert.equal(kept.measuredAt.getTime(), checkedAt.getTime());
      assert.deepEqual(kept.lags, await measureLag(database().db, checkedAt),
        'the snapshot holds what the measure said');
      await collect(4);
      const later = await latestLag(database().db, new Date());
      assert.equal(later.lags.find((row) => row.payee === agencyId)?.oldestUnsettledAt, null,
        'money collected after the check waits for the next one');
      const checkedAgain = new Date();
      await checkSettlementSla(database().db, checkedAgain);
      const fresh = (await latestLag(database().db, checkedAgain)).lags
        .find((row) => row.payee === agencyId);
      assert.ok(fresh?.oldestUnsettledAt !== null && fresh?.oldestUnsettledAt !== undefined);
      await database().db.transaction().execute((trx) =>
        settlementDb(trx).deleteFrom('settlement_lag_snapshot').execute());
      const unchecked = await latestLag(database().db, checkedAgain);
      assert.deepEqual(unchecked.lags, await measureLag(database().db, checkedAgain),
        'before any check, the lag is measured on the spot');
    });
});
