/**
 * Who may reach the card routes, role by role: the card button and the return page only for
 * the citizen who pays the bill (account.self, and their own bill: another citizen gets 404, as
 * if it did not exist); staff are refused (403); an anonymous caller must sign in. The
 * notification route is open to any caller, and authenticated by its Card-Signature alone.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { roles } from '#modules/authorisation/index.ts';
import {
  startCardEmulatorServer,
  type CardEmulatorServer,
} from '#modules/card-emulator/index.ts';
import { payPaths } from '#modules/payments/index.ts';
import { startCardsHarness, type CardsHarness } from '#test/helpers/cards.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { insertPaymentsFixture } from '#test/helpers/payments.ts';
import { createTestAgency, signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { cardPaths } from './card-paths.ts';

describeOnDatabases('card routes: every role', (database) => {
  let acquirer: CardEmulatorServer;
  let harness: CardsHarness;
  let owner: TestCaller;
  let reference = '';
  let agencyId = '';

  before(async () => {
    await insertPaymentsFixture(database());
    acquirer = await startCardEmulatorServer();
    harness = await startCardsHarness(database(), acquirer.baseUrl);
    agencyId = await createTestAgency(database(), 'Card Authz Agency');
    owner = await signInAs(database(), 'account-holder');
    const started = await post(owner, payPaths.startForService('fixture-visa'));
    reference = decodeURIComponent(String(started.headers.location).split('/').pop() ?? '');
  });
  after(async () => {
    await acquirer.close();
    await harness.close();
  });

  function post(caller: TestCaller | undefined, url: string) {
    return harness.app.inject({ method: 'POST', url, headers: { ...caller?.headers,
      accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: caller === undefined ? '' : `_csrf=${caller.csrfToken}` });
  }
  const get = (caller: TestCaller | undefined, url: string) => harness.app.inject({ url,
    headers: { ...caller?.headers, accept: 'text/html' } });
  const returnUrl = () => `${payPaths.cardReturn(reference)}?sessionId=cs_000000000000`;

  it('lets the citizen who pays the bill start a card payment and come back', async () => {
    const started = await post(owner, payPaths.card(reference));
    assert.equal(started.statusCode, 303);
    assert.ok(String(started.headers.location).startsWith(acquirer.baseUrl));
    // Allowed in: an unknown session of their own bill is "not found", not "forbidden".
    const back = await get(owner, returnUrl());
    assert.equal(back.statusCode, 404);
    assert.match(back.body, /Back to bill/);
  });

  for (const role of roles.filter((r) => r !== 'agency-api-client')) {
    it(`refuses ${role} another's bill`, async () => {
      const caller = await signInAs(database(), role, { agencyId });
      const expected = role === 'account-holder' ? 404 : 403;
      assert.equal((await post(caller, payPaths.card(reference))).statusCode, expected, 'card');
      assert.equal((await get(caller, returnUrl())).statusCode, expected, 'return');
    });
  }

  it('sends an anonymous caller to sign in, and refuses an unsigned notification', async () => {
    for (const answer of [await post(undefined, payPaths.card(reference)),
      await get(undefined, returnUrl())]) {
      assert.ok([303, 401, 403].includes(answer.statusCode), String(answer.statusCode));
      assert.notEqual(answer.headers.location, acquirer.baseUrl);
    }
    const notification = await harness.app.inject({ method: 'POST', url: cardPaths.notifications,
      headers: { 'content-type': 'application/json' }, payload: '{}' });
    assert.equal(notification.statusCode, 401);
    // Stored before it is checked, so each source address is capped.
    assert.equal(notification.headers['x-ratelimit-limit'], '600');
    assert.equal(notification.json<{ code: string }>().code, 'CARDS_NOTIFICATION_REFUSED');
  });
});
