/**
 * The callback allow-list sees the real client address: X-Forwarded-For counts only when the
 * request comes from a configured proxy (HUDUMA_TRUSTED_PROXIES), so nobody else can claim to
 * be Safaricom by sending the header.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '#config';
import { buildTestApp, testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { testCallbackToken } from '#test/helpers/payments.ts';

const url = `/api/v1/payments/callbacks/${testCallbackToken}/c2b/confirmation`;
const safaricom = '196.201.214.10';

describeOnDatabases('callbacks behind a reverse proxy', (database) => {
  let direct: FastifyInstance;
  let proxied: FastifyInstance;
  before(async () => {
    const app = async (env: Record<string, string>) => buildTestApp(database(), testDeps(
      database(), { config: loadConfig({ HUDUMA_ENV: 'test',
        HUDUMA_MPESA_CALLBACK_TOKEN: testCallbackToken, ...env }) }));
    direct = await app({});
    proxied = await app({ HUDUMA_TRUSTED_PROXIES: '10.0.0.0/8' });
  });
  after(async () => {
    await direct.close();
    await proxied.close();
  });

  const post = (app: FastifyInstance, remoteAddress: string, forwardedFor: string) =>
    app.inject({ method: 'POST', url, remoteAddress, payload: '{}',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor } });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    assert.equal((await post(direct, '10.1.2.3', safaricom)).statusCode, 403);
    assert.equal((await post(direct, safaricom, '10.9.9.9')).statusCode, 200);
  });

  it('believes a trusted proxy, and only a trusted proxy', async () => {
    assert.equal((await post(proxied, '10.1.2.3', safaricom)).statusCode, 200);
    assert.equal((await post(proxied, '10.1.2.3', '8.8.8.8')).statusCode, 403);
    assert.equal((await post(proxied, '172.16.0.9', safaricom)).statusCode, 403);
  });

  it('refuses a malformed proxy range at start', () => {
    assert.throws(() => loadConfig({ HUDUMA_TRUSTED_PROXIES: '10.0.0.0/8, proxy.local' }),
      /HUDUMA_TRUSTED_PROXIES must be a comma-separated list of CIDR ranges/);
  });
});
