import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { securityHeadersOf } from '#platform/http/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { stylesheet } from '#web/index.ts';

describeOnDatabases('platform routes', (database) => {
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp(database());
  });
  after(async () => {
    await app.close();
  });

  it('/healthz says the process is up', async () => {
    const response = await app.inject('/healthz');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok' });
  });

  it('/readyz checks the database and the migrations', async () => {
    const response = await app.inject('/readyz');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ready' });
  });

  it('/metrics speaks Prometheus text with request latencies, of every route', async () => {
    await app.inject('/healthz');
    await app.inject('/api/v1/ministries');
    const response = await app.inject('/metrics');
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] ?? '', /^text\/plain; version=0\.0\.4/);
    assert.match(response.body,
      /http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/);
    assert.match(response.body, /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/ministries",status="200"\} \d+/);
  });

  it('an unknown API path is a problem+json 404 with a stable code', async () => {
    const response = await app.inject('/api/v1/nothing-here');
    assert.equal(response.statusCode, 404);
    assert.match(response.headers['content-type'] ?? '', /^application\/problem\+json/);
    assert.equal(response.json().code, 'PLATFORM_NOT_FOUND');
  });

  it('an unknown page is a friendly HTML 404 in the visitor\'s language', async () => {
    const english = await app.inject({ url: '/no-such-page', headers: { accept: 'text/html' } });
    assert.equal(english.statusCode, 404);
    assert.match(english.body, /<html lang="en">/);
    assert.match(english.body, /Page not found/);
    const swahili = await app.inject({
      url: '/no-such-page', headers: { accept: 'text/html', 'accept-language': 'sw-KE,sw;q=0.9' },
    });
    assert.match(swahili.body, /<html lang="sw">/);
    assert.match(swahili.body, /Ukurasa haupatikani/);
  });

  it('a malformed or over-long URL gets the platform\'s answers, not Fastify\'s', async () => {
    const badApi = await app.inject('/api/v1/services/%E0%A4%A');
    assert.equal(badApi.statusCode, 400);
    assert.match(badApi.headers['content-type'] ?? '', /^application\/problem\+json/);
    assert.equal(badApi.json().code, 'PLATFORM_VALIDATION_FAILED');
    const badPage = await app.inject({ url: '/services/%', headers: { accept: 'text/html' } });
    assert.equal(badPage.statusCode, 400);
    assert.match(badPage.body, /<html lang="en">/);
    const long = await app.inject({
      url: `/services/${'x'.repeat(500)}`, headers: { accept: 'text/html' },
    });
    assert.ok([404, 414].includes(long.statusCode), `got ${long.statusCode}`);
    assert.match(long.body, /<html lang="en">/);
  });

  it('switching language sets a cookie and returns only to a local path', async () => {
    const response = await app.inject('/language?to=sw&return=/services?q=pasi');
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/services?q=pasi');
    assert.match(String(response.headers['set-cookie']),
      /huduma_lang=sw; .*HttpOnly; SameSite=Lax/);
    const offsite = await app.inject('/language?to=en&return=//evil.example/');
    assert.equal(offsite.headers.location, '/');
    const bad = await app.inject('/language?to=fr');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'PLATFORM_VALIDATION_FAILED');
  });

  it('serves the stylesheet under a hashed name, cached for a year', async () => {
    const response = await app.inject(stylesheet.path);
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['cache-control'] ?? '', /max-age=31536000, immutable/);
  });

  it('sends security headers, on pages, the API and unknown addresses alike', async () => {
    for (const url of ['/healthz', '/', '/no/such/page']) {
      const response = await app.inject(url);
      const csp = response.headers['content-security-policy'] ?? '';
      assert.match(csp, /default-src 'self'/, url);
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.match(csp, /form-action 'self'/, url);
      assert.equal(response.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(response.headers['x-frame-options'], 'SAMEORIGIN', url);
      assert.equal(response.headers['referrer-policy'], 'no-referrer', url);
      assert.equal(response.headers['cross-origin-opener-policy'], 'same-origin', url);
      // Not over plain HTTP (the test configuration): HSTS only with secure cookies.
      assert.equal(response.headers['strict-transport-security'], undefined, url);
    }
  });

  it('computes the headers once, HSTS included when served over HTTPS', () => {
    const headers = securityHeadersOf({ strictTransportSecurity: true });
    assert.match(headers['strict-transport-security'] ?? '', /max-age=\d+/);
    assert.equal(securityHeadersOf({ strictTransportSecurity: false })['strict-transport-security'],
      undefined);
  });

  it('publishes an OpenAPI document', async () => {
    const response = await app.inject('/docs/openapi.json');
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().openapi.slice(0, 2), '3.');
  });
});
