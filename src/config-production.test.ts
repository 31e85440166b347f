import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildTestApp } from '#test/helpers/app.ts';
import { openTestDatabase } from '#test/helpers/databases.ts';
import { productionProblems } from './config-production.ts';
import { loadConfig } from './config.ts';

const signingKey = generateKeyPairSync('ed25519').privateKey
  .export({ type: 'pkcs8', format: 'pem' }).toString();
const metricsToken = 'metrics-token-0123456789abcdef';

/** Everything production asks for. */
const complete = {
  HUDUMA_ENV: 'production',
  DATABASE_URL: 'postgres://huduma_web@db:5432/huduma',
  HUDUMA_SIGNING_KEY: signingKey,
  HUDUMA_SECRETS_KEY: randomBytes(32).toString('base64'),
  HUDUMA_OIDC_SIGNING_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    .export({ type: 'pkcs8', format: 'pem' }).toString(),
  HUDUMA_PUBLIC_URL: 'https://huduma.example',
  HUDUMA_SMS_URL: 'https://sms.example/send',
  HUDUMA_SMTP_URL: 'smtps://mailer:secret@smtp.example:465',
  HUDUMA_METRICS_TOKEN: metricsToken,
  HUDUMA_POPULATION_REGISTER_URL: 'https://register.example',
  HUDUMA_MPESA_CONSUMER_KEY: 'key',
  HUDUMA_MPESA_CONSUMER_SECRET: 'secret',
  HUDUMA_MPESA_PASSKEY: 'passkey',
  HUDUMA_MPESA_CALLBACK_TOKEN: 'callback-token-0123456789abcdef',
} as const;

const problemsOf = (env: Readonly<Record<string, string>>) =>
  productionProblems(loadConfig(env), env);

describe('what production needs before it starts', () => {
  it('asks nothing outside production', () => {
    assert.deepEqual(problemsOf({}), []);
    assert.deepEqual(problemsOf({ HUDUMA_ENV: 'test' }), []);
  });

  it('names every missing item at once, and nothing when all are given', () => {
    const missing = problemsOf({ HUDUMA_ENV: 'production' });
    for (const name of Object.keys(complete).filter((key) => key !== 'HUDUMA_ENV')) {
      assert.ok(missing.some((problem) => problem.startsWith(`${name} is required`)), name);
    }
    assert.equal(missing.length, Object.keys(complete).length - 1);
    assert.deepEqual(problemsOf(complete), []);
  });

  it('takes the embedded database in production only when asked for by name', () => {
    const { DATABASE_URL: _, ...embedded } = complete;
    assert.match(problemsOf(embedded).join('\n'), /HUDUMA_EMBEDDED_DATABASE_IN_PRODUCTION=on/);
    assert.deepEqual(
      problemsOf({ ...embedded, HUDUMA_EMBEDDED_DATABASE_IN_PRODUCTION: 'on' }), []);
  });

  it('refuses a signing key that does not parse, without echoing it', () => {
    const bad = Buffer.from('not a key at all').toString('base64');
    const problems = problemsOf({ ...complete, HUDUMA_SIGNING_KEY: bad });
    assert.match(problems.join('\n'), /HUDUMA_SIGNING_KEY must be an Ed25519 private key/);
    assert.ok(!problems.join('\n').includes(bad));
  });

  it('reads the metrics token: 24-128 URL-safe characters, never echoed when wrong', () => {
    assert.equal(loadConfig({ HUDUMA_METRICS_TOKEN: metricsToken }).metricsToken, metricsToken);
    assert.equal(loadConfig({}).metricsToken, undefined);
    assert.throws(() => loadConfig({ HUDUMA_METRICS_TOKEN: 'short secret' }), (error: unknown) =>
      error instanceof Error && /HUDUMA_METRICS_TOKEN must be 24 to 128/.test(error.message) &&
      !error.message.includes('short secret'));
  });

  it('a production start without them exits 1 naming each, before any migration', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'huduma-production-'));
    try {
      const child = spawn(process.execPath, [path.resolve('src/main.ts')], {
        env: { PATH: process.env.PATH, HUDUMA_ENV: 'production', HUDUMA_DATA_DIR: folder,
          HUDUMA_EMBEDDED_DATABASE_IN_PRODUCTION: 'on' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let errors = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        errors += chunk;
      });
      const [code] = await once(child, 'exit') as [number | null];
      assert.equal(code, 1, errors);
      for (const name of ['HUDUMA_SIGNING_KEY', 'HUDUMA_SECRETS_KEY', 'HUDUMA_SMS_URL',
        'HUDUMA_SMTP_URL', 'HUDUMA_METRICS_TOKEN', 'HUDUMA_MPESA_CONSUMER_KEY']) {
        assert.match(errors, new RegExp(`${name} is required in production`));
      }
      assert.doesNotMatch(errors, /\n\s+at /, 'no stack trace');
      assert.deepEqual(await readdir(folder), [], 'no database was made or migrated');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('/metrics with a token', () => {
  it('answers only the bearer of the token', async () => {
    const { handle, dispose } = await openTestDatabase('pglite');
    const config = loadConfig({ HUDUMA_ENV: 'test', HUDUMA_METRICS_TOKEN: metricsToken });
    const app = await buildTestApp(handle, { config });
    try {
      for (const authorization of [undefined, 'Bearer wrong-token-0123456789abcdef',
        `Basic ${metricsToken}`]) {
        const refused = await app.inject({ url: '/metrics',
          headers: authorization === undefined ? {} : { authorization } });
        assert.equal(refused.statusCode, 401);
        assert.equal(refused.json<{ code: string }>().code, 'PLATFORM_METRICS_TOKEN_REQUIRED');
        assert.doesNotMatch(refused.body, /http_request_duration/);
      }
      const allowed = await app.inject({ url: '/metrics',
        headers: { authorization: `Bearer ${metricsToken}` } });
      assert.equal(allowed.statusCode, 200);
      assert.match(allowed.body, /http_request_duration_seconds/);
    } finally {
      await app.close();
      await dispose();
    }
  });
});
