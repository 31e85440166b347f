import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readUssdConfig } from './config-ussd.ts';

describe('USSD configuration', () => {
  it('defaults outside production: a generated token, the simulator on, no allow-list', () => {
    const problems: string[] = [];
    const config = readUssdConfig({}, 'development', problems);
    assert.deepEqual(problems, []);
    assert.match(config.gatewayToken ?? '', /^[0-9a-f]{48}$/);
    assert.equal(config.simulator, true);
    assert.deepEqual(config.allowedSources, []);
    assert.equal(config.sessionIdleSeconds, 120);
    assert.equal(config.lookupsPerHour, 30);
  });

  it('in production: off without a token, a phone key required with one, no simulator', () => {
    const off: string[] = [];
    const quiet = readUssdConfig({}, 'production', off);
    assert.deepEqual(off, []);
    assert.equal(quiet.gatewayToken, undefined);
    assert.equal(quiet.simulator, false);
    const problems: string[] = [];
    readUssdConfig({ HUDUMA_USSD_GATEWAY_TOKEN: 'x'.repeat(30), HUDUMA_USSD_SIMULATOR: 'on' },
      'production', problems);
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? '', /HUDUMA_USSD_PHONE_KEY .*required in production/);
    assert.match(problems[1] ?? '', /HUDUMA_USSD_SIMULATOR cannot be on in production/);
  });

  it('names bad values', () => {
    const problems: string[] = [];
    readUssdConfig({ HUDUMA_USSD_GATEWAY_TOKEN: 'short', HUDUMA_USSD_ALLOWED_SOURCES: 'nope',
      HUDUMA_USSD_SESSION_IDLE_SECONDS: '5', HUDUMA_USSD_LOOKUPS_PER_HOUR: '0' }, 'test',
    problems);
    assert.equal(problems.length, 4);
  });
});
