/**
 * The card channel's edges, with a stand-in acquirer (a fetch that answers as told): an
 * acquirer that cannot be reached or answers nonsense starts nothing and records nothing; a
 * session still open, failed or expired is told as such; a bill with nothing to pay or a
 * deployment without an acquirer starts nothing; a card refund the acquirer refuses fails its
 * attempt, and one it cannot be asked about is sent again later. The return page's words.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadConfig } from '#config';
import { money } from '#platform/money/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { joinBundles, translator, webMessages, type Language } from '#web/index.ts';
import { cancelInvoice, createInvoiceForService, invoiceView } from '#modules/payments/index.ts';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { fixtureIds, insertPaymentsFixture, newPayerId } from '#test/helpers/payments.ts';
import { createRefund, querySession, readSessionState } from './acquirer-client.ts';
import { channelCardsModule } from './index.ts';
import {
  checkOpenSessions,
  learnSessionOutcome,
  startCardPayment,
  type CardsDeps,
} from './card-payment-service.ts';
import { cardRefundSendHandler, sendCardRefund } from './card-refund-sender.ts';
import { cardsDb, findSession } from './card-session-repo.ts';
import { renderCannotStartPage, renderReturnPage } from './card-views.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };

type Answer = Readonly<{ status: number; body: string }> | 'unreachable';

/** A fetch answering each call with the next answer; the requests are kept. */
function standIn(answers: Answer[]) {
  const calls: string[] = [];
  const fetcher = (async (url: string | URL | Request) => {
    calls.push(String(url));
    const answer = answers.shift() ?? 'unreachable';
    if (answer === 'unreachable') throw new TypeError('fetch failed');
    return new Response(answer.body, { status: answer.status });
  }) as typeof fetch;
  return { fetcher, calls };
}

const config = { acquirerBaseUrl: 'http://acquirer.test', secretKey: 'key' };
const session = (status: string, extra: Record<string, unknown> = {}) => JSON.stringify({
  sessionId: 'cs_0123456789', merchantReference: 'HX1', amountMinor: '5100', currency: 'USD',
  status, ...extra });

describe('acquirer client', () => {
  it('says why when the acquirer cannot be used', async () => {
    const cases: [Answer, string][] = [
      ['unreachable', 'acquirer unreachable: TypeError'],
      [{ status: 200, body: 'not json' }, 'acquirer answered 200'],
      [{ status: 409, body: '{"error":"idempotency_key_reused"}' },
        'acquirer answered 409 idempotency_key_reused'],
      [{ status: 200, body: '{"sessionId":"cs_1"}' }, 'acquirer session answer not understood'],
    ];
    for (const [answer, reason] of cases) {
      const { fetcher } = standIn([answer, answer]);
      const reply = await querySession(config, fetcher, 'cs_0123456789');
      assert.deepEqual(reply.ok ? 'ok' : reply.reason, reason);
    }
    const refund = await createRefund(config, standIn([{ status: 201, body: '{}' }]).fetcher,
      'key-1', { paymentId: 'cp_1234', amountMinor: 100n, currency: 'KES',
        merchantRefundReference: 'r1' });
    assert.deepEqual(refund.ok ? 'ok' : refund.reason, 'acquirer refund answer not understood');
  });

  it('reads a session only when it says what a session says', () => {
    assert.equal(readSessionState(JSON.parse(session('succeeded')) as Record<string, unknown>),
      undefined, 'a success names its payment');
    assert.equal(readSessionState(JSON.parse(session('paid')) as Record<string, unknown>),
      undefined);
    assert.equal(readSessionState(JSON.parse(session('failed',
      { failureCode: 'card_declined' })) as Record<string, unknown>)?.failureCode,
    'card_declined');
  });
});

describe('return page words', () => {
  const context = (language: Language) => ({ language, currentUrl: '/pay/HX1/card/return',
    navigation: [], t: translator(joinBundles([webMessages, { en, sw }]), language) });
  const amount = money(5_100n, 'USD');
  const render = (status: 'open' | 'failed' | 'expired' | 'unknown', failureCode?: string,
    language: Language = 'en') => renderReturnPage(context(language), { reference: 'HX1', amount,
    outcome: { status, failureCode }, selfHref: '/pay/HX1/card/return?sessionId=cs_1' });

  it('says what happened, and never suggests paying again while it may be paid', () => {
    assert.match(render('open'), /Waiting for the card payment[\s\S]*Check again/);
    assert.match(render('unknown'), /href="\/pay\/HX1\/card\/return\?sessionId=cs_1"/);
    assert.match(render('failed', 'insufficient_funds'), /not enough money on the card/);
    assert.match(render('failed', 'cancelled'), /You cancelled the card payment/);
    assert.match(render('failed', 'authentication_failed'), /security check/);
    assert.match(render('failed', 'something_new'), /did not take the payment/);
    assert.match(render('expired'), /page expired before it was used/);
    assert.match(render('failed', 'card_declined', 'sw'), /Benki yako imekataa kadi yako/);
    assert.match(renderCannotStartPage(context('en'), { reference: 'HX1',
      problemKey: 'cards.problem.unavailable' }), /nothing was charged/);
  });
});

describeOnDatabases('card channel edges', (database) => {
  let deps: ModuleDeps;
  before(async () => {
    await insertPaymentsFixture(database());
    deps = testDeps(database(), { config: loadConfig({ HUDUMA_ENV: 'test',
      HUDUMA_CARDS_EMULATOR: 'off', HUDUMA_CARDS_ACQUIRER_URL: 'http://acquirer.test',
      HUDUMA_CARDS_SECRET_KEY: 'key', HUDUMA_CARDS_NOTIFICATION_SECRET: 'secret',
      HUDUMA_CARDS_MERCHANT_ID: 'huduma-demo' }) });
  });

  async function visa() {
    const created = await createInvoiceForService(deps, { service: fixtureIds.visa,
      payerAccountId: newPayerId(), now: new Date() });
    assert.ok(created.ok);
    return created.value;
  }
  const withAcquirer = (answers: Answer[]): CardsDeps & { calls: string[] } => {
    const { fetcher, calls } = standIn(answers);
    return { ...deps, fetch: fetcher, calls };
  };

  it('starts nothing without an acquirer, for a closed bill, or when the acquirer fails',
    async () => {
      const invoice = await visa();
      const none = { ...deps, config: loadConfig({ HUDUMA_ENV: 'test',
        HUDUMA_CARDS_EMULATOR: 'off' }) };
      const refused = async (cardsDeps: CardsDeps, bill = invoice) =>
        startCardPayment(cardsDeps, { invoice: bill, requestedBy: newPayerId() });
      assert.deepEqual(await refused(none), { ok: false,
        error: { code: 'CARDS_NOT_AVAILABLE' } });
      for (const answer of ['unreachable', { status: 500, body: '{}' },
        { status: 201, body: '{"sessionId":"cs_01234567","hostedUrl":"javascript:x"}' }] as
        Answer[]) {
        const failed = await refused(withAcquirer([answer]));
        assert.equal(failed.ok ? 'ok' : failed.error.code, 'CARDS_ACQUIRER_UNAVAILABLE');
      }
      assert.deepEqual(await cardsDb(deps.db).selectFrom('card_session').select('id')
        .where('invoice_id', '=', invoice.id).execute(), []);
      await cancelInvoice(deps, { reference: invoice.reference,
        actor: { kind: 'system', id: 'test' }, now: new Date() });
      const cancelled = await invoiceView(deps, invoice.reference);
      assert.ok(cancelled !== undefined);
      const closed = await refused(withAcquirer([]), cancelled);
      assert.equal(closed.ok ? 'ok' : closed.error.code, 'CARDS_INVOICE_NOT_PAYABLE');
    });

  it('tells an open, unreachable, failed or expired session as it is', async () => {
    const invoice = await visa();
    const created = { status: 201, body: JSON.stringify({ sessionId: 'cs_edge0000001',
      hostedUrl: 'http://acquirer.test/pay/cs_edge0000001', status: 'open',
      expiresAt: new Date(Date.now() + 60_000).toISOString() }) };
    const started = await startCardPayment(withAcquirer([created]),
      { invoice, requestedBy: newPayerId() });
    assert.ok(started.ok);
    const again = withAcquirer([]);
    assert.ok((await startCardPayment(again, { invoice, requestedBy: newPayerId() })).ok);
    assert.deepEqual(again.calls, [], 'the open session is used again, nothing asked');
    const stored = await findSession(cardsDb(deps.db), 'demo-acquirer', 'cs_edge0000001');
    assert.ok(stored !== undefined);
    const answer = (status: string, extra = {}) => ({ status: 200,
      body: session(status, { sessionId: 'cs_edge0000001', ...extra }) });
    assert.equal((await learnSessionOutcome(withAcquirer([answer('open')]), stored)).status,
      'open');
    assert.equal((await learnSessionOutcome(withAcquirer(['unreachable']), stored)).status,
      'unknown');
    assert.deepEqual(await learnSessionOutcome(withAcquirer([answer('failed',
      { failureCode: 'card_declined' })]), stored),
    { status: 'failed', failureCode: 'card_declined' });
    assert.equal((await learnSessionOutcome(withAcquirer([answer('expired')]), stored)).status,
      'expired');
    const settled = await findSession(cardsDb(deps.db), 'demo-acquirer', 'cs_edge0000001');
    assert.deepEqual([settled?.status, settled?.failureCode], ['failed', 'card_declined']);
  });

  it('asks about sessions left open, and records the payment a lost notification told',
    async () => {
      const invoice = await visa();
      const created = { status: 201, body: JSON.stringify({ sessionId: 'cs_stale000001',
        hostedUrl: 'http://acquirer.test/pay/cs_stale000001', status: 'open',
        expiresAt: new Date(Date.now() + 60_000).toISOString() }) };
      assert.ok((await startCardPayment(withAcquirer([created]),
        { invoice, requestedBy: newPayerId() })).ok);
      const later = { now: () => new Date(Date.now() + 10 * 60_000) };
      const paid = { status: 200, body: session('succeeded', { sessionId: 'cs_stale000001',
        merchantReference: invoice.reference, paymentId: 'cp_stale000001' }) };
      const checker = { ...withAcquirer([paid]), clock: later };
      assert.equal(await checkOpenSessions(checker), 1);
      assert.equal((await invoiceView(deps, invoice.reference, later.now()))?.status, 'paid');
      const again = withAcquirer([]);
      await checkOpenSessions({ ...again, clock: later });
      assert.ok(!again.calls.some((url) => url.endsWith('cs_stale000001')), 'settled: not asked');
      const jobs = channelCardsModule.periodicJobs?.(deps) ?? [];
      assert.deepEqual(jobs.map((job) => job.name), ['channel-cards.open-session-check']);
    });

  it('sends nothing for an attempt that is not a queued card refund', async () => {
    assert.equal(await sendCardRefund(withAcquirer([]), '00000000-0000-7000-8000-000000000001'),
      'skipped');
    const handler = cardRefundSendHandler(withAcquirer([]));
    await assert.rejects(handler({ id: 'e1', topic: 't', payload: {}, attempts: 1 } as never,
      { isLastAttempt: false } as never), /malformed card refund payload/);
  });
});
