import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has embedded defaults for everything', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.dataDirectory, './.huduma');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.seedDemoData, true);
    assert.ok(Object.isFrozen(config));
  });

  it('reads PORT, HUDUMA_DATA_DIR and DATABASE_URL', () => {
    const config = loadConfig({
      PORT: '8080', HUDUMA_DATA_DIR: '/srv/huduma', DATABASE_URL: 'postgres://u@db:5432/huduma',
    });
    assert.equal(config.port, 8080);
    assert.equal(config.dataDirectory, '/srv/huduma');
    assert.equal(config.databaseUrl, 'postgres://u@db:5432/huduma');
  });

  it('lists every bad value with a clear message', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', HUDUMA_DEMO_DATA: 'maybe' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 3);
        assert.match(error.message, /PORT must be a whole number/);
        assert.match(error.message, /DATABASE_URL must be a postgres/);
        assert.match(error.message, /HUDUMA_DEMO_DATA must be true or false/);
        return true;
      },
    );
  });

  it('reads the migrating login, which needs DATABASE_URL and must be a PostgreSQL URL', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://web@db:5432/huduma',
      HUDUMA_MIGRATION_DATABASE_URL: 'postgres://owner@db:5432/huduma',
    });
    assert.equal(config.migrationDatabaseUrl, 'postgres://owner@db:5432/huduma');
    assert.equal(loadConfig({}).migrationDatabaseUrl, undefined);
    assert.throws(() => loadConfig({ HUDUMA_MIGRATION_DATABASE_URL: 'postgres://o@db/huduma' }),
      /HUDUMA_MIGRATION_DATABASE_URL needs DATABASE_URL/);
    assert.throws(() => loadConfig({
      DATABASE_URL: 'postgres://web@db:5432/huduma', HUDUMA_MIGRATION_DATABASE_URL: 'owner',
    }), /HUDUMA_MIGRATION_DATABASE_URL must be a postgres/);
  });

  it('reads the secrets key: the base64 of 32 bytes, never echoed when wrong', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    assert.equal(loadConfig({ HUDUMA_SECRETS_KEY: key }).secretsKey, key);
    assert.equal(loadConfig({}).secretsKey, undefined);
    for (const bad of ['short', Buffer.alloc(16, 7).toString('base64'), `${key}!`]) {
      assert.throws(() => loadConfig({ HUDUMA_SECRETS_KEY: bad }), (error: unknown) =>
        error instanceof ConfigError && /HUDUMA_SECRETS_KEY must be the base64 of 32/
          .test(error.message) && !error.message.includes(bad));
    }
  });

  it('rejects a port out of range', () => {
    assert.throws(() => loadConfig({ PORT: '70000' }), /PORT/);
  });

  it('uses secure cookies and no demo data in production', () => {
    const config = loadConfig({ HUDUMA_ENV: 'production' });
    assert.equal(config.cookieSecure, true);
    assert.equal(config.seedDemoData, false);
  });
});
