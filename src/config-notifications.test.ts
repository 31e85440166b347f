import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration of workers and notifications', () => {
  it('runs workers and keeps messages in the dev inbox by default, outside production', () => {
    const config = loadConfig({});
    assert.equal(config.workersEnabled, true);
    assert.deepEqual(config.notifications, {
      devInbox: true,
      smsUrl: undefined,
      smsApiKey: undefined,
      smtpUrl: undefined,
      mailFrom: 'Huduma <no-reply@localhost>',
    });
    assert.equal(loadConfig({ HUDUMA_ENV: 'production' }).notifications.devInbox, false);
  });

  it('refuses the dev inbox in production, with a clear message', () => {
    assert.throws(() => loadConfig({ HUDUMA_ENV: 'production', HUDUMA_DEV_INBOX: 'on' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /HUDUMA_DEV_INBOX cannot be on in production/);
        return true;
      });
  });

  it('reads the SMS provider, the SMTP server, the sender and HUDUMA_WORKERS', () => {
    const config = loadConfig({
      HUDUMA_WORKERS: 'off',
      HUDUMA_DEV_INBOX: 'off',
      HUDUMA_SMS_URL: 'https://sms.example.org/v1/messages',
      HUDUMA_SMS_API_KEY: 'key-1',
      HUDUMA_SMTP_URL: 'smtps://mailer:secret@mail.example.org:465',
      HUDUMA_MAIL_FROM: 'Huduma <no-reply@huduma.example>',
    });
    assert.equal(config.workersEnabled, false);
    assert.deepEqual(config.notifications, {
      devInbox: false,
      smsUrl: 'https://sms.example.org/v1/messages',
      smsApiKey: 'key-1',
      smtpUrl: 'smtps://mailer:secret@mail.example.org:465',
      mailFrom: 'Huduma <no-reply@huduma.example>',
    });
  });

  it('rejects bad values without echoing the SMTP URL, which may hold a password', () => {
    assert.throws(() => loadConfig({
      HUDUMA_SMS_URL: 'ftp://sms', HUDUMA_SMTP_URL: 'http://user:hunter2@mail',
      HUDUMA_WORKERS: 'sometimes', HUDUMA_MAIL_FROM: 'nobody',
    }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 4);
      assert.match(error.message, /HUDUMA_SMS_URL must be an http/);
      assert.match(error.message, /HUDUMA_SMTP_URL must be an smtp/);
      assert.match(error.message, /HUDUMA_WORKERS must be true or false/);
      assert.match(error.message, /HUDUMA_MAIL_FROM must be an address/);
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    });
  });
});
