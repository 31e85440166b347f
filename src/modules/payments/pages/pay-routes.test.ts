import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createLogger } from '#platform/logging/index.ts';
import { runOutboxBatch } from '#platform/outbox/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { insertPaymentsFixture, startPaymentsHarness, type PaymentsHarness }
  from '#test/helpers/payments.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { receiptIssueHandler, receiptIssueTopic } from '../allocation-receipt-service.ts';
import { payPaths } from './pay-paths.ts';

const pageHeaders = { accept: 'text/html' };


describeOnDatabases('pay pages', (database) => {
  let harness: PaymentsHarness;
  let payer: TestCaller;
  let stranger: TestCaller;
  let reference: string;

  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database());
    payer = await signInAs(database(), 'account-holder');
    stranger = await signInAs(database(), 'account-holder');
    const started = await harness.app.inject({
      method: 'POST', url: payPaths.startForService('fixture-passport'),
      headers: { ...pageHeaders, ...payer.headers,
        'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: payer.csrfToken }).toString(),
    });
    assert.equal(started.statusCode, 303, started.body);
    reference = decodeURIComponent(String(started.headers.location).split('/').pop() ?? '');
  });
  after(async () => harness.close());

  const get = (caller: TestCaller, url: string, language = 'en') => harness.app.inject({
    url, headers: { ...pageHeaders, ...caller.headers, 'accept-language': language } });
  const post = (caller: TestCaller, url: string, form: Record<string, string>) =>
    harness.app.inject({
      method: 'POST', url,
      headers: { ...pageHeaders, ...caller.headers,
        'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: caller.csrfToken, ...form }).toString(),
    });

  it('shows the invoice, the M-Pesa form, the paybill steps and other channels', async () => {
    const page = await get(payer, payPaths.invoice(reference));
    assert.equal(page.statusCode, 200);
    for (const text of [reference, '222222', 'Service fee', 'Access fee', 'KES\u00a01,050.00',
      'name="phone"', 'name="_csrf"', 'Bank transfer', 'Pay KES\u00a01,050.00 by card',
      `action="/pay/${reference}/card"`]) {
      assert.ok(page.body.includes(text), `the pay page shows ${text}`);
    }
    const swahili = await get(payer, payPaths.invoice(reference), 'sw');
    assert.match(swahili.body, /Lipa kwa M-Pesa kwenye simu yako/);
  });

  it('offers no M-Pesa for a USD invoice: it says why and offers the card', async () => {
    const started = await post(payer, payPaths.startForService('fixture-visa'), {});
    const visa = decodeURIComponent(String(started.headers.location).split('/').pop() ?? '');
    const page = await get(payer, payPaths.invoice(visa));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /M-Pesa takes Kenya shillings only/);
    assert.match(page.body, /Pay USD\u00a051\.00 by card/);
    for (const absent of ['name="phone"', 'Business number', 'Pay Bill']) {
      assert.ok(!page.body.includes(absent), `a USD invoice shows no ${absent}`);
    }
  });

  it('answers 404 to another citizen for every pay address', async () => {
    for (const url of [payPaths.invoice(reference), payPaths.receipt(reference),
      payPaths.waiting(reference, '00000000-0000-7000-8000-000000000001'),
      payPaths.status(reference, '00000000-0000-7000-8000-000000000001')]) {
      const response = await get(stranger, url);
      assert.equal(response.statusCode, 404, url);
      assert.ok(!response.body.includes('1,050'), url);
    }
    const push = await post(stranger, payPaths.stkPush(reference), { phone: '0712345678',
      requestKey: '00000000-0000-7000-8000-000000000002' });
    assert.equal(push.statusCode, 404);
  });

  it('sends anonymous visitors to sign in, and refuses a form without its CSRF token', async () => {
    const anonymous = await harness.app.inject({ url: payPaths.invoice(reference),
      headers: pageHeaders });
    assert.equal(anonymous.statusCode, 303);
    const forged = await harness.app.inject({
      method: 'POST', url: payPaths.stkPush(reference),
      headers: { ...pageHeaders, ...payer.headers,
        'content-type': 'application/x-www-form-urlencoded' },
      payload: 'phone=0712345678',
    });
    assert.equal(forged.statusCode, 403);
  });

  it('shows a clear error for a missing or wrong phone number', async () => {
    const missing = await post(payer, payPaths.stkPush(reference), { phone: '' });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /Enter the M-Pesa phone number/);
    const wrong = await post(payer, payPaths.stkPush(reference), { phone: '12345' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /aria-invalid="true"/);
    assert.match(wrong.body, /value="12345"/);
  });

  it('pushes, waits, and hands over to the receipt once M-Pesa confirms', async () => {
    const requestKey = '00000000-0000-7000-8000-000000000003';
    const pushed = await post(payer, payPaths.stkPush(reference),
      { phone: '0712 345 678', requestKey });
    assert.equal(pushed.statusCode, 303, pushed.body);
    const waitingUrl = String(pushed.headers.location);
    const again = await post(payer, payPaths.stkPush(reference),
      { phone: '0712 345 678', requestKey });
    assert.equal(again.headers.location, waitingUrl, 'the same form pushes once');
    const waiting = await get(payer, waitingUrl);
    assert.equal(waiting.statusCode, 200);
    assert.match(waiting.body, /<noscript><meta http-equiv="refresh" content="5"><\/noscript>/);
    assert.match(waiting.body, /<script src="\/assets\/pay-status\.[0-9a-f]{12}\.js" defer>/);
    await harness.daraja.emulator.idle();
    const stateNow = async () =>
      (await get(payer, `${waitingUrl}/status`)).json<{ state: string }>().state;
    for (let attempt = 0; attempt < 50 && await stateNow() === 'waiting'; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(await stateNow(), 'preparing', 'paid; the receipt is not issued yet');
    const preparing = await get(payer, waitingUrl);
    assert.equal(preparing.statusCode, 200, 'the page keeps refreshing until the receipt exists');
    assert.match(preparing.body, /data-state="preparing"/);
    const early = await get(payer, payPaths.receipt(reference));
    assert.equal(early.headers.location, payPaths.invoice(reference),
      'a look at the receipt issues none: the allocation does, through the outbox');
    await runOutboxBatch({ db: database().db, clock: harness.deps.clock,
      logger: createLogger({ level: 'silent' }),
      handlers: { [receiptIssueTopic]: receiptIssueHandler(harness.deps) } });
    assert.equal(await stateNow(), 'confirmed');
    const settled = await get(payer, waitingUrl);
    assert.equal(settled.statusCode, 303);
    assert.equal(settled.headers.location, payPaths.receipt(reference));
    const handOver = await get(payer, payPaths.receipt(reference));
    assert.equal(handOver.statusCode, 303);
    const receipt = await get(payer, String(handOver.headers.location));
    assert.equal(receipt.statusCode, 200);
    assert.match(receipt.body, new RegExp(reference));
    const otherReceipt = await get(stranger, String(handOver.headers.location));
    assert.equal(otherReceipt.statusCode, 404);
  });
});
