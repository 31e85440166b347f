/**
 * The demo path (`npm start`): with no acquirer configured the card emulator is mounted in the
 * app itself (config.cards.emulator), and a USD visa is paid by card end to end: the card button,
 * the emulator's hosted page (behind the platform's CSRF check), and our return page, which
 * records the payment it learns by asking the in-process acquirer.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { payPaths } from '#modules/payments/index.ts';
import { startCardsHarness, type CardsHarness } from '#test/helpers/cards.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { insertPaymentsFixture } from '#test/helpers/payments.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';

describeOnDatabases('card payment through the emulator mounted in the app', (database) => {
  let harness: CardsHarness;
  let payer: TestCaller;
  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startCardsHarness(database(), undefined);
    payer = await signInAs(database(), 'account-holder');
  });
  after(async () => harness.close());

  const post = (url: string, form: Record<string, string> = {}) => harness.app.inject({
    method: 'POST', url, headers: { ...payer.headers, accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: payer.csrfToken, ...form }).toString() });

  it('pays a USD visa by card with the in-process acquirer', async () => {
    assert.equal(harness.deps.config.cards.acquirerBaseUrl, `${harness.url}/emulators/card`);
    const started = await post(payPaths.startForService('fixture-visa'));
    const reference = decodeURIComponent(String(started.headers.location).split('/').pop() ?? '');
    const card = await post(payPaths.card(reference));
    assert.equal(card.statusCode, 303, card.body);
    const hosted = new URL(String(card.headers.location));
    assert.equal(hosted.origin, harness.url);
    const paid = await post(hosted.pathname, { cardNumber: '4242 4242 4242 4242',
      expiry: '12/39', cvc: '123', name: 'Test Payer' });
    assert.equal(paid.statusCode, 303, paid.body);
    const back = new URL(String(paid.headers.location), harness.url);
    assert.equal(back.pathname, payPaths.cardReturn(reference));
    const page = await harness.app.inject({ url: `${back.pathname}${back.search}`,
      headers: { ...payer.headers, accept: 'text/html' } });
    assert.match(page.body, /Card payment received/);
    const invoice = await harness.app.inject({ url: payPaths.invoice(reference),
      headers: { ...payer.headers, accept: 'text/html' } });
    assert.match(invoice.body, /<dd>Paid<\/dd>/);
  });
});
