/** The trial balance page and its CSV: who may open them, and what they say. */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Role } from '#modules/authorisation/index.ts';
import { money } from '#platform/money/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs } from '#test/helpers/sessions.ts';
import { postEntryInTrx } from './ledger-service.ts';
import { receiptUnmatched } from './receipt-postings.ts';
import { trialBalancePagePaths } from './trial-balance-page.ts';

describeOnDatabases('trial balance page', (database) => {
  let app: FastifyInstance;
  let agencyId = '';
  before(async () => {
    app = await buildTestApp(database());
    agencyId = await createTestAgency(database(), 'Trial Balance Agency');
    await database().db.transaction().execute(async (trx) => {
      const posted = await postEntryInTrx(trx, receiptUnmatched({
        receipt: { channel: { kind: 'mpesa', shortcode: '222222' }, receiptNumber: 'TB1234567' },
        amount: money(1_500_00n, 'KES'), occurredAt: new Date('2026-12-01T08:00:00Z'),
        paymentId: '01930000-0000-7000-8000-0000000000b1',
      }));
      assert.ok(posted.ok);
    });
  });
  after(async () => {
    await app.close();
  });

  const get = async (role: Role | undefined, url: string) => {
    const caller = role === undefined ? undefined : await signInAs(database(), role,
      role.startsWith('agency-') ? { agencyId } : {});
    return app.inject({ method: 'GET', url,
      ...(caller === undefined ? {} : { headers: caller.headers }) });
  };

  it('sends a caller who is not signed in to sign in, and refuses the public API', async () => {
    const response = await get(undefined, trialBalancePagePaths.csv);
    assert.ok([302, 303, 401].includes(response.statusCode), String(response.statusCode));
  });

  for (const role of ['account-holder', 'agency-officer', 'agency-supervisor',
    'agency-admin'] as const) {
    it(`refuses ${role}`, async () => {
      assert.equal((await get(role, trialBalancePagePaths.page)).statusCode, 403);
      assert.equal((await get(role, trialBalancePagePaths.csv)).statusCode, 403);
    });
  }

  for (const role of ['treasury', 'auditor', 'finance-officer', 'platform-admin'] as const) {
    it(`shows ${role} each kind with its balance, balanced, and the CSV`, async () => {
      const page = await get(role, trialBalancePagePaths.page);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Balanced: debits equal credits\./);
      assert.match(page.body, /<code>suspense<\/code><br>Receipts that matched no bill/);
      assert.match(page.body, /<code>collection:mpesa<\/code>/);
      assert.match(page.body, /1,500\.00/);
      const csv = await get(role, trialBalancePagePaths.csv);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      const lines = csv.body.trim().split('\r\n');
      assert.equal(lines[0], 'currency,kind,type,normal_side,accounts,debits,credits,balance');
      assert.ok(lines.includes('KES,suspense,liability,credit,1,0.00,1500.00,1500.00'),
        csv.body);
      assert.ok(lines.includes('KES,collection:mpesa,asset,debit,1,1500.00,0.00,1500.00'),
        csv.body);
    });
  }

  it('speaks Swahili', async () => {
    const caller = await signInAs(database(), 'treasury', {});
    const page = await app.inject({ method: 'GET', url: trialBalancePagePaths.page,
      headers: { ...caller.headers, 'accept-language': 'sw' } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Mizania ya majaribio/);
  });

  it('names every kind of the chart in both languages', async () => {
    const { accountKinds } = await import('./account-codes.ts');
    const en = (await import('./locales/en.json', { with: { type: 'json' } })).default as
      Record<string, string>;
    const sw = (await import('./locales/sw.json', { with: { type: 'json' } })).default as
      Record<string, string>;
    for (const kind of Object.keys(accountKinds)) {
      assert.ok(en[`ledger.kind.${kind}`] !== undefined, `en lacks ${kind}`);
      assert.ok(sw[`ledger.kind.${kind}`] !== undefined, `sw lacks ${kind}`);
    }
  });
});
