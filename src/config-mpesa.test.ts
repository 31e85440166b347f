import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration: M-Pesa', () => {
  it('runs the emulator in-process by default, and points Daraja at it', () => {
    const { mpesa } = loadConfig({ PORT: '8080', HOST: '0.0.0.0' });
    assert.equal(mpesa.emulator, true);
    assert.equal(mpesa.baseUrl, 'http://127.0.0.1:8080/_emulator/mpesa');
    assert.equal(mpesa.shortcode, '222222');
    assert.equal(mpesa.timeoutMs, 15_000);
    assert.equal(mpesa.timestampZone, 'kenya');
    assert.equal(mpesa.stkFieldTypes, 'numbers');
    assert.notEqual(mpesa.consumerKey, '');
    assert.notEqual(mpesa.passkey, '');
    assert.ok(Object.isFrozen(mpesa));
  });

  it('has no emulator and no credentials in production unless given', () => {
    const { mpesa } = loadConfig({ HUDUMA_ENV: 'production' });
    assert.equal(mpesa.emulator, false);
    assert.equal(mpesa.baseUrl, 'https://api.safaricom.co.ke');
    assert.equal(mpesa.consumerKey, '');
    assert.equal(mpesa.passkey, '');
  });

  it('uses the sandbox when the emulator is switched off outside production', () => {
    const { mpesa } = loadConfig({ HUDUMA_MPESA_EMULATOR: 'false' });
    assert.equal(mpesa.baseUrl, 'https://sandbox.safaricom.co.ke');
  });

  it('refuses the emulator in production', () => {
    assert.throws(() => loadConfig({ HUDUMA_ENV: 'production', HUDUMA_MPESA_EMULATOR: 'true' }),
      /HUDUMA_MPESA_EMULATOR cannot be on in production/);
  });

  it('reads every HUDUMA_MPESA_ variable', () => {
    const { mpesa } = loadConfig({
      HUDUMA_MPESA_EMULATOR: 'off',
      HUDUMA_MPESA_BASE_URL: 'https://sandbox.safaricom.co.ke/',
      HUDUMA_MPESA_CONSUMER_KEY: 'key',
      HUDUMA_MPESA_CONSUMER_SECRET: 'secret',
      HUDUMA_MPESA_SHORTCODE: '174379',
      HUDUMA_MPESA_PASSKEY: 'passkey',
      HUDUMA_MPESA_INITIATOR: 'apiop',
      HUDUMA_MPESA_SECURITY_CREDENTIAL: 'credential',
      HUDUMA_MPESA_TIMEOUT_MS: '5000',
      HUDUMA_MPESA_TIMESTAMP_ZONE: 'utc',
      HUDUMA_MPESA_STK_FIELD_TYPES: 'strings',
    });
    const expected = {
      baseUrl: 'https://sandbox.safaricom.co.ke',
      consumerKey: 'key',
      consumerSecret: 'secret',
      shortcode: '174379',
      passkey: 'passkey',
      initiator: 'apiop',
      securityCredential: 'credential',
      timeoutMs: 5000,
      timestampZone: 'utc',
      stkFieldTypes: 'strings',
      emulator: false,
      emulatorPath: '/_emulator/mpesa',
    };
    // Only these fields: the payments module adds its own M-Pesa settings beside them.
    const read = Object.fromEntries(Object.keys(expected)
      .map((key) => [key, mpesa[key as keyof typeof mpesa]]));
    assert.deepEqual(read, expected);
  });

  it('lists every bad M-Pesa value', () => {
    assert.throws(() => loadConfig({
      HUDUMA_MPESA_SHORTCODE: '22-22', HUDUMA_MPESA_TIMEOUT_MS: '0',
      HUDUMA_MPESA_TIMESTAMP_ZONE: 'nairobi', HUDUMA_MPESA_BASE_URL: 'ftp://x',
      HUDUMA_MPESA_STK_FIELD_TYPES: 'text',
    }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 5);
      assert.match(error.message, /HUDUMA_MPESA_STK_FIELD_TYPES must be numbers or strings/);
      assert.match(error.message, /HUDUMA_MPESA_SHORTCODE must be 5 to 7 digits/);
      assert.match(error.message, /HUDUMA_MPESA_TIMEOUT_MS must be a whole number/);
      assert.match(error.message, /HUDUMA_MPESA_TIMESTAMP_ZONE must be kenya or utc/);
      assert.match(error.message, /HUDUMA_MPESA_BASE_URL must be an http/);
      return true;
    });
  });
});
