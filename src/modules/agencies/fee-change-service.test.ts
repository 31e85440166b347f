/**
 * Fee changes need two people, on both databases: the proposer cannot approve nor reject their
 * own change; a second agency administrator or a platform administrator approves it, and only
 * then is a fee version written: the old fee in force until the effective date, the new one
 * from it; an invoice issued before keeps its snapshot. Amounts typed as text are parsed
 * exactly. Two deciders racing for one request (approve/approve, approve/reject), each in its
 * own transaction held behind a third's lock on PostgreSQL: exactly one wins.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import type { StaffActor } from '#modules/authorisation/index.ts';
import { feeInForce, kenyanDate, listFeeVersions } from '#modules/catalogue/index.ts';
import { createInvoiceForService, invoiceViewById } from '#modules/payments/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { manualClock } from '#platform/clock/index.ts';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  agencyForm,
  newMinistry,
  oneQuestionForm,
  serviceFields,
  staffActor,
} from '#test/helpers/onboarding.ts';
import { signInAs } from '#test/helpers/sessions.ts';
import { approveFeeChange, proposeFeeChange, rejectFeeChange } from './fee-change-service.ts';
import { createAgency } from './onboarding-service.ts';
import { createService, makeServiceLive } from './services-service.ts';

/** 09:00 in Nairobi on 4 December 2026. */
const start = new Date('2026-12-04T06:00:00Z');
const dayMs = 86_400_000;
const lockWaitPollMs = 20;
const lockWaitTriesMax = 500;

async function waitersOnLocks(database: DatabaseHandle, count: number): Promise<void> {
  for (let tries = 0; tries < lockWaitTriesMax; tries += 1) {
    const waiting = await sql<{ waiting: number }>`select count(*)::int as waiting
      from pg_locks where not granted and pid in (
        select pid from pg_stat_activity where datname = current_database())`
      .execute(database.db);
    if ((waiting.rows[0]?.waiting ?? 0) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, lockWaitPollMs));
  }
  throw new Error(`${count} deciders never waited for the fee change's lock`);
}

describeOnDatabases('fee changes: two people, versions, races', (database, kind) => {
  const clock = manualClock(start);
  const deps = () => testDeps(database(), { clock });
  let agencyId = '';
  let serviceId = '';
  let maker: StaffActor;
  let checker: StaffActor;
  let platformAdmin: StaffActor;
  const fee = (amount: string, effectiveFrom: string, currency = 'KES') => ({ currency, amount,
    effectiveFrom, gazetteReference: 'Legal Notice No. 42 of 2026' });
  const propose = (by: StaffActor, fields: Record<string, string>) =>
    proposeFeeChange(deps(), by, { agencyId, serviceId, fields });
  const changeOf = async (by: StaffActor, fields: Record<string, string>) => {
    const proposed = await propose(by, fields);
    assert.ok(proposed.ok, JSON.stringify(proposed));
    return proposed.value.changeId;
  };

  before(async () => {
    platformAdmin = await staffActor(database(), 'platform-admin');
    const created = await createAgency(deps(), platformAdmin,
      agencyForm(await newMinistry(database()), 'Fees Board'));
    assert.ok(created.ok);
    agencyId = created.value.agencyId;
    maker = await staffActor(database(), 'agency-admin', agencyId);
    checker = await staffActor(database(), 'agency-admin', agencyId);
    const service = await createService(deps(), maker, agencyId,
      { fields: serviceFields('Fee test licence'), eligibleAccountTypes: ['citizen'] });
    assert.ok(service.ok);
    serviceId = service.value.serviceId;
  });

  it('refuses amounts, references and dates that are not right, naming each field', async () => {
    const cases: [Record<string, string>, string][] = [
      [fee('1,050.005', '2026-12-04'), 'amount'], [fee('-5', '2026-12-04'), 'amount'],
      [fee('1e3', '2026-12-04'), 'amount'], [fee('10', '2026-12-04', 'EUR'), 'currency'],
      [fee('10', '2026-12-03'), 'effectiveFrom'], [fee('10', '2026-02-30'), 'effectiveFrom'],
      [{ ...fee('10', '2026-12-04'), gazetteReference: ' ' }, 'gazetteReference'],
    ];
    for (const [fields, field] of cases) {
      const refused = await propose(maker, fields);
      assert.ok(!refused.ok, JSON.stringify(fields));
      assert.equal(refused.error.code, 'AGENCY_FEE_CHANGE_INVALID');
      assert.deepEqual(Object.keys(refused.error.fields ?? {}), [field], JSON.stringify(fields));
    }
    const stranger = await staffActor(database(), 'platform-admin');
    const elsewhere = await proposeFeeChange(deps(), stranger, { agencyId,
      serviceId: '0193a000-0000-7000-8000-00000000abcd', fields: fee('10', '2026-12-04') });
    assert.ok(!elsewhere.ok && elsewhere.error.code === 'AGENCY_ONBOARDING_SERVICE_NOT_FOUND');
  });

  it('needs a second person, and changes the fee only from the effective date', async () => {
    const first = await changeOf(maker, fee('1,050.00', '2026-12-04'));
    assert.equal(await feeInForce(deps(), serviceId, clock.now()), undefined,
      'a proposal charges nothing');
    const again = await propose(checker, fee('1,100.00', '2026-12-05'));
    assert.ok(!again.ok && again.error.code === 'AGENCY_FEE_CHANGE_ALREADY_PENDING');
    const own = await approveFeeChange(deps(), maker, { agencyId, changeId: first });
    assert.ok(!own.ok && own.error.code === 'AGENCY_FEE_CHANGE_SAME_PERSON');
    const ownReject = await rejectFeeChange(deps(), maker, { agencyId, changeId: first,
      reason: '' });
    assert.ok(!ownReject.ok && ownReject.error.code === 'AGENCY_FEE_CHANGE_SAME_PERSON');
    const otherAgency = await createAgency(deps(), platformAdmin,
      agencyForm(await newMinistry(database()), 'Other Fees Board'));
    assert.ok(otherAgency.ok);
    const outsider = await staffActor(database(), 'agency-admin', otherAgency.value.agencyId);
    const outside = await approveFeeChange(deps(), outsider, { agencyId, changeId: first });
    assert.ok(!outside.ok && outside.error.code === 'AGENCY_FEE_CHANGE_NOT_FOUND');

    const approved = await approveFeeChange(deps(), checker, { agencyId, changeId: first });
    assert.ok(approved.ok, approved.ok ? '' : approved.error.code);
    assert.equal(approved.value.version.version, 1);
    assert.equal((await feeInForce(deps(), serviceId, clock.now()))?.fee.amountMinor, 1_050_00n);
    const twice = await approveFeeChange(deps(), platformAdmin, { agencyId, changeId: first });
    assert.ok(!twice.ok && twice.error.code === 'AGENCY_FEE_CHANGE_NOT_PENDING');

    // A platform administrator approves the agency administrator's next change.
    const second = await changeOf(maker, fee('1,200.50', '2026-12-14'));
    assert.ok((await approveFeeChange(deps(), platformAdmin, { agencyId, changeId: second }))
      .ok);
    const at = (day: string) => new Date(`${day}T09:00:00+03:00`);
    assert.equal((await feeInForce(deps(), serviceId, at('2026-12-13')))?.version, 1);
    assert.equal((await feeInForce(deps(), serviceId, at('2026-12-14')))?.fee.amountMinor,
      1_200_50n);
    assert.deepEqual((await listFeeVersions(database().db, serviceId)).map((v) =>
      [v.version, v.effectiveFrom, v.effectiveTo, v.gazetteReference]), [
      [2, '2026-12-14', null, 'Legal Notice No. 42 of 2026'],
      [1, '2026-12-04', '2026-12-14', 'Legal Notice No. 42 of 2026']]);
    const audited = await sql<{ action: string; actor_id: string }>`select action, actor_id
      from audit_record where subject_id = ${first} order by sequence`.execute(database().db);
    assert.deepEqual(audited.rows.map((row) => [row.action, row.actor_id]), [
      ['FEE_CHANGE_PROPOSED', maker.staffId], ['FEE_CHANGE_APPROVED', checker.staffId]]);
  });

  it('writes nothing on a rejection, and refuses an approval after the date', async () => {
    const before = (await listFeeVersions(database().db, serviceId)).length;
    const rejected = await changeOf(maker, fee('9,999.00', '2026-12-20'));
    const long = await rejectFeeChange(deps(), checker, { agencyId, changeId: rejected,
      reason: 'x'.repeat(501) });
    assert.ok(!long.ok && long.error.code === 'AGENCY_FEE_CHANGE_INVALID');
    const unknown = await rejectFeeChange(deps(), checker, { agencyId, changeId: 'nope',
      reason: '' });
    assert.ok(!unknown.ok && unknown.error.code === 'AGENCY_FEE_CHANGE_NOT_FOUND');
    assert.ok((await rejectFeeChange(deps(), checker, { agencyId, changeId: rejected,
      reason: 'Not gazetted yet' })).ok);
    const late = await approveFeeChange(deps(), platformAdmin, { agencyId, changeId: rejected });
    assert.ok(!late.ok && late.error.code === 'AGENCY_FEE_CHANGE_NOT_PENDING');
    const stale = await changeOf(maker, fee('2,000.00', '2026-12-05'));
    clock.advanceMs(2 * dayMs);
    const passed = await approveFeeChange(deps(), checker, { agencyId, changeId: stale });
    assert.ok(!passed.ok && passed.error.code === 'AGENCY_FEE_CHANGE_DATE_PASSED');
    assert.ok((await rejectFeeChange(deps(), checker, { agencyId, changeId: stale,
      reason: 'Date passed' })).ok, 'a stale change can still be rejected');
    assert.equal((await listFeeVersions(database().db, serviceId)).length, before);
  });

  /** Two decisions on one change, each in its own transaction, queued behind a held lock. */
  async function race<A, B>(changeId: string, one: () => Promise<A>, two: () => Promise<B>):
  Promise<[A, B]> {
    if (kind !== 'postgres') return Promise.all([one(), two()]);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = database().db.transaction().execute(async (trx) => {
      await sql`select id from fee_change_request where id = ${changeId} for update`
        .execute(trx);
      locked();
      await held;
    });
    await isLocked;
    const results = Promise.all([one(), two()]);
    try {
      await waitersOnLocks(database(), 2);
    } finally {
      release();
      await holder;
    }
    return results;
  }

  it('lets exactly one of two approvers, or of an approver and a rejecter, win', async () => {
    const versionsBefore = (await listFeeVersions(database().db, serviceId)).length;
    const contested = await changeOf(maker, fee('3,000.00', '2026-12-31'));
    const approvals = await race(contested,
      () => approveFeeChange(deps(), checker, { agencyId, changeId: contested }),
      () => approveFeeChange(deps(), platformAdmin, { agencyId, changeId: contested }));
    assert.deepEqual(approvals.map((r) => r.ok ? 'ok' : r.error.code).sort(),
      ['AGENCY_FEE_CHANGE_NOT_PENDING', 'ok']);
    assert.equal((await listFeeVersions(database().db, serviceId)).length, versionsBefore + 1);

    const split = await changeOf(maker, fee('3,500.00', '2027-01-31'));
    const decisions = await race(split,
      () => approveFeeChange(deps(), checker, { agencyId, changeId: split }),
      () => rejectFeeChange(deps(), platformAdmin, { agencyId, changeId: split, reason: 'No' }));
    const outcomes = decisions.map((r) => r.ok ? 'ok' : r.error.code);
    assert.deepEqual([...outcomes].sort(), ['AGENCY_FEE_CHANGE_NOT_PENDING', 'ok']);
    const status = await sql<{ status: string; decided_by_staff_id: string }>`select status,
      decided_by_staff_id from fee_change_request where id = ${split}`.execute(database().db);
    const approvedWon = outcomes[0] === 'ok';
    assert.deepEqual(status.rows[0], { status: approvedWon ? 'approved' : 'rejected',
      decided_by_staff_id: approvedWon ? checker.staffId : platformAdmin.staffId });
    assert.equal((await listFeeVersions(database().db, serviceId)).length,
      versionsBefore + (approvedWon ? 2 : 1));
  });

  it('leaves an invoice issued before a fee change at the fee it was issued with', async () => {
    const created = await createService(deps(), maker, agencyId, { fields:
      serviceFields('Snapshot licence', oneQuestionForm), eligibleAccountTypes: ['citizen'] });
    assert.ok(created.ok);
    const ids = { agencyId, serviceId: created.value.serviceId };
    const today = kenyanDate(clock.now());
    const decide = async (amount: string, by: StaffActor) => {
      const proposed = await proposeFeeChange(deps(), maker, { ...ids,
        fields: fee(amount, today) });
      assert.ok(proposed.ok);
      const approved = await approveFeeChange(deps(), by, { agencyId,
        changeId: proposed.value.changeId });
      assert.ok(approved.ok);
    };
    await decide('500.00', checker);
    assert.ok((await makeServiceLive(deps(), maker, ids)).ok);
    const payer = await signInAs(database(), 'account-holder');
    const issue = async () => {
      const invoice = await createInvoiceForService(deps(), { service: ids.serviceId,
        payerAccountId: payer.id, now: clock.now() });
      assert.ok(invoice.ok, invoice.ok ? '' : invoice.error.code);
      return invoice.value;
    };
    const before = await issue();
    // A second change the same day supersedes the first from that day (the higher version).
    await decide('700.00', platformAdmin);
    const after = await issue();
    const serviceFee = (lines: typeof before.lines) => lines.find((line) =>
      line.kind === 'service_fee');
    assert.equal(serviceFee(after.lines)?.amount.amountMinor, 700_00n);
    assert.equal(serviceFee(after.lines)?.feeScheduleVersion, 2);
    const kept = await invoiceViewById(deps(), before.id, clock.now());
    assert.equal(serviceFee(kept?.lines ?? [])?.amount.amountMinor, 500_00n);
    assert.equal(serviceFee(kept?.lines ?? [])?.feeScheduleVersion, 1);
  });
});
