/**
 * Card payments over real HTTP: our app on a port, the acquirer emulator on another. A USD
 * visa invoice is paid through the hosted page; the signed notification credits it once; the
 * Card-Signature is checked on the raw body with its 300 s tolerance; every notification is
 * stored before it is answered, and a refused one is kept quarantined and moves nothing; the
 * card number is in no log line, no page of ours and no table.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import {
  signCardNotification,
  startCardEmulatorServer,
  type CardEmulatorServer,
} from '#modules/card-emulator/index.ts';
import { payPaths, type PaymentsTables } from '#modules/payments/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { insertPaymentsFixture } from '#test/helpers/payments.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { cardPaths } from './card-paths.ts';
import { startCardsHarness, type CardsHarness } from '#test/helpers/cards.ts';

const cardNumber = '4242424242424242';
const notificationSecret = 'card-emulator-notification-secret';
const form = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

describeOnDatabases('card payments over HTTP', (database) => {
  let acquirer: CardEmulatorServer;
  let harness: CardsHarness;
  let payer: TestCaller;
  const logLines: string[] = [];

  before(async () => {
    await insertPaymentsFixture(database());
    acquirer = await startCardEmulatorServer();
    const logger = createLogger({ level: 'info',
      destination: { write: (line: string) => { logLines.push(line); } } });
    harness = await startCardsHarness(database(), acquirer.baseUrl, logger);
    payer = await signInAs(database(), 'account-holder');
  });
  after(async () => {
    await acquirer.emulator.idle();
    await acquirer.close();
    await harness.close();
  });

  const inject = (method: 'GET' | 'POST', url: string, caller: TestCaller = payer) =>
    harness.app.inject({ method, url, headers: { ...form, ...caller.headers },
      ...(method === 'POST' ? { payload: `_csrf=${caller.csrfToken}` } : {}) });

  async function visaInvoice(): Promise<string> {
    const started = await inject('POST', payPaths.startForService('fixture-visa'));
    assert.equal(started.statusCode, 303, started.body);
    return decodeURIComponent(String(started.headers.location).split('/').pop() ?? '');
  }

  async function payOnHostedPage(hostedUrl: string, card: string): Promise<string> {
    const answer = await fetch(hostedUrl, { method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ cardNumber: card, expiry: '12/39', cvc: '123',
        name: 'Test Payer' }).toString() });
    assert.equal(answer.status, 303, await answer.text());
    return answer.headers.get('location') ?? '';
  }

  const table = async (query: string) =>
    JSON.stringify((await sql.raw(query).execute(database().db)).rows,
    (_key, value: unknown) => typeof value === 'bigint' ? value.toString() : value);

  it('pays a USD visa by card, once, whatever the repeats', async () => {
    const reference = await visaInvoice();
    const first = await inject('POST', payPaths.card(reference));
    const second = await inject('POST', payPaths.card(reference));
    assert.equal(first.statusCode, 303, first.body);
    assert.equal(second.headers.location, first.headers.location, 'one session for two presses');
    const hostedUrl = String(first.headers.location);
    assert.ok(hostedUrl.startsWith(acquirer.baseUrl));
    const back = new URL(await payOnHostedPage(hostedUrl, cardNumber));
    assert.equal(back.pathname, payPaths.cardReturn(reference));
    await acquirer.emulator.flushNotifications();
    await acquirer.emulator.idle();
    const page = await inject('GET', `${back.pathname}${back.search}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Card payment received/);
    assert.match(page.body, /USD\u00a051\.00/);
    const invoice = await inject('GET', payPaths.invoice(reference));
    assert.match(invoice.body, /<dd>Paid<\/dd>/);
    const paidAgain = await inject('POST', payPaths.card(reference));
    assert.equal(paidAgain.statusCode, 409);
    assert.match(paidAgain.body, /This bill has nothing left to pay/);
    const history = await inject('GET', '/account/payments');
    assert.match(history.body, /<td>Card<\/td>/);
    const payments = await database().db.withTables<PaymentsTables>().selectFrom('payment')
      .select(['channel', 'provider', 'currency', 'amount_minor'])
      .where('account_reference', '=', reference).execute();
    assert.deepEqual(payments, [{ channel: 'card', provider: 'demo-acquirer', currency: 'USD',
      amount_minor: 5_100n }]);
    // The card number: in no log line, no page of ours, no table we keep.
    assert.ok(logLines.length > 0);
    for (const text of [logLines.join('\n'), page.body, invoice.body, history.body,
      await table('select * from payment_callback_raw'), await table('select * from card_session'),
      await table('select * from payment'), await table('select * from audit_record')]) {
      assert.ok(!text.includes(cardNumber) && !text.includes('4242 4242'), 'no card number');
    }
  });

  it('tells a declined card by the notification and by the return page, moving nothing',
    async () => {
      const reference = await visaInvoice();
      const started = await inject('POST', payPaths.card(reference));
      const back = new URL(await payOnHostedPage(String(started.headers.location),
        '4000000000000002'));
      await acquirer.emulator.flushNotifications();
      await acquirer.emulator.idle();
      const page = await inject('GET', `${back.pathname}${back.search}`);
      assert.match(page.body, /The card payment did not go through/);
      assert.match(page.body, /declined by your bank/);
      const session = await sql<{ status: string; failure_code: string }>`select status,
        failure_code from card_session where invoice_reference = ${reference}`
        .execute(database().db);
      assert.deepEqual(session.rows, [{ status: 'failed', failure_code: 'card_declined' }]);
      // Pressed again after a failure: a new attempt, a new session.
      const retried = await inject('POST', payPaths.card(reference));
      assert.notEqual(retried.headers.location, started.headers.location);
    });

  const notify = async (body: string, signature: string | undefined) =>
    fetch(`${harness.url}${cardPaths.notifications}`, { method: 'POST', body,
      headers: { 'content-type': 'application/json',
        ...(signature === undefined ? {} : { 'card-signature': signature }) } });

  async function outcomeOf(body: string) {
    const rows = await sql<{ outcome: string | null }>`select o.outcome from payment_callback_raw r
      left join payment_callback_outcome o on o.raw_id = r.id where r.body = ${body}`
      .execute(database().db);
    return rows.rows.map((row) => row.outcome);
  }

  function succeeded(reference: string, paymentId: string, sessionId = 'cs_unknown00001') {
    return JSON.stringify({ eventId: `evt_${randomBytes(12).toString('hex')}`,
      type: 'payment.succeeded', occurredAt: new Date().toISOString(),
      data: { sessionId, merchantReference: reference, amountMinor: '5100', currency: 'USD',
        paymentId } });
  }

  it('refuses a missing, wrong, altered or stale signature: stored, quarantined, no money',
    async () => {
      const reference = await visaInvoice();
      const body = succeeded(reference, `cp_${randomBytes(12).toString('hex')}`);
      const now = Math.floor(Date.now() / 1000);
      const signed = signCardNotification(notificationSecret, now, body);
      const cases = [undefined, signCardNotification('another-secret', now, body),
        signCardNotification(notificationSecret, now - 330, body),
        signCardNotification(notificationSecret, now + 330, body), 't=abc,v1=00'];
      for (const signature of cases) {
        const answer = await notify(body, signature);
        assert.equal(answer.status, 401, signature);
      }
      const altered = await notify(body.replace('5100', '5101'), signed);
      assert.equal(altered.status, 401);
      assert.deepEqual(await outcomeOf(body), cases.map(() => 'quarantined'));
      const invoice = await inject('GET', payPaths.invoice(reference));
      assert.match(invoice.body, /Not paid/);
      // Within the tolerance, correctly signed: accepted, and a replay credits nothing more.
      const late = signCardNotification(notificationSecret, now - 280, body);
      assert.equal((await notify(body, late)).status, 200);
      assert.equal((await notify(body, late)).status, 200);
      assert.deepEqual((await outcomeOf(body)).slice(-2), ['payment_recorded', 'duplicate']);
    });

  it('stores a notification before answering, and answers 5xx when it cannot record it',
    async () => {
      const reference = await visaInvoice();
      // A payment id the acquirer's format allows but our table refuses: recording fails.
      const body = succeeded(reference, `cp_${'a'.repeat(80)}`);
      const signature = signCardNotification(notificationSecret,
        Math.floor(Date.now() / 1000), body);
      const answer = await notify(body, signature);
      assert.ok(answer.status >= 500, String(answer.status));
      assert.deepEqual(await outcomeOf(body), [null], 'stored, left for a retry');
      const garbage = '{"not":"an event"}';
      const refused = await notify(garbage, signCardNotification(notificationSecret,
        Math.floor(Date.now() / 1000), garbage));
      assert.equal(refused.status, 400);
      assert.deepEqual(await outcomeOf(garbage), ['malformed']);
    });
});
