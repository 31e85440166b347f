/**
 * The emulator inside the app: mounted at /emulators/card when config.cards.emulator is on,
 * its forms going through the platform's CSRF check, absent when off, refused in production.
 * (No database question here: one PGlite database is enough.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '#config';
import type { ModuleDeps } from '#platform/module.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { startNotificationReceiver } from '#test/helpers/card-emulator.ts';
import { openTestDatabase } from '#test/helpers/databases.ts';
import { FormClient } from '#test/helpers/form-client.ts';
import { cardEmulatorModule } from './index.ts';

describe('the card emulator inside the app', () => {
  let dispose: (() => Promise<void>) | undefined;
  let enabled: FastifyInstance;
  const { cards, publicBaseUrl } = loadConfig({ HUDUMA_ENV: 'test' });
  before(async () => {
    const database = await openTestDatabase('pglite');
    dispose = database.dispose;
    enabled = await buildTestApp(database.handle);
  });
  after(async () => {
    await enabled.close();
    await dispose?.();
  });

  const createSession = (app: FastifyInstance, notificationUrl: string) => app.inject({
    method: 'POST', url: `${cards.emulatorPath}/v1/sessions`,
    headers: { authorization: `Bearer ${cards.secretKey}`, 'idempotency-key': notificationUrl },
    payload: { merchantReference: 'BILL-1', amountMinor: '10100', currency: 'USD',
      description: 'Visa', returnUrl: `${publicBaseUrl}/pay/card/return`, notificationUrl },
  });

  it('takes a payment at /emulators/card, the form carrying the platform CSRF token',
    async () => {
      const receiver = await startNotificationReceiver();
      try {
        const created = await createSession(enabled, `${receiver.url}/notify`);
        assert.equal(created.statusCode, 201);
        const { hostedUrl, sessionId } = created.json<{ hostedUrl: string; sessionId: string }>();
        assert.equal(hostedUrl, `${publicBaseUrl}/emulators/card/pay/${sessionId}`);
        const path = new URL(hostedUrl).pathname;
        const client = new FormClient(enabled);
        const page = await client.get(path);
        assert.equal(page.statusCode, 200);
        assert.ok(client.csrfToken !== undefined);
        const forged = await enabled.inject({ method: 'POST', url: path,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'cardNumber=4242424242424242&expiry=08%2F29&cvc=123&name=A' });
        assert.equal(forged.statusCode, 403);
        const paid = await client.post(path, { cardNumber: '4242424242424242', expiry: '08/29',
          cvc: '123', name: 'Amina Njeri' });
        assert.equal(paid.statusCode, 303);
        assert.equal(paid.headers.location,
          `${publicBaseUrl}/pay/card/return?sessionId=${sessionId}`);
        const flushed = await enabled.inject({ method: 'POST',
          url: `${cards.emulatorPath}/_emulator/flush` });
        assert.equal(flushed.statusCode, 200);
        const [notification] = receiver.received;
        assert.match(notification?.signature ?? '', /^t=\d+,v1=[0-9a-f]{64}$/);
        const state = await enabled.inject(`${cards.emulatorPath}/_emulator/state`);
        assert.equal(state.json<{ merchantId: string }>().merchantId, cards.merchantId);
      } finally {
        await receiver.close();
      }
    });

  it('answers in its own JSON, not problem+json, and stays out of the API documentation',
    async () => {
      const refused = await enabled.inject({ method: 'POST',
        url: `${cards.emulatorPath}/v1/sessions`, headers: { authorization: 'Bearer wrong' },
        payload: {} });
      assert.deepEqual(refused.json(), { error: 'unauthorised' });
      const document = (await enabled.inject('/docs/openapi.json')).json() as {
        paths: Record<string, unknown>;
      };
      assert.equal(Object.keys(document.paths).some((p) => p.includes('/emulators/card')), false);
    });

  it('is absent when HUDUMA_CARDS_EMULATOR is off', async () => {
    const disabled = Fastify();
    const config = loadConfig({ HUDUMA_ENV: 'test', HUDUMA_CARDS_EMULATOR: 'false' });
    await cardEmulatorModule.routes?.(disabled, { config } as unknown as ModuleDeps);
    await disabled.ready();
    const response = await createSession(disabled, 'http://127.0.0.1:9/n');
    assert.equal(response.statusCode, 404);
    await disabled.close();
  });

  it('refuses to mount in production', async () => {
    const config = { ...loadConfig({ HUDUMA_ENV: 'test' }), environment: 'production' as const };
    const mount = cardEmulatorModule.routes;
    assert.ok(mount !== undefined);
    await assert.rejects(mount(enabled, { config } as unknown as ModuleDeps),
      /cannot run in production/);
  });
});
