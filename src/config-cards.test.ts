import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './config.ts';

describe('configuration: cards', () => {
  it('runs the emulator in-process by default, at the public address', () => {
    const { cards } = loadConfig({ PORT: '8080', HUDUMA_PUBLIC_URL: 'https://huduma.test/' });
    assert.equal(cards.emulator, true);
    assert.equal(cards.emulatorPath, '/emulators/card');
    assert.equal(cards.acquirerBaseUrl, 'https://huduma.test/emulators/card');
    assert.equal(cards.merchantId, 'huduma-demo');
    assert.equal(cards.secretKey, 'card-emulator-secret-key');
    assert.equal(cards.notificationSecret, 'card-emulator-notification-secret');
    assert.equal(cards.provider, 'demo-acquirer');
    assert.ok(Object.isFrozen(cards));
  });

  it('has no emulator, no acquirer and no keys in production unless given', () => {
    const { cards } = loadConfig({ HUDUMA_ENV: 'production' });
    assert.equal(cards.emulator, false);
    assert.equal(cards.acquirerBaseUrl, '');
    assert.equal(cards.secretKey, '');
    assert.equal(cards.notificationSecret, '');
  });

  it('refuses the emulator in production', () => {
    assert.throws(() => loadConfig({ HUDUMA_ENV: 'production', HUDUMA_CARDS_EMULATOR: 'true' }),
      /HUDUMA_CARDS_EMULATOR cannot be on in production/);
  });

  it('refuses an acquirer in production without its keys', () => {
    assert.throws(() => loadConfig({
      HUDUMA_ENV: 'production', HUDUMA_CARDS_ACQUIRER_URL: 'https://acquirer.example',
    }), /HUDUMA_CARDS_ACQUIRER_URL needs HUDUMA_CARDS_MERCHANT_ID/);
  });

  it('reads every HUDUMA_CARDS_ variable', () => {
    const { cards } = loadConfig({
      HUDUMA_CARDS_EMULATOR: 'off',
      HUDUMA_CARDS_ACQUIRER_URL: 'https://acquirer.example/v/',
      HUDUMA_CARDS_MERCHANT_ID: 'm-1',
      HUDUMA_CARDS_SECRET_KEY: 'key-1',
      HUDUMA_CARDS_NOTIFICATION_SECRET: 'nsec-1',
    });
    assert.deepEqual({ ...cards }, {
      emulator: false, emulatorPath: '/emulators/card',
      acquirerBaseUrl: 'https://acquirer.example/v', merchantId: 'm-1', secretKey: 'key-1',
      notificationSecret: 'nsec-1', provider: 'demo-acquirer',
    });
  });
});
