import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { manualClock } from '#platform/clock/index.ts';
import { startTestEmulator, testDarajaAccount } from '#test/helpers/daraja.ts';
import { manualScheduler } from './emulator-scheduler.ts';
import type { EmulatorServer } from './emulator-server.ts';

describe('emulator: OAuth and access tokens', () => {
  const clock = manualClock(new Date('2026-11-28T07:00:00Z'));
  let daraja: EmulatorServer;

  const generate = (key: string, secret: string, grantType = 'client_credentials') =>
    fetch(`${daraja.baseUrl}/oauth/v1/generate?grant_type=${grantType}`, {
      headers: { authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}` },
    });
  const registerWith = (authorization: string | undefined) =>
    fetch(`${daraja.baseUrl}/mpesa/c2b/v2/registerurl`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorization === undefined ? {} : { authorization }),
      },
      body: JSON.stringify({ ShortCode: '222222', ResponseType: 'Completed',
        ConfirmationURL: 'https://example.org/c', ValidationURL: 'https://example.org/v' }),
    });

  before(async () => {
    daraja = await startTestEmulator({ clock, scheduler: manualScheduler(clock) });
  });
  after(async () => {
    await daraja.close();
  });

  it('gives a token for good credentials, with expires_in as a string', async () => {
    const response = await generate(testDarajaAccount.consumerKey,
      testDarajaAccount.consumerSecret);
    assert.equal(response.status, 200);
    const body = await response.json() as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['access_token', 'expires_in']);
    assert.equal(body['expires_in'], '3599');
    assert.match(String(body['access_token']), /^[A-Za-z0-9]{28}$/);
  });

  it('refuses bad credentials and a bad grant type with Daraja\'s errors', async () => {
    const wrong = await generate(testDarajaAccount.consumerKey, 'not-the-secret');
    assert.equal(wrong.status, 400);
    const wrongBody = await wrong.json() as Record<string, unknown>;
    assert.equal(wrongBody['errorCode'], '400.008.01');
    assert.equal(wrongBody['errorMessage'], 'Invalid Authentication passed');
    const grant = await generate(testDarajaAccount.consumerKey,
      testDarajaAccount.consumerSecret, 'password');
    assert.equal(grant.status, 400);
    assert.equal((await grant.json() as Record<string, unknown>)['errorCode'], '400.008.02');
    const none = await fetch(`${daraja.baseUrl}/oauth/v1/generate?grant_type=client_credentials`);
    assert.equal(none.status, 400);
  });

  it('answers API calls without a token, or with a bad or expired one, with 401', async () => {
    const missing = await registerWith(undefined);
    assert.equal(missing.status, 401);
    assert.equal((await missing.json() as Record<string, unknown>)['errorCode'], '404.001.04');

    const invented = await registerWith('Bearer made-up-token');
    assert.equal(invented.status, 401);
    assert.deepEqual(
      { ...await invented.json() as Record<string, unknown>, requestId: '' },
      { requestId: '', errorCode: '404.001.03', errorMessage: 'Invalid Access Token' },
    );

    const response = await generate(testDarajaAccount.consumerKey,
      testDarajaAccount.consumerSecret);
    const { access_token: token } = await response.json() as { access_token: string };
    assert.equal((await registerWith(`Bearer ${token}`)).status, 200);
    clock.advanceMs(3_598_000);
    assert.equal((await registerWith(`Bearer ${token}`)).status, 200, 'still valid at 3598 s');
    clock.advanceMs(1_000);
    assert.equal((await registerWith(`Bearer ${token}`)).status, 401, 'expired at 3599 s');
  });

  it('can revoke every token early, as Safaricom sometimes does', async () => {
    const response = await generate(testDarajaAccount.consumerKey,
      testDarajaAccount.consumerSecret);
    const { access_token: token } = await response.json() as { access_token: string };
    daraja.emulator.revokeAccessTokens();
    assert.equal((await registerWith(`Bearer ${token}`)).status, 401);
  });

  it('answers a malformed body with Daraja\'s envelope, not problem+json', async () => {
    const response = await generate(testDarajaAccount.consumerKey,
      testDarajaAccount.consumerSecret);
    const { access_token: token } = await response.json() as { access_token: string };
    const broken = await fetch(`${daraja.baseUrl}/mpesa/stkpush/v1/processrequest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"BusinessShortCode": ',
    });
    assert.equal(broken.status, 400);
    assert.equal((await broken.json() as Record<string, unknown>)['errorCode'], '400.002.05');
  });
});
