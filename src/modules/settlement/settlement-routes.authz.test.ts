/**
 * The settlement pages, role by role: reading for settlement.read (the finance desk, Treasury,
 * auditors, platform administrators; an agency's supervisors and administrators only their own
 * agency's lines, never the bank file), writing for settlement.manage (finance officers,
 * platform administrators). Then a batch through the pages: prepared by one officer, refused
 * to them, approved by two others, its file downloaded, recorded settled.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { roles, type Role } from '#modules/authorisation/index.ts';
import {
  accountCodes,
  invoiceCovered,
  postEntryInTrx,
  receiptMatched,
} from '#modules/ledger/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { settlementDb, upsertProfileInTrx } from './settlement-repo.ts';
import { settlementPaths } from './settlement-views.ts';

const readers = new Set<Role>(['finance-officer', 'treasury', 'auditor', 'platform-admin',
  'agency-supervisor', 'agency-admin']);
const managers = new Set<Role>(['finance-officer', 'platform-admin']);
const unknownBatch = '0193a000-0000-7000-8000-00000000abcd';

describeOnDatabases('settlement routes: every role', (database) => {
  let app: FastifyInstance;
  let agencyId = '';
  before(async () => {
    app = await buildTestApp(database());
    agencyId = await createTestAgency(database(), 'Settlement Authz Agency');
  });
  after(async () => {
    await app.close();
  });
  const post = (caller: TestCaller, url: string, form: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, headers: { ...caller.headers, accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: caller.csrfToken, ...form }).toString() });
  const get = (caller: TestCaller, url: string) =>
    app.inject({ url, headers: { ...caller.headers, accept: 'text/html' } });

  for (const role of roles.filter((r) => r !== 'agency-api-client')) {
    it(`${readers.has(role) ? 'lets' : 'refuses'} ${role} read, and ${
      managers.has(role) ? 'lets' : 'refuses'} them write`, async () => {
      const caller = await signInAs(database(), role, { agencyId });
      assert.equal((await get(caller, settlementPaths.page)).statusCode,
        readers.has(role) ? 200 : 403, 'overview');
      assert.equal((await get(caller, settlementPaths.profiles)).statusCode,
        readers.has(role) ? 200 : 403, 'profiles');
      assert.equal((await get(caller, settlementPaths.file(unknownBatch))).statusCode,
        readers.has(role) ? 404 : 403, 'file');
      // Allowed: a cut-off in the future is refused (400); refused: 403 before anything.
      assert.equal((await post(caller, settlementPaths.prepare,
        { currency: 'KES', cutoff: '2999-01-01T00:00' })).statusCode,
      managers.has(role) ? 400 : 403, 'prepare');
      assert.equal((await post(caller, settlementPaths.approve(unknownBatch))).statusCode,
        managers.has(role) ? 404 : 403, 'approve');
      // Allowed: nothing by that id (404); refused: 403 before anything is read.
      for (const [url, form] of [[settlementPaths.cancel(unknownBatch), {}],
        [settlementPaths.settle(unknownBatch), { bankReference: 'FT26338XK2' }],
        [settlementPaths.returnLine(unknownBatch), { reason: 'closed' }],
        [settlementPaths.closeAlert(unknownBatch), { note: 'looked' }]] as const) {
        assert.equal((await post(caller, url, form)).statusCode,
          managers.has(role) ? 404 : 403, url);
      }
    });
  }

  it('takes a batch through the pages: prepared, approved by two others, settled', async () => {
    await database().db.transaction().execute(async (trx) => {
      await upsertProfileInTrx(settlementDb(trx), { payee: agencyId, bank_name: 'Equity Bank',
        bank_code: '68', branch: 'Upper Hill', account_number: '0170299887766',
        account_name: 'Authz Agency Revenue', schedule_days: 1, sla_days: 2,
        updated_at: new Date() });
      const invoiceId = uuidv7();
      const amount = money(750_00n, 'KES');
      const occurredAt = new Date(Date.now() - 86_400_000);
      assert.ok((await postEntryInTrx(trx, receiptMatched({ receipt: { channel: { kind: 'mpesa',
        shortcode: '222222' }, receiptNumber: `AZ${invoiceId.slice(-8)}` }, invoiceId, amount,
      occurredAt }))).ok);
      const covered = invoiceCovered({ invoiceId, deposits: amount,
        agencyFees: [{ agencyId, amount }], accessFee: money(0n, 'KES'), payerId: uuidv7(),
        occurredAt });
      assert.ok(covered.ok);
      assert.ok((await postEntryInTrx(trx, covered.value)).ok);
    });
    const [maker, first, second] = await Promise.all([signInAs(database(), 'finance-officer'),
      signInAs(database(), 'finance-officer'), signInAs(database(), 'finance-officer')]);
    const prepared = await post(maker, settlementPaths.prepare, { currency: 'KES' });
    assert.equal(prepared.statusCode, 303);
    const batchUrl = (prepared.headers.location ?? '').replace(/\?.*$/, '');
    const batchId = batchUrl.split('/').at(-1) ?? '';
    assert.equal((await post(maker, settlementPaths.approve(batchId))).statusCode, 403);
    assert.equal((await post(first, settlementPaths.approve(batchId))).statusCode, 303);
    assert.equal((await post(first, settlementPaths.approve(batchId))).statusCode, 409);
    assert.equal((await post(second, settlementPaths.approve(batchId))).statusCode, 303);
    const treasury = await signInAs(database(), 'treasury');
    const file = await get(treasury, settlementPaths.file(batchId));
    assert.equal(file.statusCode, 200);
    assert.match(file.body, /"Authz Agency Revenue","750\.00","KES"/);
    const own = await signInAs(database(), 'agency-admin', { agencyId });
    assert.equal((await get(own, batchUrl)).statusCode, 200);
    assert.equal((await get(own, settlementPaths.file(batchId))).statusCode, 403);
    const stranger = await signInAs(database(), 'agency-admin',
      { agencyId: await createTestAgency(database(), 'Other Agency') });
    assert.equal((await get(stranger, batchUrl)).statusCode, 404);
    const settled = await post(maker, settlementPaths.settle(batchId),
      { bankReference: 'ft26338xk2' });
    assert.equal(settled.statusCode, 303);
    assert.match((await get(treasury, batchUrl)).body, /FT26338XK2/);
    assert.equal(accountCodes.settlementClearing(), 'settlement-clearing');
  });
});
