/**
 * The client's OAuth and failure handling over real HTTP: against the emulator for tokens,
 * and against servers that never answer, refuse connections or answer with HTML.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { manualClock } from '#platform/clock/index.ts';
import { money } from '#platform/money/index.ts';
import {
  startSilentServer,
  startTestEmulator,
  testDarajaAccount,
} from '#test/helpers/daraja.ts';
import type { EmulatorServer } from '#modules/daraja-emulator/index.ts';
import { createDarajaClient } from './daraja-client.ts';
import type { DarajaClientOptions } from './daraja-types.ts';

const push = {
  amount: money(15_000n, 'KES'), phoneNumber: '0708374149', accountReference: 'HDM7K2QX9',
  transactionDescription: 'Passport', callbackUrl: 'http://127.0.0.1:9/stk',
};

describe('Daraja client: access tokens and failures', () => {
  const clock = manualClock(new Date('2026-11-28T07:00:00Z'));
  let daraja: EmulatorServer;
  const calls: string[] = [];
  const countingFetch: typeof fetch = async (input, init) => {
    calls.push(new URL(String(input)).pathname);
    return fetch(input, init);
  };
  const client = (overrides: Partial<DarajaClientOptions> = {}) => createDarajaClient({
    baseUrl: daraja.baseUrl, ...testDarajaAccount, timeoutMs: 2_000, clock,
    fetch: countingFetch, ...overrides,
  });

  before(async () => {
    daraja = await startTestEmulator({ clock });
  });
  after(async () => {
    await daraja.close();
  });

  it('asks for a token once, and again only shortly before it expires', async () => {
    calls.length = 0;
    const daraja = client();
    const first = await daraja.getAccessToken();
    const [second, third] = await Promise.all([daraja.getAccessToken(), daraja.getAccessToken()]);
    assert.ok(first.ok && second?.ok && third?.ok);
    assert.equal(second.value, first.value);
    assert.equal(calls.length, 1);
    clock.advanceMs(3_500_000);
    assert.deepEqual(await daraja.getAccessToken(), first, 'still cached at 3500 s');
    clock.advanceMs(40_000);
    const renewed = await daraja.getAccessToken();
    assert.ok(renewed.ok);
    assert.notEqual(renewed.value, first.value, 'renewed a minute before 3599 s');
    assert.equal(calls.length, 2);
  });

  it('shares one token request between callers arriving together', async () => {
    calls.length = 0;
    const daraja = client();
    const tokens = await Promise.all([1, 2, 3, 4].map(() => daraja.getAccessToken()));
    assert.equal(calls.filter((path) => path === '/oauth/v1/generate').length, 1);
    assert.equal(new Set(tokens.map((token) => token.ok && token.value)).size, 1);
  });

  it('renews a refused token once and retries the call once', async () => {
    const daraja = client();
    assert.ok((await daraja.getAccessToken()).ok);
    calls.length = 0;
    emulatorRevokes();
    const pushed = await daraja.stkPush(push);
    assert.ok(pushed.ok, JSON.stringify(pushed));
    assert.deepEqual(calls, ['/mpesa/stkpush/v1/processrequest', '/oauth/v1/generate',
      '/mpesa/stkpush/v1/processrequest']);
  });

  it('gives up after the second refusal, with Daraja\'s error', async () => {
    const revokeEveryTime: typeof fetch = async (input, init) => {
      if (String(input).includes('/mpesa/')) emulatorRevokes();
      return countingFetch(input, init);
    };
    calls.length = 0;
    const pushed = await client({ fetch: revokeEveryTime }).stkPush(push);
    assert.deepEqual(pushed, { ok: false, error: {
      kind: 'daraja', operation: 'stk-push', status: 401, errorCode: '404.001.03',
      errorMessage: 'Invalid Access Token',
      requestId: pushed.ok ? '' : (pushed.error as { requestId: string }).requestId,
    } });
    assert.equal(calls.filter((path) => path.startsWith('/mpesa/')).length, 2);
  });

  it('reports bad credentials as the OAuth failure they are', async () => {
    const pushed = await client({ consumerSecret: 'wrong' }).stkPush(push);
    assert.equal(pushed.ok, false);
    assert.deepEqual(!pushed.ok && { ...pushed.error, requestId: '' }, {
      kind: 'daraja', operation: 'oauth', status: 400, errorCode: '400.008.01',
      errorMessage: 'Invalid Authentication passed', requestId: '',
    });
  });

  it('refuses requests that break the contract before sending them', async () => {
    calls.length = 0;
    const daraja = client();
    const cases = [
      [{ amount: money(15_050n, 'KES') }, 'amount'],
      [{ amount: money(15_000n, 'USD') }, 'amount'],
      [{ phoneNumber: '0208374149' }, 'phoneNumber'],
      [{ accountReference: 'HDM7K2QX9ABCD' }, 'accountReference'],
      [{ transactionDescription: 'Passport application' }, 'transactionDescription'],
      [{ callbackUrl: 'javascript:alert(1)' }, 'callbackUrl'],
    ] as const;
    for (const [change, field] of cases) {
      const refused = await daraja.stkPush({ ...push, ...change });
      assert.equal(!refused.ok && refused.error.kind, 'invalid-request');
      assert.equal(!refused.ok && 'field' in refused.error && refused.error.field, field);
    }
    assert.deepEqual(calls, []);
    const named = await daraja.registerC2bUrls({ responseType: 'Completed',
      confirmationUrl: 'https://pay.huduma.go.ke/mpesa/confirm',
      validationUrl: 'https://pay.huduma.go.ke/c2b/validate' });
    assert.equal(!named.ok && 'field' in named.error && named.error.field, 'confirmationUrl');
    assert.deepEqual(calls, [], 'Safaricom would refuse a URL naming M-Pesa');
  });

  it('stops waiting after timeoutMs when Daraja never answers', async () => {
    const silent = await startSilentServer();
    try {
      const startedAt = Date.now();
      const result = await createDarajaClient({ baseUrl: silent.url, ...testDarajaAccount,
        timeoutMs: 200, clock }).stkPush(push);
      const elapsedMs = Date.now() - startedAt;
      assert.deepEqual(result,
        { ok: false, error: { kind: 'timeout', operation: 'oauth', timeoutMs: 200 } });
      assert.ok(elapsedMs >= 190 && elapsedMs < 2_000, `took ${elapsedMs} ms`);
    } finally {
      await silent.close();
    }
  });

  it('times out an API call whose answer never comes, token or not', async () => {
    const server = createServer((request, response) => {
      if (request.url?.startsWith('/oauth/') === true) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"access_token":"t","expires_in":"3599"}');
      }
      // Anything else: headers never come.
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const daraja = createDarajaClient({ baseUrl, ...testDarajaAccount, timeoutMs: 200, clock });
      for (const call of [() => daraja.stkQuery('ws_CO_1'), () => daraja.stkPush(push)]) {
        const result = await call();
        assert.equal(!result.ok && result.error.kind, 'timeout');
      }
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('names a refused connection and an HTML error page', async () => {
    const closed = await startSilentServer();
    await closed.close();
    const refused = await createDarajaClient({ baseUrl: closed.url, ...testDarajaAccount,
      timeoutMs: 1_000, clock }).getAccessToken();
    assert.equal(!refused.ok && refused.error.kind, 'network');

    const gateway = createServer((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><body>Bad Gateway</body></html>');
    });
    gateway.listen(0, '127.0.0.1');
    await once(gateway, 'listening');
    try {
      const result = await createDarajaClient({
        baseUrl: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`,
        ...testDarajaAccount, timeoutMs: 1_000, clock,
      }).getAccessToken();
      assert.deepEqual(result, { ok: false, error: { kind: 'http', operation: 'oauth',
        status: 502, body: '<html><body>Bad Gateway</body></html>' } });
    } finally {
      gateway.close();
    }
  });

  function emulatorRevokes(): void {
    daraja.emulator.revokeAccessTokens();
  }
});
