/**
 * `npm start` out of the box: the app registers its C2B URLs with the Daraja emulator it runs
 * in-process, once it listens, and a paybill payment then reaches it through the emulator.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '#config';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { freePort } from '#test/helpers/payments.ts';

type State = { shortcodes: { c2bRegistration?: { confirmationUrl: string } | null }[] };

describeOnDatabases('C2B URL registration at start', (database) => {
  let app: FastifyInstance;
  let url = '';
  before(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const config = loadConfig({ HUDUMA_ENV: 'test', PORT: String(port), HUDUMA_PUBLIC_URL: url,
      HUDUMA_MPESA_EMULATOR: 'on', HUDUMA_MPESA_REGISTER_C2B_URLS: 'on' });
    app = await buildTestApp(database(), { config });
    await app.listen({ port, host: '127.0.0.1' });
  });
  after(async () => {
    await app.close();
  });

  it('registers the confirmation and validation URLs, with their secret token', async () => {
    let registration: { confirmationUrl: string } | null | undefined;
    for (let attempt = 0; attempt < 50 && registration == null; attempt += 1) {
      const state = await (await fetch(`${url}/_emulator/mpesa/_state`)).json() as State;
      registration = state.shortcodes[0]?.c2bRegistration;
      if (registration == null) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(registration !== null && registration !== undefined, 'not registered');
    // The snapshot shows the URL without its path (the token is a secret).
    assert.equal(registration.confirmationUrl, `${url}/...`);
  });
});
