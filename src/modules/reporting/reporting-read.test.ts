/**
 * The read API beyond collections (both databases): revenue per agency per Kenya day and per
 * month (fees recognised when a bill is paid in full, less a bill withdrawn for a refund), the
 * settlement position (awaiting, released less returned, confirmed, in clearing, suspense) for
 * all agencies and for one, and services on-boarded per agency; each read from the totals
 * equals the same read from the ledger, folded or not.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import {
  agencySettled,
  invoiceCovered,
  postCorrectionInTrx,
  postEntryInTrx,
  receiptMatched,
  receiptUnmatched,
  settlementReleased,
  settlementReturned,
  type Entry,
} from '#modules/ledger/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { testDeps } from '#test/helpers/app.ts';
import { createReportingAgency, type ReportingAgency } from '#test/helpers/reporting.ts';
import { reportingJobs } from './reporting-jobs.ts';
import { settlementPosition } from './reporting-position.ts';
import {
  revenueByAgencyDay,
  revenueByAgencyMonth,
  servicesOnboardedByAgency,
} from './reporting-read.ts';
import { foldDailyTotals } from './reporting-totals.ts';

const kes = (amountMinor: bigint) => money(amountMinor, 'KES');
const period = { from: '2026-10-01', to: '2026-11-30' };

describeOnDatabases('reporting read API: revenue, settlement position, on-boarding', (database) => {
  let alpha: ReportingAgency;
  let bravo: ReportingAgency;
  let receipts = 0;

  const post = async (entry: Entry) => {
    const posted = await database().db.transaction().execute((trx) => postEntryInTrx(trx, entry));
    assert.ok(posted.ok, posted.ok ? '' : posted.error.code);
    return posted.value.entryId;
  };
  /** A bill paid in full at `at`: the receipt, then its covered entry; returns that entry. */
  const paid = async (agencyId: string, feeMinor: bigint, at: string) => {
    receipts += 1;
    const invoiceId = uuidv7();
    const total = kes(feeMinor + 5_000n);
    await post(receiptMatched({ invoiceId, amount: total, occurredAt: new Date(at),
      receipt: { channel: { kind: 'mpesa', shortcode: '222222' },
        receiptNumber: `READ${receipts}` } }));
    const covered = invoiceCovered({ invoiceId, deposits: total, payerId: uuidv7(),
      agencyFees: [{ agencyId, amount: kes(feeMinor) }], accessFee: kes(5_000n),
      occurredAt: new Date(at) });
    assert.ok(covered.ok);
    return post(covered.value);
  };

  before(async () => {
    alpha = await createReportingAgency(database(), 'Read Agency Alpha');
    bravo = await createReportingAgency(database(), 'Read Agency Bravo');
    // 21:30 UTC on 31 October is 00:30 on 1 November in Nairobi.
    await paid(alpha.agencyId, 100_000n, '2026-10-31T21:30:00Z');
    await paid(alpha.agencyId, 20_000n, '2026-10-31T20:30:00Z');
    const withdrawn = await paid(alpha.agencyId, 30_000n, '2026-11-15T08:00:00Z');
    await foldDailyTotals(database().db);
    await paid(bravo.agencyId, 70_000n, '2026-11-15T09:00:00Z');
    await database().db.transaction().execute((trx) => postCorrectionInTrx(trx, {
      entryId: withdrawn, idempotencyKey: 'read:withdrawn', code: 'INVOICE_COVERAGE_WITHDRAWN',
      occurredAt: new Date('2026-11-20T08:00:00Z') }));
    const line = (payeeId: string, amountMinor: bigint, at: string) => ({ lineId: uuidv7(),
      batchId: uuidv7(), payee: { kind: 'agency' as const, agencyId: payeeId },
      amount: kes(amountMinor), occurredAt: new Date(at) });
    const released = line(alpha.agencyId, 100_000n, '2026-11-02T08:00:00Z');
    await post(settlementReleased(released));
    await post(agencySettled({ ...released, occurredAt: new Date('2026-11-03T08:00:00Z'),
      bankReference: 'BANK-0001' }));
    const returned = line(alpha.agencyId, 20_000n, '2026-11-02T08:00:00Z');
    await post(settlementReleased(returned));
    await post(settlementReturned({ ...returned, occurredAt: new Date('2026-11-04T08:00:00Z') }));
    await post(receiptUnmatched({ receipt: { channel: { kind: 'mpesa', shortcode: '222222' },
      receiptNumber: 'READ-UNMATCHED' }, amount: kes(12_300n),
      occurredAt: new Date('2026-11-05T08:00:00Z') }));
  });

  it('gives revenue per agency per Kenya day and per month', async () => {
    const db = database().db;
    const days = await revenueByAgencyDay(db, period);
    const mine = (agencyId: string) => days.filter((row) => row.agencyId === agencyId)
      .map((row) => [row.day, row.amountMinor]);
    assert.deepEqual(mine(alpha.agencyId), [['2026-10-31', 20_000n], ['2026-11-01', 100_000n],
      ['2026-11-15', 30_000n], ['2026-11-20', -30_000n]]);
    assert.deepEqual(mine(bravo.agencyId), [['2026-11-15', 70_000n]]);
    assert.deepEqual(days, await revenueByAgencyDay(db, period, 'ledger'));
    const months = await revenueByAgencyMonth(db, period);
    assert.deepEqual(months.filter((row) => row.agencyId === alpha.agencyId)
      .map((row) => [row.month, row.amountMinor]), [['2026-10', 20_000n], ['2026-11', 100_000n]]);
    assert.deepEqual(months, await revenueByAgencyMonth(db, period, 'ledger'));
  });

  it('gives the settlement position for all agencies and for one', async () => {
    const db = database().db;
    const november = { from: '2026-11-01', to: '2026-11-30' };
    const all = await settlementPosition(db, november);
    // Alpha kept 120,000 - 100,000 released (20,000 returned to it); Bravo 70,000; the
    // access fees 4 x 5,000 less the withdrawn bill's 5,000.
    assert.deepEqual(all, [{ currency: 'KES', awaitingMinor: 20_000n + 70_000n + 15_000n,
      releasedMinor: 100_000n, settledMinor: 100_000n, clearingMinor: 0n,
      suspenseMinor: 12_300n }]);
    assert.deepEqual(all, await settlementPosition(db, november, 'all', 'ledger'));
    const alphaOnly = await settlementPosition(db, november, alpha.agencyId);
    assert.deepEqual(alphaOnly, [{ currency: 'KES', awaitingMinor: 20_000n,
      releasedMinor: 100_000n, settledMinor: null, clearingMinor: null, suspenseMinor: null }]);
    const october = await settlementPosition(db, { from: '2026-10-01', to: '2026-10-31' });
    assert.equal(october[0]?.awaitingMinor, 20_000n + 5_000n, 'only what was owed by then');
  });

  it('folds every delta by the worker\'s job, the answers unchanged', async () => {
    const db = database().db;
    const before = await revenueByAgencyDay(db, period);
    const [job] = reportingJobs(testDeps(database()));
    assert.equal(job?.name, 'reporting.fold-daily-totals');
    await job?.run();
    const left = await db.selectFrom('reporting_movement_delta' as never)
      .select((eb) => eb.fn.countAll<bigint>().as('rows')).executeTakeFirstOrThrow();
    assert.equal(BigInt(left.rows), 0n);
    assert.deepEqual(await revenueByAgencyDay(db, period), before);
  });

  it('counts each agency\'s services by on-boarding status', async () => {
    const onboarded = await servicesOnboardedByAgency(database().db);
    const row = onboarded.find((item) => item.agencyId === alpha.agencyId);
    assert.deepEqual(row, { agencyId: alpha.agencyId, nameEn: 'Read Agency Alpha',
      nameSw: null, live: 1, inProgress: 1, notStarted: 0, exempt: 0, sandbox: 0, total: 2 });
  });
});
