import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '#config';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';

describeOnDatabases('the Daraja emulator inside the app', (database) => {
  let enabled: FastifyInstance;
  let disabled: FastifyInstance;
  before(async () => {
    enabled = await buildTestApp(database());
    disabled = await buildTestApp(database(), {
      config: loadConfig({ HUDUMA_ENV: 'test', HUDUMA_MPESA_EMULATOR: 'false' }),
    });
  });
  after(async () => {
    await enabled.close();
    await disabled.close();
  });

  const oauth = (app: FastifyInstance, secret: string) => {
    const { mpesa } = loadConfig({ HUDUMA_ENV: 'test' });
    const basic = Buffer.from(`${mpesa.consumerKey}:${secret}`).toString('base64');
    return app.inject({
      url: `${mpesa.emulatorPath}/oauth/v1/generate?grant_type=client_credentials`,
      headers: { authorization: `Basic ${basic}` },
    });
  };

  it('is mounted at /_emulator/mpesa by default, accepting the configured credentials',
    async () => {
      const { mpesa } = loadConfig({ HUDUMA_ENV: 'test' });
      assert.equal(mpesa.baseUrl, 'http://127.0.0.1:3000/_emulator/mpesa');
      const granted = await oauth(enabled, mpesa.consumerSecret);
      assert.equal(granted.statusCode, 200);
      assert.equal(granted.json().expires_in, '3599');
      const refused = await oauth(enabled, 'wrong');
      assert.equal(refused.statusCode, 400);
      assert.equal(refused.json().errorCode, '400.008.01');
    });

  it('stays out of the API documentation', async () => {
    const document = (await enabled.inject('/docs/openapi.json')).json() as {
      paths: Record<string, unknown>;
    };
    assert.equal(Object.keys(document.paths).some((path) => path.includes('_emulator')), false);
  });

  it('is absent when HUDUMA_MPESA_EMULATOR is off', async () => {
    const response = await oauth(disabled, 'anything');
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().code, 'PLATFORM_NOT_FOUND');
  });
});
