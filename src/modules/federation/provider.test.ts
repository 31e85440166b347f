/**
 * The provider outside the app: a storage failure is answered server_error by the library
 * and logged by us (what failed, never the request); a claims request granting only openid
 * reads no personal data.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import inject from 'light-my-request';
import { systemClock } from '#platform/clock/index.ts';
import type { Database } from '#platform/db/index.ts';
import type { Logger } from '#platform/logging/index.ts';
import { claimsOf } from './federation-claims.ts';
import { providerKeysOf } from './federation-keys.ts';
import { createProvider } from './provider.ts';
import { generateKeyPairSync } from 'node:crypto';

const brokenDb = new Proxy({}, { get: () => () => {
  throw new Error('database down');
} }) as unknown as Database;

describe('Sign in with Huduma provider', () => {
  it('logs a storage failure and answers server_error', async () => {
    const logged: unknown[] = [];
    const logger = { error: (...args: unknown[]) => logged.push(args) } as unknown as Logger;
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
      .export({ type: 'pkcs8', format: 'pem' }).toString();
    const { provider } = createProvider({ db: brokenDb, clock: systemClock, logger,
      issuer: 'http://127.0.0.1:9/oidc', keys: providerKeysOf(pem), behindProxy: false });
    const answer = await inject(provider.callback(), { method: 'POST', url: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('hc_x:secret').toString('base64')}` },
      payload: 'grant_type=authorization_code&code=abc&redirect_uri=http://127.0.0.1:9/cb' });
    assert.equal(answer.statusCode, 500);
    assert.equal(answer.json<{ error: string }>().error, 'server_error');
    assert.equal(logged.length, 1);
    assert.match(JSON.stringify(logged[0]), /database down/);
  });

  it('reads no personal data when only openid was granted', async () => {
    const claims = await claimsOf({ db: brokenDb, clock: systemClock },
      { accountId: 'a', scope: 'openid offline_access', clientId: 'hc_x',
        sourceAddress: null });
    assert.deepEqual(claims, { sub: 'a' });
  });
});
