import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { money } from '#platform/money/index.ts';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { ledgerPaths, ledgerRoutes } from './ledger-routes.ts';
import { postEntryInTrx } from './ledger-service.ts';
import { receiptUnmatched } from './receipt-postings.ts';

describeOnDatabases('ledger routes', (database) => {
  let app: FastifyInstance;
  before(async () => {
    // The route alone: its answer, apart from sign-in and roles (the identity module's, which
    // refuses callers without ledger.read before the handler runs).
    app = Fastify();
    await app.register(async (scope) => ledgerRoutes(scope, testDeps(database())));
    await app.ready();
  });
  after(async () => {
    await app.close();
  });

  it('declares that only holders of ledger.read may read the trial balance', async () => {
    const routes: RouteOptions[] = [];
    const bare = Fastify();
    bare.addHook('onRoute', (route) => {
      routes.push(route);
    });
    await bare.register(async (scope) => ledgerRoutes(scope, testDeps(database())));
    await bare.ready();
    assert.deepEqual(routes.map((route) => [route.method, route.url, route.config]),
      ['GET', 'HEAD'].map((method) =>
        [method, ledgerPaths.trialBalance, { access: { permission: 'ledger.read' } }]));
    await bare.close();
  });

  it('answers the trial balance per currency and kind, amounts as exact strings', async () => {
    const big = 9_007_199_254_740_993n;
    const posted = await database().db.transaction().execute((trx) => postEntryInTrx(trx,
      receiptUnmatched({ receipt: { channel: { kind: 'bank', bank: 'kcb' },
        receiptNumber: 'FT26332XYZ' }, amount: money(big / 10n, 'KES'),
      occurredAt: new Date() })));
    assert.ok(posted.ok);
    const response = await app.inject({ method: 'GET', url: ledgerPaths.trialBalance });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['cache-control'], 'no-store');
    const body = response.json();
    assert.equal(body.balanced, true);
    const shillings = body.currencies.find((item: { currency: string }) =>
      item.currency === 'KES');
    assert.equal(shillings.debitsMinor, '900719925474099');
    assert.equal(shillings.creditsMinor, '900719925474099');
    assert.deepEqual(shillings.kinds.map((kind: { kind: string; balanceMinor: string }) =>
      `${kind.kind} ${kind.balanceMinor}`),
    ['collection:bank 900719925474099', 'suspense 900719925474099']);
  });
});
