/**
 * The page shell's parts that need no database: the favicon (small, cached, also at
 * /favicon.ico), the head linking it, the staff layout chosen by path, and the page-section
 * registry (order, duplicates, a failing or slow provider skipped).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import Fastify, { type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import { favicon } from './assets.ts';
import { html } from './html.ts';
import { translator } from './i18n.ts';
import { renderPage, type PageContext } from './layout.ts';
import {
  registerAccountSection,
  registerStaffHomePanel,
  renderPageSections,
} from './page-sections.ts';
import { webMessages } from './web-messages.ts';
import { signInReturnForPost, webPaths } from './web-paths.ts';
import { audienceOf, webPlugin } from './web-plugin.ts';

async function webApp() {
  const app = Fastify();
  await app.register(fastifyCookie);
  await app.register(webPlugin, { messages: webMessages, navigation: [], cookieSecure: false });
  return app;
}

describe('web: favicon', () => {
  it('is a small SVG, at a hashed address cached for a year and at /favicon.ico', async () => {
    assert.ok(favicon.body.length < 1024, `${favicon.body.length} bytes`);
    assert.match(favicon.path, /^\/assets\/favicon\.[0-9a-f]{12}\.svg$/);
    const app = await webApp();
    const hashed = await app.inject({ url: favicon.path });
    assert.equal(hashed.statusCode, 200);
    assert.equal(hashed.headers['content-type'], 'image/svg+xml');
    assert.equal(hashed.headers['cache-control'], 'public, max-age=31536000, immutable');
    const legacy = await app.inject({ url: '/favicon.ico' });
    assert.equal(legacy.statusCode, 200);
    assert.equal(legacy.headers['content-type'], 'image/svg+xml');
    assert.match(String(legacy.headers['cache-control']), /^public, max-age=\d+$/);
    assert.equal(legacy.body, hashed.body);
    await app.close();
  });

  it('every page links it from its head', () => {
    const context: PageContext = { language: 'en', t: translator(webMessages, 'en'),
      currentUrl: '/', navigation: [] };
    const page = renderPage(context, { title: 'T', main: html`<h1>T</h1>` });
    assert.ok(page.includes(`<link rel="icon" href="${favicon.path}" type="image/svg+xml">`));
  });
});

describe('web: sign-in return for a form post', () => {
  it('Pay on a service page comes back to that service page', () => {
    assert.equal(signInReturnForPost('/pay/services/birth-certificate'),
      '/services/birth-certificate');
    assert.equal(signInReturnForPost('/pay/services/a%20b?x=1'), '/services/a%20b');
    for (const other of ['/pay/services/', '/pay/services/a/b', '/pay/AB12/stk', '/account',
      '/pay/services/%E0%A4%A']) {
      assert.equal(signInReturnForPost(other), undefined, other);
    }
  });

  it('property: any slug comes back to its own service page', () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }), (slug) => {
      assert.equal(signInReturnForPost(webPaths.payForService(slug)), webPaths.service(slug));
    }));
  });
});

describe('web: copy', () => {
  it('has every key in English and Swahili', () => {
    assert.deepEqual(Object.keys(webMessages.sw).sort(), Object.keys(webMessages.en).sort());
  });
});

describe('web: staff layout', () => {
  it('is chosen for /staff and what is under it, nothing else', () => {
    for (const url of ['/staff', '/staff/', '/staff/people?x=1', '/staff?x=1']) {
      assert.equal(audienceOf(url), 'staff', url);
    }
    for (const url of ['/', '/staffing', '/services/staff', '/account']) {
      assert.equal(audienceOf(url), 'public', url);
    }
  });

  it('offers a header link only to staff whose role may open it', () => {
    const headerFor = (permissions: readonly string[]) => renderPage({
      language: 'en', t: translator(webMessages, 'en'), currentUrl: '/staff', navigation: [],
      audience: 'staff',
      staffNavigation: [{ href: '/staff/open', labelKey: 'site.name' },
        { href: '/staff/books', labelKey: 'site.name', permission: 'ledger.read' }],
      signedIn: { kind: 'staff', name: 'A. B.', homePath: '/staff', permissions,
        signOutPath: '/sign-out', csrfField: html`` },
    }, { title: 'T', main: html`<h1>T</h1>` });
    const treasury = headerFor(['ledger.read']);
    assert.ok(treasury.includes('href="/staff/books"'));
    assert.ok(treasury.includes('href="/staff/open"'));
    const officer = headerFor(['applications.read']);
    assert.ok(!officer.includes('href="/staff/books"'));
    assert.ok(officer.includes('href="/staff/open"'));
  });
});

describe('web: page sections', () => {
  it('renders providers in order, skips one that throws, and refuses a duplicate id', async () => {
    const app = await webApp();
    const logged: string[] = [];
    registerAccountSection(app, { id: 'b', order: 2, render: async () => html`<p>b</p>` });
    registerAccountSection(app, { id: 'a', order: 1, render: async () => html`<p>a</p>` });
    registerAccountSection(app, { id: 'c', order: 1, render: async () => html`<p>c</p>` });
    registerAccountSection(app, { id: 'x', order: 0, render: async () => {
      throw new Error('boom');
    } });
    registerAccountSection(app, { id: 'none', order: 3, render: async () => undefined });
    registerStaffHomePanel(app, { id: 'a', order: 1, render: async () => html`<p>panel</p>` });
    assert.throws(() => {
      registerAccountSection(app, { id: 'a', order: 9, render: async () => undefined });
    }, /registered twice/);
    app.get('/t', async (request: FastifyRequest) => {
      request.log.error = ((...args: unknown[]) => {
        logged.push(JSON.stringify(args[0]));
      }) as typeof request.log.error;
      const account = await renderPageSections(request, 'account');
      const staff = await renderPageSections(request, 'staffHome');
      return { account: account.map(String), staff: staff.map(String) };
    });
    const response = await app.inject({ url: '/t' });
    assert.deepEqual(response.json(), { account: ['<p>a</p>', '<p>c</p>', '<p>b</p>'],
      staff: ['<p>panel</p>'] });
    assert.equal(logged.length, 1);
    assert.match(logged[0] ?? '', /account\/x/);
    await app.close();
  });
});
