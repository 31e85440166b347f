/**
 * Overload, as behaviour (no timing thresholds; `npm run fault:overload` measures): on the real
 * app, a class of routes full to its limit in flight refuses the next request at once with 503
 * PLATFORM_OVERLOADED and Retry-After (a page in the visitor's language for a browser,
 * problem+json for an API client) without running its handler, while other classes, M-Pesa
 * callbacks and health checks are still served; once the held requests are answered, requests
 * are admitted again. The class table names real routes, and callbacks are in no class.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { MetricsRegistry } from '#platform/metrics/index.ts';
import type { HudumaModule } from '#platform/module.ts';
import { buildTestApp, testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { c2bConfirmationBody, testCallbackToken } from '#test/helpers/payments.ts';
import { loadConfig } from '../../src/config.ts';
import {
  loadClassOfRoute,
  loadSheddingOptions,
  loadSheddingPolicy,
} from '../../src/load-classes.ts';
import { modules as defaultModules } from '../../src/modules.ts';

const heldPage = '/overload-test/page';
const heldApi = '/api/v1/overload-test';

/** A module whose two routes (a page, an API) wait for release() when asked to (?hold=1). */
function heldRoutesModule() {
  const started = { count: 0 };
  let release = () => undefined as void;
  let released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const answer = async (request: { query: unknown }) => {
    started.count += 1;
    if ((request.query as { hold?: string }).hold === '1') await released;
    return { ok: true };
  };
  const module: HudumaModule = {
    name: 'overload-test',
    errors: {},
    messages: { en: {}, sw: {} },
    routes: async (app) => {
      app.get(heldPage, { config: { access: 'public' } }, answer);
      app.get(heldApi, { config: { access: 'public' } }, answer);
    },
  };
  return {
    module, started,
    release: () => {
      release();
      released = new Promise<void>((resolve) => {
        release = resolve;
      });
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describeOnDatabases('overload: load shedding on the real app', (database) => {
  let app: FastifyInstance;
  const held = heldRoutesModule();
  const metrics = new MetricsRegistry();
  const pagesInFlightMax = loadSheddingPolicy.limits.pages.inFlightMax;
  before(async () => {
    const config = loadConfig({ HUDUMA_ENV: 'test',
      HUDUMA_MPESA_CALLBACK_TOKEN: testCallbackToken });
    app = await buildTestApp(database(), testDeps(database(), {
      config, metrics, modules: [...defaultModules, held.module],
    }));
  });
  after(async () => {
    held.release();
    await app.close();
  });

  it('refuses past the limit at once, serves other classes and callbacks, then recovers',
    async () => {
      const holding = Array.from({ length: pagesInFlightMax }, () =>
        app.inject({ method: 'GET', url: `${heldPage}?hold=1` }));
      await until(() => held.started.count === pagesInFlightMax);

      const browser = await app.inject({ method: 'GET', url: heldPage,
        headers: { 'accept': 'text/html', 'accept-language': 'sw' } });
      assert.equal(browser.statusCode, 503);
      assert.equal(browser.headers['retry-after'], String(loadSheddingPolicy.retryAfterSeconds));
      assert.match(String(browser.headers['content-type']), /^text\/html/);
      assert.match(browser.body, /<html lang="sw"/);
      assert.match(browser.body, /Samahani, huduma haipatikani kwa sasa/);
      assert.ok(browser.headers['content-security-policy'], 'security headers still set');

      const client = await app.inject({ method: 'GET', url: heldPage });
      assert.equal(client.statusCode, 503);
      assert.equal(client.headers['retry-after'], String(loadSheddingPolicy.retryAfterSeconds));
      assert.match(String(client.headers['content-type']), /^application\/problem\+json/);
      assert.equal(client.json<{ code: string }>().code, 'PLATFORM_OVERLOADED');
      assert.equal(held.started.count, pagesInFlightMax, 'no refused handler ran');

      // Other classes, callbacks and health checks are still served.
      assert.equal((await app.inject({ method: 'GET', url: heldApi })).statusCode, 200);
      assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      const callback = await app.inject({ method: 'POST',
        url: `/api/v1/payments/callbacks/${testCallbackToken}/c2b/confirmation`,
        headers: { 'content-type': 'application/json' },
        payload: c2bConfirmationBody({ receipt: 'OVL0000001', shillings: 100n,
          billReference: 'NOSUCHBILL' }) });
      assert.equal(callback.statusCode, 200);
      assert.match(metrics.render(),
        /http_requests_shed_total\{class="pages",reason="too-many-in-flight"\} 2/);

      held.release();
      const answered = await Promise.all(holding);
      assert.deepEqual([...new Set(answered.map((reply) => reply.statusCode))], [200]);
      assert.equal((await app.inject({ method: 'GET', url: heldPage })).statusCode, 200);
      const timed = /http_admitted_duration_seconds_count\{class="pages"\} (\d+)/
        .exec(metrics.render());
      assert.ok(Number(timed?.[1]) >= pagesInFlightMax + 1, 'admitted requests are timed');
    });

  it('names real routes in its classes; callbacks and health checks are in none', () => {
    const routes = app.accessControl.routes();
    const classOf = (method: string, url: string) => {
      const route = routes.find((r) => r.method === method && r.url === url);
      assert.ok(route, `${method} ${url} is a route`);
      return loadClassOfRoute(route.url, route.access);
    };
    assert.equal(classOf('GET', '/api/v1/services'), 'search');
    assert.equal(classOf('GET', '/services'), 'search');
    assert.equal(classOf('POST', '/sign-in'), 'sign-in');
    assert.equal(classOf('POST', '/staff/sign-in'), 'sign-in');
    assert.equal(classOf('POST', '/register'), 'sign-in');
    assert.equal(classOf('GET', '/'), 'pages');
    assert.equal(classOf('GET', '/api/v1/ministries'), 'api');
    for (const url of ['/healthz', '/readyz', '/metrics']) {
      assert.equal(classOf('GET', url), undefined, url);
    }
    const callbacks = routes.filter((r) => r.url.startsWith('/api/v1/payments/callbacks/'));
    assert.ok(callbacks.length >= 4);
    for (const route of callbacks) {
      assert.equal(loadClassOfRoute(route.url, route.access), undefined, route.url);
    }
    assert.equal(loadClassOfRoute(undefined, undefined), 'pages', 'a 404 is a page');
  });

  it('limits the event loop outside tests only (a shared test machine runs late)', () => {
    const registry = new MetricsRegistry();
    for (const environment of ['production', 'development'] as const) {
      assert.equal(loadSheddingOptions(registry, environment).eventLoopDelayMsMax,
        loadSheddingPolicy.eventLoopDelayMsMax);
    }
    assert.equal(loadSheddingOptions(registry, 'test').eventLoopDelayMsMax, Infinity);
    assert.equal(loadSheddingOptions(registry, 'test').eventLoopUtilisationMax, 1);
    assert.deepEqual(loadSheddingOptions(registry, 'test').limits, loadSheddingPolicy.limits);
  });
});
