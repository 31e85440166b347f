/**
 * The settlement pages at work: a payee late beyond its SLA (the worker's job raises the alert,
 * the officer closes it with a note on the page), a batch prepared, approved and released on
 * the pages, a wrong bank reference refused at the field, a line returned by the bank, another
 * batch cancelled; the profiles page; the scheduled preparation job.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import {
  invoiceCovered,
  postEntryInTrx,
  receiptMatched,
} from '#modules/ledger/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import { buildTestApp, testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { settlementJobs } from './settlement-jobs.ts';
import { settlementDb, upsertProfileInTrx } from './settlement-repo.ts';
import { settlementPaths } from './settlement-views.ts';

describeOnDatabases('settlement pages', (database) => {
  let app: FastifyInstance;
  let agencyId = '';
  before(async () => {
    app = await buildTestApp(database());
    agencyId = await createTestAgency(database(), 'Pages Agency');
    await database().db.transaction().execute((trx) => upsertProfileInTrx(settlementDb(trx), {
      payee: agencyId, bank_name: 'Stanbic Bank', bank_code: '31', branch: 'Kenyatta Avenue',
      account_number: '0100000123456', account_name: 'Pages Agency Revenue', schedule_days: 1,
      sla_days: 2, updated_at: new Date() }));
  });
  after(async () => {
    await app.close();
  });
  const collect = (daysAgo: number) => database().db.transaction().execute(async (trx) => {
    const invoiceId = uuidv7();
    const occurredAt = new Date(Date.now() - daysAgo * 86_400_000);
    const amount = money(120_00n, 'KES');
    assert.ok((await postEntryInTrx(trx, receiptMatched({ receipt: { channel: { kind: 'mpesa',
      shortcode: '222222' }, receiptNumber: `PG${invoiceId.slice(-8)}` }, invoiceId, amount,
    occurredAt }))).ok);
    const covered = invoiceCovered({ invoiceId, deposits: amount,
      agencyFees: [{ agencyId, amount }], accessFee: money(0n, 'KES'), payerId: uuidv7(),
      occurredAt });
    assert.ok(covered.ok);
    assert.ok((await postEntryInTrx(trx, covered.value)).ok);
  });
  const post = (caller: TestCaller, url: string, form: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, headers: { ...caller.headers, accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: caller.csrfToken, ...form }).toString() });
  const get = (caller: TestCaller, url: string) =>
    app.inject({ url, headers: { ...caller.headers, accept: 'text/html' } });
  const batchIdOf = (location: string | undefined) =>
    (location ?? '').replace(/\?.*$/, '').split('/').at(-1) ?? '';

  it('raises and closes an SLA alert, releases, refuses a bad reference, returns a line',
    async () => {
      await collect(6);
      const jobs = settlementJobs(testDeps(database()));
      for (const job of jobs.filter((item) => item.name === 'settlement.sla-check')) {
        await job.run();
      }
      const officer = await signInAs(database(), 'finance-officer');
      const overview = await get(officer, settlementPaths.page);
      assert.equal(overview.statusCode, 200);
      assert.match(overview.body, /SLA breached/);
      assert.match(overview.body, /Pages Agency/);
      const alertId = /\/staff\/settlement\/alerts\/([0-9a-f-]{36})\/close/
        .exec(overview.body)?.[1] ?? '';
      assert.equal((await post(officer, settlementPaths.closeAlert(alertId))).statusCode, 400);
      assert.equal((await post(officer, settlementPaths.closeAlert(alertId),
        { note: 'the bank file was late' })).statusCode, 303);
      const prepared = await post(officer, settlementPaths.prepare, { currency: 'KES',
        cutoff: new Date(Date.now() + 3 * 3_600_000 - 60_000).toISOString().slice(0, 16) });
      assert.equal(prepared.statusCode, 303);
      const batchId = batchIdOf(prepared.headers.location);
      for (let approvals = 0; approvals < 2; approvals += 1) {
        const approver = await signInAs(database(), 'finance-officer');
        assert.equal((await post(approver, settlementPaths.approve(batchId))).statusCode, 303);
      }
      const wrong = await post(officer, settlementPaths.settle(batchId), { bankReference: '12' });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /4 to 40 letters/);
      const page = await get(officer, settlementPaths.batch(batchId));
      const lineId = /\/staff\/settlement\/lines\/([0-9a-f-]{36})\/return/.exec(page.body)?.[1];
      assert.ok(lineId !== undefined);
      assert.equal((await post(officer, settlementPaths.returnLine(lineId),
        { reason: 'account closed' })).statusCode, 303);
      assert.equal((await post(officer, settlementPaths.returnLine(lineId))).statusCode, 409);
      assert.match((await get(officer, settlementPaths.batch(batchId))).body,
        /Returned by the bank/);
    });

  it('cancels a prepared batch, shows the profiles, and the job prepares once a day',
    async () => {
      const officer = await signInAs(database(), 'finance-officer');
      const prepared = await post(officer, settlementPaths.prepare, { currency: 'KES' });
      assert.equal(prepared.statusCode, 303);
      const batchId = batchIdOf(prepared.headers.location);
      assert.equal((await post(officer, settlementPaths.cancel(batchId))).statusCode, 303);
      assert.equal((await post(officer, settlementPaths.cancel(batchId))).statusCode, 409);
      assert.match((await get(officer, settlementPaths.batch(batchId))).body, /Cancelled/);
      const nothing = await post(officer, settlementPaths.prepare, { currency: 'USD' });
      assert.equal(nothing.statusCode, 409);
      const profiles = await get(officer, settlementPaths.profiles);
      assert.match(profiles.body, /Stanbic Bank \(31\), Kenyatta Avenue/);
      await collect(2);
      const prepare = settlementJobs(testDeps(database()))
        .find((job) => job.name === 'settlement.prepare-due');
      await prepare?.run();
      await prepare?.run();
      const scheduled = await settlementDb(database().db).selectFrom('settlement_batch')
        .select('id').where('prepared_by', '=', 'settlement-schedule').execute();
      assert.equal(scheduled.length, 1);
    });
});
